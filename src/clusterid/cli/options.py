"""Options shared by several commands, defined once so a flag means the same everywhere."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

Output = Annotated[
    str,
    typer.Option("--output", "-o", help="Output file (.parquet default, .csv), or - for CSV on stdout."),
]
OutputFormat = Annotated[
    str,
    typer.Option("--output-format", help="auto (from the extension), parquet or csv."),
]
Measure = Annotated[
    str,
    typer.Option("--measure", "-m", help="employment, establishments, wages or output."),
]
Level = Annotated[
    Optional[int],
    typer.Option("--level", help="Roll industry codes up to this level (NAICS digits 2-6; NACE 1-4)."),
]
# INPUT of the commands that read one table: several arguments are read as one input set (an
# unquoted `by_area/*.csv` reaches the command as many files, the same set a quoted glob names)
INPUTS_HELP = ("Canonical table (.parquet/.csv) or raw agency file(s), ingested on the fly; "
               "several files, a quoted glob ('by_area/*.csv') or a zip archive are read as one "
               "input; - for stdin.")
Inputs = Annotated[list[str], typer.Argument(metavar="INPUT...", help=INPUTS_HELP,
                                             show_default=False)]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
RandomState = Annotated[
    int, typer.Option("--random-state", help="Seed for every random step (recorded in metadata).")
]
Estimated = Annotated[
    bool, typer.Option("--estimated/--no-estimated", help="Use cells with status 'estimated' "
                       "(default) or leave them out."),
]


_ONE_REGION_ADVICE = ("give -b/--benchmark FILE (e.g. the national table), or ingest with "
                      "--keep-region-totals to keep a national column")


def one_region_note(regions, consequence: str, advice: str = _ONE_REGION_ADVICE) -> str | None:
    """The note for a sum-of-regions benchmark over a table of one region, which is that region
    itself: every comparison with it is trivial -- said, not left to look like a finding.
    ``regions``: the region column of the result; None when it holds several (or none).
    ``advice``: what to do about it (a command without --benchmark says its own)."""
    # (the first and last differ in any table of several regions sorted by region: no count
    # of the distinct values, ~0.05 s on 3 M cells)
    if len(regions) == 0 or regions[0] != regions[-1] or regions.n_unique() != 1:
        return None
    return (f"one region ({regions[0]}): the sum-of-regions benchmark is the region itself, so "
            f"{consequence}; {advice}")


def keyword(value):
    """An option's keyword as given, in any case (``--format CBP``, ``--correction BH``,
    ``--method Leiden``), as the README's other keywords (--benchmark, --period, --ownership)
    match: stripped and lower-cased; None as None.

    >>> keyword(" BH "), keyword("All-Ownership"), keyword(None)
    ('bh', 'all-ownership', None)
    """
    return value.strip().lower() if isinstance(value, str) else value


def option_values(given) -> list[str]:
    """A repeatable option as given (``--ownership``, ``--period``: None, one value, or repeated
    values, each possibly comma-separated) -> the list of values, in order, without repeats."""
    if given is None:
        return []
    items = [given] if isinstance(given, str) else list(given)
    return list(dict.fromkeys(o.strip() for item in items for o in item.split(",") if o.strip()))


def one_measure(given) -> str | None:
    """The measure ``--measure`` names when it names one (any case), else None: a raw table of
    several indicators (a Eurostat SBS TSV) read on the fly keeps that one's rows
    (``IngestOptions.indicator_measure``); with employment's alone, ``lq --measure wages`` said
    'the input has no wages column'."""
    from clusterid import schema

    values = [v.casefold() for v in option_values(given)]
    return values[0] if len(values) == 1 and values[0] in schema.MEASURES else None


def measure_values(given, have, *, every: bool = False) -> list[str]:
    """``--measure`` as given (None, one value, or repeated values, each possibly
    comma-separated, in any case: 'Employment', 'employment,wages') -> the canonical measures
    the input has (``have``), in order, without repeats; None -> ``have``.  ``every``: 'all'
    stands for every measure of the input (indices, shift-share).

    A name that is no measure, or a measure the input lacks, is refused naming the measures
    the input has."""
    from clusterid import schema
    from clusterid.errors import UsageError

    have = list(have)
    shown = ", ".join(have) or "no measure"
    if given is None:
        return have
    values = option_values(given)
    if not values:  # --measure '' or ',': no measure named
        raise UsageError(f"--measure {given if isinstance(given, str) else ','.join(given)!r}: "
                         f"expected a measure, found none; the input has {shown}")
    out = []
    for value in values:
        name = value.casefold()
        if every and name == "all":
            out.extend(have)
            continue
        if name not in schema.MEASURES:
            raise UsageError(f"--measure {value!r}: expected one of the input's measures "
                             f"({shown}{', or all' if every else ''}), found {value!r}")
        if name not in have:
            raise UsageError(f"--measure {value!r}: the input has no {name} column; it has "
                             f"{shown}")
        out.append(name)
    return list(dict.fromkeys(out))


def benchmark_spec(spec: str) -> str:
    """``--benchmark`` as given, its keywords in any case (as --period and --ownership match):
    ``Sum``, ``REST`` and ``Region:49000`` are ``sum``, ``rest`` and ``region:49000`` (the
    region's ID as given, matched against the input later); anything else, a file, as given.

    >>> benchmark_spec("REST"), benchmark_spec(" Region:49000"), benchmark_spec("nat.csv")
    ('rest', 'region:49000', 'nat.csv')
    """
    text = spec.strip()
    if text.lower() in ("sum", "rest"):
        return text.lower()
    if text.lower().startswith("region:"):
        return "region:" + text[len("region:"):]
    return spec


def benchmark_choice(spec: str) -> tuple[str, str | None]:
    """What ``--benchmark`` asks for, as lq, indices and shift-share read it: ``("sum", None)``,
    ``("rest", None)``, ``("region", ID)`` or ``("table", FILE)``, FILE a reference file or a
    quoted glob of several (a national table per year: ``'national/*.parquet'``).

    >>> benchmark_choice("REST"), benchmark_choice("Region:49000")
    (('rest', None), ('region', '49000'))
    """
    import os

    from clusterid.errors import UsageError
    from clusterid.io.ingest import glob_files, is_pattern

    spec = benchmark_spec(spec)
    if spec in ("sum", "rest"):
        return spec, None
    if spec.startswith("region:"):
        region = spec[len("region:"):]
        if not region:
            raise UsageError("--benchmark region:ID needs a region code, e.g. region:49000")
        return "region", region
    if os.path.exists(spec):
        return "table", spec
    if is_pattern(spec):
        if glob_files(spec):
            return "table", spec
        raise UsageError(f"--benchmark {spec!r}: no file matches this pattern")
    raise UsageError(f"--benchmark {spec!r}: expected sum, rest, region:ID or an existing "
                     "reference file")


def benchmark_records(path: str) -> list[dict]:
    """Provenance of a ``--benchmark`` FILE: ``{path, sha256, role}`` of each file it stands
    for (a glob: every file it matches)."""
    from clusterid.io.ingest import input_records

    return [{**rec, "role": "benchmark"} for rec in input_records(path)]


def match_value(option: str, wanted: str, have, unread=()) -> str:
    """``wanted`` (an --ownership or --region-level value) as the input spells it: itself when
    present, else the one value equal to it ignoring case ('Private' -> 'private', as periods
    match); several such, or none, are refused naming the values there are.

    ``unread``: the values the raw file held but was not read with (:func:`unread_ownerships`
    of the one read's metadata): a refusal names them too, so that ``--ownership federal`` on a
    QCEW file of total and private rows, read for total and federal, no longer says "the input
    has total" as if that were all the file holds."""
    from clusterid.core.indices import match_period
    from clusterid.errors import UsageError

    have = [h for h in have if h is not None]
    found = match_period(wanted, have)
    if found is not None:
        return found
    if option == "--ownership":
        # QCEW's own_code ('5'), as ingest takes it and a raw file is read with it, for the
        # name the table holds ('private'): it was refused as "no '5' rows; it holds private"
        from clusterid.io.readers.qcew import ownership_named

        named = ownership_named(wanted, have)
        if named is not None:
            return named
    unread = [u for u in unread if u not in have]
    same = [h for h in have if str(h).casefold() == str(wanted).strip().casefold()]
    # a canonical table ingested without them: its metadata names them as not read
    left = [u for u in unread if str(u).casefold() == str(wanted).strip().casefold()]
    subject = option.lstrip("-").replace("-", " ")
    # an input without the column (a generic table's regions carry no level) said "the input
    # has " and stopped
    why = (f"matches {', '.join(map(repr, same))} ignoring case; give one exactly" if same
           else "the input has " + (", ".join(map(str, have)) or "none") + f"; the raw file's "
           f"{left[0]} rows were not read (read the raw file with {option} {left[0]})" if left
           else f"the raw file has no {wanted!r} rows; it holds "
           + ", ".join(map(str, [*have, *unread])) + " (the rows read: "
           + (", ".join(map(str, have)) or "none") + ")" if unread
           else "the input has " + ", ".join(map(str, have)) if have
           else f"the input's rows have no {subject}"
           + ("; ingest with --region-level LEVEL to give its regions one"
              if option == "--region-level" else ""))
    raise UsageError(f"{option} {wanted!r}: {why}")


def ownership_values(given, have, unread=()) -> list[str]:
    """``--ownership`` of lq, impute and stats (several values) as the input spells them, each
    through :func:`match_value`; ``all``, as ingest takes it (and a raw file is then read with
    every ownership), stands for every ownership of the input, unless the input holds an
    ownership of that name.  Nothing given is one empty value, refused as not in the table."""
    wanted = option_values(given) or [""]
    have = [h for h in have if h is not None]
    if any(w.casefold() == "all" for w in wanted) and not any(
            str(h).casefold() == "all" for h in have):
        return sorted(have)
    return [match_value("--ownership", w, have, unread) for w in wanted]


def raw_ownership(ownership) -> dict:
    """How a raw QCEW file is read for ``--ownership``: the ownerships asked for plus the
    all-ownership total (the BLS denominator, and the region totals); without the option (or
    ``auto``), or when it names only ownerships that default reads, ingest's default (total,
    private).  Returned as IngestOptions keywords.

    Every command that ingests a raw INPUT (or a raw ``--benchmark FILE``) on the fly reads it
    through this: with ingest's default ownerships ``--ownership local`` on a raw BLS file was
    "not in the input" though the file holds local government rows."""
    from clusterid.io.ingest import IngestOptions

    default = IngestOptions().ownership
    wanted = [o for o in option_values(ownership) if o != "auto"]
    if all(o.casefold() in default for o in wanted):
        return {}  # total and private are read anyway (so are the messages about them)
    return {"ownership": tuple(dict.fromkeys(["total", *wanted]))}


def unread_ownerships(meta) -> list[str]:
    """The ownerships a raw file held but was not read with (``meta``: the metadata of a raw
    INPUT read on the fly; QCEW's ``ownership not selected: local (own_code 3)``), most rows
    first: a government-only file read with the default (total, private) is all totals."""
    import re

    counts = {}
    if not isinstance(meta, dict):
        return []
    for reason, rows in (meta.get("dropped") or {}).items():
        m = re.match(r"ownership not selected: (.+?) \(own_code", str(reason))
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + int(rows or 0)
    return [o for o, _ in sorted(counts.items(), key=lambda t: (-t[1], t[0]))]


def input_list(inputs) -> list[str]:
    """A command's INPUT as a list of what was typed: one path, quoted glob, zip or ``-``, or
    several (an unquoted glob the shell expanded)."""
    return [inputs] if isinstance(inputs, str) else list(inputs)


def input_label(inputs) -> str:
    """INPUT as messages and metadata name it: the one argument as typed, or the arguments
    joined by spaces."""
    return " ".join(input_list(inputs))


def only_one(values: list[str], metavar: str, command: str) -> str:
    """The one argument of a command that reads exactly one ``metavar``; several (an unquoted
    glob the shell expanded) are a usage error in one line naming the extra ones, instead of
    click's "unexpected extra argument"."""
    from clusterid.errors import UsageError

    if len(values) == 1:
        return values[0]
    extra = values[1:]
    shown = " ".join(extra[:5]) + (f" ... ({len(extra)} in all)" if len(extra) > 5 else "")
    raise UsageError(f"{command} takes one {metavar}; extra arguments: {shown} (an unquoted "
                     f"pattern is expanded by the shell into several arguments: name one "
                     f"{metavar})")


def input_records_of(inputs) -> list[dict]:
    """Provenance (``{path, sha256}``) of every file INPUT stands for, in argument order."""
    from clusterid.io.ingest import input_records

    return [rec for one in input_list(inputs) for rec in input_records(one)]


# options of `clusterid ingest` that say how a raw file is read, and that the commands reading
# one on the fly (impute, lq, detect, stats, indices, shift-share) do not have
INGEST_READ_OPTIONS = frozenset((
    "--encoding", "--sep", "--decimal", "--thousands", "--sheet", "--skip-rows", "--layout",
    "--wide-axis", "--region-col", "--region-name-col", "--region", "--industry-col",
    "--industry-name-col", "--period-col", "--measure-col", "--period", "--period-freq",
    "--classification", "--keep-region-totals", "--on-error", "--rejects"))


def _for_ingest(exc, inputs):
    """``exc`` from reading a raw INPUT on the fly, its hints that name reading options of
    ``clusterid ingest`` (``--period 2016``, ``--region-col``) saying so: the command that read
    it has none of them ("No such option: --period"), so the way is ingest first."""
    import dataclasses
    import re

    def said(text):
        named = [o for o in dict.fromkeys(re.findall(r"--[a-z]+(?:-[a-z]+)*", text or ""))
                 if o in INGEST_READ_OPTIONS]
        if not named:
            return text
        which = " and ".join(named) + (" are options" if len(named) > 1 else " is an option")
        return (f"{text}; {which} of clusterid ingest: run `clusterid ingest "
                f"{input_label(inputs)} -o TABLE` with {'them' if len(named) > 1 else 'it'}, "
                "then give TABLE to this command")

    if exc.problems:
        # (a problem whose hint names no such option is kept as it is: replacing each of the
        # 95 k duplicate keys of two overlapping tables took ~1 s)
        return type(exc)(problems=[p if (hint := said(p.hint)) == p.hint else dataclasses.replace(p, hint=hint)
                                   for p in exc.problems])
    text = said(str(exc))
    return exc if text == str(exc) else type(exc)(text)


def open_benchmark(path: str, options=None):
    """:func:`clusterid.io.ingest.open_reference` for ``--benchmark FILE``, an error reading it
    said in one line as the benchmark file's: a national table the ingest reader could not
    read named the reading options of ``clusterid ingest`` (``--period 2016``,
    ``--region-col``) as if the command had them -- ``lq --period 2016`` keeps a period of the
    input, the benchmark file untouched --; now the way is said: ingest the benchmark file
    with them, then give that table to --benchmark.  Several problems (a bad cell on every
    row) are the first one and how many more."""
    import dataclasses
    import re

    from clusterid.errors import ClusteridError
    from clusterid.io.ingest import open_reference

    try:
        return open_reference(path, options)
    except ClusteridError as exc:
        if not exc.problems:
            raise
        first = exc.problems[0]
        hint = first.hint
        named = [o for o in dict.fromkeys(re.findall(r"--[a-z]+(?:-[a-z]+)*", hint or ""))
                 if o in INGEST_READ_OPTIONS]
        if named:
            which = " and ".join(named) + (" are options" if len(named) > 1 else " is an option")
            hint = (f"{hint}; {which} of clusterid ingest: run `clusterid ingest {path} -o "
                    f"national.parquet` with {'them' if len(named) > 1 else 'it'}, then give "
                    "national.parquet to --benchmark")
        more = len(exc.problems) - 1
        if more:
            hint = (f"{hint}; " if hint else "") + (
                f"and {more} more problem{'s' if more > 1 else ''} in the file "
                f"(`clusterid ingest {path} -o national.parquet` lists them)")
        message = first.message
        if not message.startswith("the reference") and "reference table" not in message:
            message = f"the --benchmark file: {message}"
        new = type(exc)(problems=[dataclasses.replace(first, message=message, hint=hint)])
        raise new from exc


def open_input(inputs, *, ownership=None, raw_only: tuple[str, ...] = (), **options):
    """See :func:`_open_input`; an error reading a raw file names the ingest options its hint
    gives as such (:func:`_for_ingest`)."""
    from clusterid.errors import ClusteridError

    try:
        lf, meta = _open_input(inputs, ownership=ownership, raw_only=raw_only, **options)
    except ClusteridError as exc:
        new = _for_ingest(exc, inputs)
        if new is exc:
            raise
        raise new from exc
    if note := _mixed_settings_note(meta):
        from clusterid.cli import console

        console.info(note)
    if isinstance(meta, dict) and meta.get("foreign_canonical"):
        # a canonical table clusterid did not write, its total rows left out: said, as ingest
        # says what it dropped
        from clusterid.cli import console

        console.info(f"{meta['foreign_canonical']}: dropped "
                     + "; ".join(f"{n} {why}" for why, n in sorted(meta["dropped"].items())))
    return lf, meta


def _mixed_settings_note(meta) -> str | None:
    """Several canonical tables opened as one (``scan_canonical_set``) whose QCEW files were
    ingested with different --month, said: each period's LQs are right on their own, but
    shift-share, indices and detect then compare a quarter's average with another's third
    month without a word (the set is opened as one table, the month kept only in each
    table's metadata)."""
    by_month: dict = {}
    for t in (meta or {}).get("tables") or []:
        own = t.get("metadata") or {}
        if "qcew" in (own.get("adapters") or []) and "month" in (own.get("options") or {}):
            by_month.setdefault(str(own["options"]["month"]), []).append(str(t.get("path")))
    if len(by_month) < 2:
        return None
    return ("the tables given as one input were ingested with different QCEW --month: "
            + "; ".join(f"{m} ({', '.join(paths[:3])}{' ...' if len(paths) > 3 else ''})"
                        for m, paths in sorted(by_month.items()))
            + ": their periods' employment is measured differently and does not compare "
            "across them (ingest them with one --month)")


def _open_input(inputs, *, ownership=None, raw_only: tuple[str, ...] = (), **options):
    """``(LazyFrame, metadata)`` of a command's INPUT: a canonical table as is, a raw agency
    file ingested on the fly with ``options`` (IngestOptions fields: format, month ...) and
    the ownerships ``--ownership`` needs (:func:`raw_ownership`).  ``raw_only``: the options
    given that apply to a raw file only (refused with a canonical table).

    ``inputs``: one argument (a file, a quoted glob, a zip archive, ``-``) or several (the
    files of an unquoted glob, expanded by the shell), read together as one input set, exactly
    as the quoted glob matching them would be."""
    from clusterid.io.ingest import IngestOptions, check_format, ingest, load_input

    if "format" in options:
        check_format(options["format"])
    opts = IngestOptions(**options, **raw_ownership(ownership))
    paths = input_list(inputs)
    if len(paths) == 1:
        return load_input(paths[0], opts, raw_only)
    # several arguments are several files, read together as load_input does with the files of
    # a glob; said on stderr, since an unquoted pattern after an option (-b nat/*.csv matching
    # two files) also lands its second file here
    from clusterid.cli import console
    from clusterid.errors import UsageError
    from clusterid.io.ingest import resolve_paths, scan_canonical_set

    shown = ", ".join(paths[:4]) + (f" ... ({len(paths)} in all)" if len(paths) > 4 else "")
    console.info(f"reading {len(paths)} files as one input: {shown}")
    opened = scan_canonical_set(resolve_paths(paths))
    if opened is not None:  # tables of a panel, a period set each: opened lazily as one
        if raw_only:
            raise UsageError(f"{raw_only[0]} applies to a raw file; the inputs are canonical "
                             f"tables already (re-ingest the raw files with {raw_only[0]})")
        return opened
    # otherwise ingested together (canonical tables too): validated as one table -- in parts
    # into a temporary table when large, as the quoted glob's files are (load_input)
    from clusterid.io import ingest_parts

    if (files := ingest_parts.plan(paths, opts)) is not None:
        lf, meta = ingest_parts.ingest_to_scan(files, opts)
    else:
        df, meta = ingest(paths, opts)
        lf = df.lazy()
    if "--month" in raw_only:
        from clusterid.io.ingest import refuse_unused_month

        refuse_unused_month(meta, opts.month)
    return lf, meta


def only_periods(lf, wanted):
    """``lf`` filtered to the ``--period`` values (as the input spells them: '2016q1' ->
    '2016Q1'), and those values.  The filter stays lazy: a Parquet table is read for those
    periods only (its row groups carry the period's range), which is what lets a panel too
    large for memory be run one period at a time.  A period the input lacks is refused,
    naming those it has."""
    import polars as pl

    from clusterid import schema
    from clusterid.errors import UsageError

    have = sorted(lf.select(pl.col(schema.PERIOD).unique()).collect().to_series().drop_nulls()
                  .to_list())
    values = option_values(wanted)
    if not values:  # --period '' kept nothing: an empty table with exit 0
        raise UsageError(f"--period {', '.join(map(repr, wanted))}: no period named; the input "
                         f"has {', '.join(have)}")
    from clusterid.core.indices import match_period, period_not_held

    periods = list(dict.fromkeys(match_period(p, have) or p for p in values))
    if absent := [p for p in periods if p not in have]:
        raise period_not_held(absent, have)
    return lf.filter(pl.col(schema.PERIOD).is_in(periods)), periods
