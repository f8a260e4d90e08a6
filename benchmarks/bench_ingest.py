"""Benchmark: ingest the national QCEW county panel, next to pyarrow's plain CSV read.

    python benchmarks/bench_ingest.py [FILE] [--repeat N] [--stages]

FILE defaults to ../shared/data/qcew_counties_2016_odd_states/qcew_2016_counties_odd_states.csv.gz
(gzip CSV, 4.9 M rows).  Three runs, each in a fresh subprocess so that peak memory (ru_maxrss)
is the run's own:

* ``pyarrow``: ``pyarrow.csv.read_csv`` of the same file (the yardstick: a plain read into
  memory, codes read as text so leading zeros survive, nothing checked);
* ``ingest``: the full ingest path, as ``clusterid ingest FILE -o OUT.parquet --format qcew``
  runs it (adapter, canonical shape, validation, sort, Parquet with metadata);
* ``adapter``: the QCEW adapter alone (read, filter, map, one pass with its drop counts);
* ``floor``: polars scanning the 13 columns an ingest reads and sinking them to Parquet, with
  nothing checked, mapped or sorted: what any design on polars starts from;
* ``sorted``: the same columns shaped into canonical keys and measures, sorted by the key and
  sunk to Parquet in one lazy polars query, nothing checked: the floor of a design that
  writes the canonical order.

Prints wall time (time.perf_counter in the child) and peak RSS for each, the ingest/pyarrow
ratio and whether the targets hold (within 1.5x of the plain read, peak < 2 GB).  A progress
display runs on stderr while the children work (transient; off when stderr is not a terminal).
``--stages`` adds one more ingest run timed stage by stage (read, validate, sort, write).

Where the time goes (2026-11-28 11:08, 2 cores shared with other helpers' jobs, load average
4-5, so wall ~ CPU; CPU seconds of the code before and after the ingest performance work,
run alternately, two runs each, same file):

    stage      before (37e82e5)   after      what changed
    read       4.9-6.4            5.7-6.3    (the QCEW adapter, not changed; pyarrow's read 5-6.5)
    validate   4.7-5.7            3.4-3.6    parent check in numpy on integer ids (was ~3 s of
                                             hash joins per level), key ranks in parallel,
                                             key ids combined in place
    sort       3.1                3.2-3.4    all-null columns stay literal (never materialised
                                             or gathered); rechunking before the gather saved
                                             ~1.8 s more but lifted the peak past 2 GB: not done
    write      3.4-4.1            2.9-3.7    LZ4 instead of zstd; ~2.4 s of it is Parquet's
                                             dictionary encoding of the 14 text columns
    total      17.7-18.0          15.5-17.2  peak RSS 1.75 GB -> 1.80 GB

bench_ingest itself at load 1.8 (11:15): pyarrow 3.57 s / 7.0 s CPU / 1978 MB, ingest 11.30 s /
16.4 s CPU / 1823 MB, adapter 3.35 s -> ingest/pyarrow 3.16x wall, 2.33x CPU (before, at load
0.9: 12.88 s, 4.12x wall, 3.18x CPU, 1798 MB).  By stage (wall / CPU): read 3.70 / 6.28,
validate 2.68 / 3.70, sort 3.31 / 3.58, write 1.70 / 3.24.  The 1.5x wall-time target is NOT
met: the adapter alone is ~0.95x the plain read, and validation, sort and the Parquet write
still add ~2.2x of it; the sort (single-threaded gathers across ~300 chunks, kept that way
for memory) is now the largest of them.

2026-11-29 (idle machine, 13:50-14:48): the sort gathers each column from one contiguous copy
of itself (numbers without nulls through numpy) and the command sets polars' allocator to hand
freed pages back from a background thread (``clusterid.entry.MALLOC_CONF``; this script's
ingest children set it as the command does).  Sort 1.92 -> 1.00-1.10 s wall; ingest 7.56 s
against pyarrow's 3.40 s (2.22x, peak 1936 MB) -> 5.95-6.84 s against 2.55-3.42 s (1.89-2.42x,
peak 1884-1890 MB).  By stage now: read 2.3-2.4, validate 1.8-1.9, sort 1.0-1.1, write 0.9-1.05.
Still NOT within 1.5x: the adapter alone is 0.66-0.93x the plain read, and the checks, the key
order and the write add about 1.2x of it.

2026-11-30 18:49 (helpers running at nice 19, load 4.7): pyarrow 4.42 s, ingest 10.06 s (2.27x,
peak 1897 MB), adapter 4.58 s, floor 2.75 s, sorted 4.16 s (0.94x, peak 1922 MB).  Polars'
one lazy query reads, shapes, sorts and writes the panel within the target; what ingest adds
beyond it is the adapter's own pass (drop counts, markers, layouts: ~1.8 s over the floor),
validation as a separate stage on the collected frame (~2.8 s) and the sort's gathers outside
polars' engine (~1.2 s).  Meeting 1.5x means folding the checks into that one query (duplicate
keys on the sorted stream, the parent check as a join), not tuning the stages one by one.

2026-11-30 22:40-23:00 (load 11-17, 2 cores shared by 4 agents): the text columns of few values
reach the sort and the writer as Enum columns of the same text (``io.ingest._coded_text``: the
keys and classification from validation's ranks, the statuses by a cast, the flags, region
level and names by a cast to their distinct values); the writer no longer hashes every row's
text for the dictionaries, and the sort gathers 4-byte codes.  CPU seconds in-process
(getrusage), main and this code run alternately on the same file, 5 rounds:

    stage      main (23acfcf)   coded        what changed
    read       7.5-8.2          7.0-8.6      (not changed: noise of the load)
    validate   3.1-3.2          3.0-3.5      (not changed; the key ranks are kept for the sort)
    sort       1.72-2.35        1.59-1.89    includes 0.9-1.2 s of coding (keys and statuses
                                             ~0.25 s; the other five text columns ~0.7 s: a
                                             distinct-values pass and a cast each)
    write      2.67-3.59        1.04-1.35    dictionary pages from the categories
    sort+write 4.48-5.94 (4.83) 2.67-3.06 (2.82)   median in brackets; keys and statuses
                                             coded alone: 3.18-3.34 (3 rounds)
    total      15.8-17.3 (15.8) 14.3-15.0 (14.6)

Peak RSS 1869-1926 MB (main 1870-1924); the command's own run (``--child ingest``) 1882 MB.
The file reads back the same in polars, pyarrow and pandas (values, dtypes, ARROW:schema,
every row group's statistics); only the dictionary pages differ (every category in each row
group: 32.8 MB against 31.7 MB).  Against pyarrow's ~7 s of CPU for the plain read the ingest
is now ~2.1x in CPU: the 1.5x target is still NOT met (read and validation, ~11 s, unchanged).

2026-12-01 00:56-01:09 (load 4.4-7.7, 2 cores shared by 4 agents, every run at nice 19: a run
got one core or less, so wall ~ CPU or worse and only CPU compares).  Each stage's work measured
in-process, main's code (726154b) and this code loaded side by side and run alternately on the
same input, polars on one thread (CPU seconds, median / min):

    stage      main          this code     what changed
    read       7.24 / 6.83   6.12 / 5.96   text tests guarded by cheap ones that settle BLS's
               (4 runs)      (4 runs)      own cells (strips of own_code, size_code, area_fips;
                                           area shape, disclosure, SIC code, blank line; a
                                           county's region level): polars runs a when's
                                           branches on their rows alone; same frame and counts
    validate   2.73 / 2.51   2.43 / 2.33   the key order by numpy's stable sort (0.32 -> 0.12 s:
               (4 runs)      (4 runs)      the ids come in sorted runs); ranks of columns of
                                           <= 8 values by equality tests; its peak 1833 -> 1797
                                           MB; same problems, warnings, key ids and order
    coding     ~0.65         ~0.35         region level and flags (the sort stage's coding) by
                                           equality tests, not a hash lookup per row

End to end (``--stages`` runs alternately, 7 pairs, 2 of them with polars on one thread) the
gain is within the load's noise: total CPU main 11.70-14.33 s (median 12.47), this code
11.17-13.27 s (median 12.24); the read's median 6.88 -> 6.25 s; peak 1869-1934 MB against
1872-1892 MB.  The file is the same, byte for byte (``clusterid ingest`` of the panel: sha256
eeebfcd0...; the Utah sample and by-area files with --month average, annual, 2, --ownership
all, --on-error skip: the same hashes).  The whole script once each (load 6.3-7.1): ingest
13.78 and 12.28 s of CPU (main) against 10.77 s, pyarrow's read 4.94-5.22 s: ingest / pyarrow
2.79x and 2.41x in CPU -> 2.06x.  Tried without gain: the read's counts as one-key group-bys
(own_code with the reasons summed, size_code, year, qtr, the flags' any/all) instead of one
over nine keys (in memory 0.85 -> ~0.3 s; in the streaming pass 6.11 vs 6.23 s, min of 4);
ownership names tested in frequency order; the NAICS-shape regex guarded by an integer parse;
the parent-sum check summing reported children alone (~65 MB more at the peak, no CPU seen).
Still NOT within 1.5x: the CSV reader's own pass (all 20 columns; the six unread ones only for
the row-too-long check, which polars makes only when every column is read: ~0.7 s of CPU
against reading the 14 needed) is ~4.4 s of the read's ~6, and validation, the sort and the
write add ~5 s more, much of it single-threaded (one core idle on a quiet machine).

2026-12-01 02:45-03:27 (load 1.8-5.8, 2 cores shared by 4 agents, every run at nice 19: wall ~
CPU, so only CPU compares; the overlaps below pay in wall only on a quiet machine).  Main
(3a9f6fd) and this code run alternately, ``--child stages``, 4 pairs, CPU seconds min-max:

    stage      main          this code     what changed
    read       6.12-6.66     5.40-5.97     a row longer than the header found through one
                                           column past the last heading (qcew._with_extra_field)
                                           instead of reading the six unread columns as text
                                           (one polars thread: 6.29-6.48 -> 5.31-5.76); the
                                           strict counts grouped by reason and own_code only,
                                           the other checks one row of flags (qcew._flags; one
                                           thread 5.17-5.33 -> 4.90-4.99)
    validate   2.73-3.07     3.38-3.57     now includes the label columns' coding (names, region
                                           level, flags: ~0.45 s moved from the sort), run on a
                                           thread beside validation, which gets a frame without
                                           them; the parent check on a thread from the key ranks
                                           on, beside the key order and the row checks
    sort       1.28-1.34     0.74-0.94     (the labels arrive coded)
    write      1.01-1.14     0.92-1.06     (not changed)
    total      11.42-11.92   10.86-11.40
    peak       1886-1893 MB  1506 MB       the label text released as its Enum column is made,
                                           before validation's peak

The whole script once each (03:26, load 4.3): ingest 10.69 s CPU / 1509 MB against main's
12.07 s / 1892 MB; pyarrow's read 4.97-5.15 s CPU: ingest / pyarrow 2.43x -> 2.08x in CPU.
Same bytes: ``clusterid ingest`` of the panel (Parquet sha256 eeebfcd0..., CSV cd80df8d...), the
Utah files with --month average, annual, 2, --ownership all, --on-error skip, CSV; a file with a
negative value, a child over its parent and a duplicate key (skip: same rejects; fail: same
messages); long and cut rows (plain, gzip, skip; the panel with a long row at line 3,000,001);
a bad or padded year, qtr, size_code, own_code.  Tried without gain (one thread, noise +-0.3 s
at this load): a regex-free guard for the NAICS-shape and domain-code tests, dropping the
implausible-number test (each <= 0.1 s in memory); grouping the counts by keys made null where
a cheap test settles them (0.54 -> 0.64 s in memory: the cost is the number of key columns).
Decompression is no longer the gap: polars reads the .gz in 3.8-4.0 s CPU against 3.3-3.7 s for
the same text uncompressed (zlib alone 1.2 s: polars' own inflate is faster).  Left: the read's
own expressions (period text, ownership names, region level, level: ~0.2 s each, one thread),
the parent check (~1.5 s, numpy, mostly one core), the write (~1 s, one core), and the sort's
gathers; on a quiet machine the validation stage's threads should take ~0.5-1 s of wall off.

2026-12-01 05:20-06:30, the validation stage (load 4-10, 2 cores shared by 4 agents, every run
at nice 19: only CPU compares).  Main (5cea2b1) and this code run alternately, ``--child
stages``, 4 pairs, CPU seconds min-max (median):

    stage      main                 this code            what changed
    read       5.18-6.02 (5.76)     5.46-5.97 (5.72)     schema.implausible as one comparison
                                                         (size not <= 1e15; NaN and inf fail
                                                         it too), was three passes: the strict
                                                         read's five measures ~0.13 -> ~0.04 s
                                                         in memory; end to end within noise
    validate   3.15-3.30 (3.25)     2.43-3.20 (2.60)     see below
    sort       0.70-0.86            0.81-1.06            (not changed: more page faults, ~60k
                                                         -> ~75k, validation having left fewer
                                                         pages mapped)
    write      0.96-0.99            0.99-1.39            (not changed)
    total      10.25-11.36 (10.88)  10.11-11.76 (10.52)
    peak       1506-1508 MB         1342-1396 MB         the parent check's int32 keys, no
                                                         per-row count or first-child table

(An earlier 4 pairs, before the flags below were coded once: validate 3.56-3.83 -> 2.94-3.05,
total 11.75-12.59 -> 10.73-11.36.)  Validation's user / system CPU in two more pairs: 3.09 /
1.36 -> 2.68 / 0.69 and 3.97 / 1.59 -> 3.19 / 0.91 s, page faults ~281k -> ~199k.  The whole
script once each (06:21-06:24, load 3.9 and 5.7): ingest 11.57 -> 12.67 s of CPU, but the
adapter alone 5.34 -> 6.14, the floor 4.60 -> 5.25 and pyarrow 5.83 -> 5.50 at the higher
load: single runs at this load do not compare; peak 1512 -> 1340 MB.

At 06:44 the machine was nearly quiet (load 1.3-1.9): 3 more pairs, wall / CPU seconds: validate
2.38-2.88 / 3.63-4.42 -> 1.89-2.01 / 3.07-3.43; sort 0.67-0.80 / 0.92-0.97 -> 0.82-0.86 /
1.01-1.12; total 7.64-9.27 / 12.50-15.24 -> 7.26-7.96 / 12.16-13.36 (pyarrow's read of the file
was ~3.4 s wall / ~5.8 s CPU earlier in the hour: still ~2.2x wall, NOT within 1.5x).  The sort's
extra ~0.1-0.2 s (user and system) comes with ~50k -> ~60-80k page faults; its input (chunks,
dtypes, key ids and order) is the same as main's, and it is there without the flags' change
too: the allocator has fewer freed pages at hand after validation's lower peak.

Validation alone, in-process on the panel as ingest collects it (99-352 chunks a column), main's
module and this one loaded side by side and run alternately, 7 rounds: 2.50-2.99 (2.68) ->
2.04-2.29 (2.13) s of CPU.  By piece (median of 5-7, old -> new): the parent check 1.43 ->
1.03 (each row's share of its lookup key, group and period, computed once and int32 where the
dense table allows, instead of an int64 key rebuilt at every step; parent ids int32 from the
start; the reported values by one polars when per measure, ~0.17 -> ~0.12; null masks only for
columns with nulls; parent rows by a boolean scatter, not a count per row; the children of a
parent counted only where their sum already passes max(0, 0.001 x parent), which no other
parent can warn past; the first-child table only when a warning is found); the key ranks 0.59
-> 0.51 (a key without nulls ranked as it is: the no-op fill_null, used three times by the
period's equality tests, doubled their cost); the regions missing periods from a count per
(region, period) cell of the ranks, ~0.08 -> ~0.035, not a hash of each row's pair; the
unknown-code filter skipped where no row lacks a level (~0.035).  Where the check's CPU goes now
(~1.0 s): the sum check ~0.35 (three bincounts and gathers per measure over 4.8 M child-parent
pairs), the climb ~0.3 (the lookups and the three measures' comparisons), the reported values
~0.12, the lookup table ~0.08, the group ids ~0.06.  The label coding (on a thread beside
validation): a label column holding the same values as one coded before it takes that one's
Enum column (a QCEW file's employment and wages flags are both the disclosure code): 0.49 ->
0.36 s of CPU in-process.

Same bytes (sha256 of every output, log and metadata file, main against this code): the panel to
Parquet (eeebfcd0...) and CSV (cd80df8d...); the Utah sample and by-area files, each to Parquet
and CSV, with --month average, annual, 2, --ownership all (also to CSV), --on-error skip; a Utah
file with a duplicate key, two children over their parents, negative employment and wages and
sum warnings on four parents (fail: the same messages; skip: the same rejects file and
metadata), and one with 1e300, inf and NaN in measure cells (fail and skip).  The problems,
warnings, key ids, order and ranks of validation the same as main's on the panel, a copy with
19,286 problems and sum warnings, a copy with duplicate keys, shuffled rows, regions missing
periods, and nulls in code, classification, level and status (dense and binary-search lookups).

Tried without gain: the distinct values of a key or label column in runs looked for among its
runs' first rows (a comparison with the row before instead of a hash per row): 0.2 s less for
the keys on a one-chunk frame, but slower on the collected frame's chunks, where polars hashes
chunk by chunk in parallel (labels 0.19 -> 0.35 s): measure on the frame as ingest collects it,
not a rechunked copy; a (rows x measures) array so each step gathers a row's three measures at
once (1.50 -> 1.85 s); an any() per measure before the negative and implausible filters (on the
chunks a filter finding nothing is cheaper: 0.039 vs 0.047 s); the duplicate test in numpy
(0.035 s against 0.031 s); the key order by a radix partition on the period (the panel is not in
key order within a period: ownership 'total' before 'private') or two 16-bit radix passes (0.30
vs 0.14 s); the key order on uint32 ids (0.12-0.14 vs 0.14-0.17 s, before the cast); a guard
before the read's 4-digit-area regex (polars runs the regex on every row anyway). Left: the
region name's distinct values and Enum cast (~0.15 s), the region level's and flag's equality
codes (~0.08 and ~0.1 s); validation's remaining CPU is mostly the parent check's gathers and
bincounts and the key ranks' hash lookups (region and industry ~0.07 s each).
2026-12-01 06:47-07:00 (nothing else running; session 28's final code: the validation work
above merged, the click group built once per process, numpy imported on a thread during the
read).  The whole script three times: ingest 7.89, 7.38 and 7.75 s against pyarrow's 3.07,
~2.95 and 3.03 s (2.57x, 2.50x, 2.56x; 2.03-2.11x in CPU), peak 1373-1389 MB; floor 1.02-1.11x,
sorted floor 1.58-1.65x.  By stage (--stages): read 3.57 s wall / 6.32 s CPU, validate 1.78 /
2.94, sort 0.78 / 1.03, write 0.59 / 1.11.  The command, interleaved with session 27's final
code (5cea2b1), 4 pairs: wall 8.05-8.68 -> 7.26-8.42 s, CPU median 13.4 -> 12.8 s; the same
Parquet bytes (sha256 eeebfcd0...).  Still NOT within 1.5x: the sorted floor alone is past it.
2026-12-01, session 29: the sort for writing runs while validation's parent check ends
(``validate(defer=True)``, ``Validation.finish``): the main thread had waited ~0.7 s for that
thread with a core idle.  The three status columns are coded on the labels' thread beside
validation (``_code_labels``), which took the coding left on the sort's path from 0.4-0.7 s to
0.04 s.  ``rich.progress`` is no longer imported where no bar is shown (~0.15 s).  Timeline of
one in-process run (07:40, load ~1), seconds from the start: before, validation ended at 7.20
(its main thread idle from 6.45 waiting for the parent check), the coding and the sort ran
7.20-8.08 and the write ended at 8.87; now validation's own work ends at 6.45-6.54, the sort
runs from there to 7.27-7.42 while the parent check ends (6.92-6.97), and the write ends at
8.15-8.19.  Nothing else running (09:12-09:14), the whole script twice:
ingest 7.35 and 6.33 s against pyarrow's 3.09 and 2.55 s (2.38x, 2.48x; 2.13x and 2.20x in
CPU), peak 1617 and 1590 MB (the frame validation holds lives beside the sorted copy: 1.37-1.43
GB before); floor 0.86x and 1.33x, sorted floor 1.50x and 1.97x.  By stage: read 3.92 s wall /
6.97 s CPU, validate 1.53 / 2.85, sort (now beside the parent check's end) 0.78 / 1.45, write
0.63 / 1.20.  The command from the shell, interleaved with session 28's final code (852b320f),
4 pairs: wall 8.38-9.21 -> 7.04-8.54 s, CPU 13.8-15.6 -> 12.4-14.9 s; the same Parquet bytes.
Ingest in parts does not overlap (``bench_ingest_panel.py``, three yearly files: 2,632 MB with
the overlap against 2,046 before; 2,053 MB as merged).  Still NOT within 1.5x: ingest's CPU is
about twice pyarrow's, and both cores are busy through most of the run.
2026-12-01 11:57-11:59, session 30 (readers and stages changed, not the QCEW path; nothing
else running, but a slower hour: pyarrow's read 3.61-3.65 s against 2.55-3.09 s at 09:12), the
whole script twice: ingest 7.85 and 8.50 s (2.15x and 2.35x; 1.88x and 2.06x in CPU), peak
1547-1626 MB; floor 0.89x and 1.16x, sorted floor 1.29x and 1.55x.  By stage: read 3.95 s wall
/ 6.97 s CPU, validate 1.84 / 3.35, sort 0.59 / 0.99, write 0.90 / 1.74.  Still NOT within
1.5x, for the reasons above.
2026-12-01, session 32 (the QCEW path not changed): the yardstick's own time moves with the
machine.  pyarrow's read takes its ~2 GB through mimalloc in ~975 transparent huge pages, and
the kernel's time to fault them in was 1.4 s in one run (3.2 s wall, 17:57) and 5.2-8.6 s in
seven others (5.5-7.9 s wall, 17:57-19:15) on an otherwise idle machine, the same faults each
time; ingest (polars' jemalloc in 4 KB pages, numpy ~490 huge pages) spent 1.9-3.5 s there.  The script now prints
each run's user and system CPU and the huge-page faults.  Nothing else running, 17:55 and
19:14-19:15: ingest / pyarrow 1.26x, 1.27x, 1.03x and 1.23x in wall time (9.58-9.91 s against
7.54-7.88 s; 6.87 and 8.03 s against 6.67 and 6.55 s), peak 1587-1628 MB -- within the target
only because the plain read spent 7.7-8.1 s of its 11.7-11.8 s of CPU in the kernel; in user
CPU ingest is 2.6-2.8x pyarrow's (10.1-11.8 s against 3.9-4.2 s), as before.  An hour when the
faults are cheap (session 31, 16:35: pyarrow 3.84 s) gives 1.7x: the code still misses 1.5x.
2026-12-01, session 33: the design these notes kept pointing to -- the checks folded into the
read's one lazy query, nothing sorted -- measured (``--fused``): the adapter's own plan with its
frame sunk to Parquet unsorted in the same streaming pass, and with three of validation's checks
beside it as polars aggregates (duplicate keys; children over their parent's employment, a
group-by and a join; negative employment).  Nothing else running (22:21, load 3.1): pyarrow
5.11 s (3.85 s user, 5.69 s system: a dear hour for its huge pages), ingest 6.48 s (1.27x; 9.44
s user), the fused run 5.02 s (0.98x; 8.97 s user) with nothing checked and 9.37 s (1.83x; 15.17
s user, peak 2.33 GB) with the three checks; sorted floor 4.76 s, floor 3.09 s.  Under load 14
(21:10, CPU seconds): fused 10.6, fused with checks 21.8, against ~15.9 for the whole ingest.
So checks as hash group-bys and joins in polars' engine cost more than this code's validation
(integer ids, numpy, the parent check from the key ranks), which does more checks: folding them
into the query is no way to 1.5x.  Even unchecked and unsorted, the canonical frame costs 2.3x
pyarrow's user CPU; in an hour when pyarrow's pages are cheap (its read ~3-3.4 s) no ingest that
validates on this engine and these two cores comes within 1.5x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _installed import byte_compile

from clusterid.entry import set_environment

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = (ROOT.parent / "shared" / "data" / "qcew_counties_2016_odd_states"
           / "qcew_2016_counties_odd_states.csv.gz")
TIME_RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 2048


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu_s() -> float:
    """CPU seconds of this process (user + system, all threads): on a loaded machine the
    wall time mostly measures the other processes; the CPU time does not."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


# the kernel's counters of transparent huge-page faults and of the compactions that stall them
# (system-wide: attributable to one run only on an otherwise quiet machine)
VMSTAT_KEYS = ("compact_stall", "thp_fault_alloc")


def _vmstat() -> dict[str, int]:
    try:
        with open("/proc/vmstat") as f:
            pairs = (line.split() for line in f)
            return {k: int(v) for k, v in pairs if k in VMSTAT_KEYS}
    except OSError:  # not Linux
        return {}


def _measured(fn):
    """Run fn() and add to its result the run's user and system CPU seconds and the kernel's
    huge-page counters over it.  The system part is where the machine's state shows: pyarrow's
    allocator (mimalloc) takes its ~2 GB in ~970 transparent huge pages, and the kernel's time
    to fault them in went from 1.4 to 8.6 s between runs minutes apart (2026-12-01 17:57-18:01,
    the same 970 faults, no compaction stall): that alone moves the plain read's wall time 2x
    from one run to the next.  Ingest (polars' jemalloc, 4 KB pages) spends 2-3 s there."""
    before, ru0 = _vmstat(), resource.getrusage(resource.RUSAGE_SELF)
    result = fn()
    after, ru1 = _vmstat(), resource.getrusage(resource.RUSAGE_SELF)
    result["user"] = round(ru1.ru_utime - ru0.ru_utime, 2)
    result["sys"] = round(ru1.ru_stime - ru0.ru_stime, 2)
    result.update({k: after[k] - before[k] for k in after if k in before})
    return result


def _sunk(out: str, t: float, c: float) -> dict:
    """A floor's figures once its Parquet ``out`` is written: wall and CPU seconds since ``t``
    and ``c`` (the rows counted from the file's metadata, within them), its rows, the peak
    memory."""
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(out).metadata.num_rows
    return {"seconds": time.perf_counter() - t, "cpu": _cpu_s() - c, "rows": rows,
            "peak_mb": _peak_mb()}


def child_pyarrow(path: str) -> dict:
    import pyarrow.csv as pc

    t, c = time.perf_counter(), _cpu_s()
    table = pc.read_csv(path, convert_options=pc.ConvertOptions(
        column_types={"area_fips": "string", "industry_code": "string"}))
    return {"seconds": time.perf_counter() - t, "cpu": _cpu_s() - c, "rows": table.num_rows,
            "peak_mb": _peak_mb()}


def child_ingest(path: str, out: str) -> dict:
    set_environment()  # as the clusterid command sets it before its imports
    from clusterid.cli.app import main

    t, c = time.perf_counter(), _cpu_s()
    try:
        main(["--quiet", "ingest", path, "-o", out, "--format", "qcew"])
        code = 0
    except SystemExit as exc:  # main() exits with the command's code
        code = int(exc.code or 0)
    seconds, cpu = time.perf_counter() - t, _cpu_s() - c
    rows = None
    if code == 0:
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(out).metadata.num_rows
    return {"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": _peak_mb(), "exit": code}


def child_stages(path: str, out: str) -> dict:
    """The ingest path as the CLI runs it, timed stage by stage (wall and CPU seconds):
    read (adapter), validate, sort, write (Parquet with metadata)."""
    set_environment()
    from clusterid.io.ingest import IngestOptions, ingest
    from clusterid.io.tables import write_frame

    stages: dict[str, dict] = {}
    last = {"name": "start", "t": time.perf_counter(), "c": _cpu_s()}

    def mark(name: str) -> None:
        t, c = time.perf_counter(), _cpu_s()
        stages[last["name"]] = {"wall": round(t - last["t"], 2), "cpu": round(c - last["c"], 2),
                                "peak_mb": round(_peak_mb())}
        last.update(name=name, t=t, c=c)

    t0, c0 = time.perf_counter(), _cpu_s()
    # coded: as the command hands a Parquet output's table to the writer (io.ingest._coded_text)
    df, meta = ingest([path], IngestOptions(format="qcew"), on_stage=mark, coded=True)
    mark("write")
    write_frame(df, out, meta)
    mark("end")
    stages.pop("done", None)
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu_s() - c0, "rows": df.height,
            "peak_mb": _peak_mb(), "stages": stages}


def child_adapter(path: str) -> dict:
    from clusterid.io.ingest import IngestOptions
    from clusterid.io.readers import qcew

    t, c = time.perf_counter(), _cpu_s()
    res = qcew.read([path], IngestOptions())
    rows = res.frame.select("period").collect().height
    return {"seconds": time.perf_counter() - t, "cpu": _cpu_s() - c, "rows": rows, "rows_read": res.rows_read,
            "peak_mb": _peak_mb()}


# the columns an ingest of a quarterly QCEW file reads
FLOOR_COLUMNS = ["area_fips", "own_code", "industry_code", "agglvl_code", "year", "qtr",
                 "disclosure_code", "area_title", "qtrly_estabs_count", "month1_emplvl",
                 "month2_emplvl", "month3_emplvl", "total_qtrly_wages"]


def child_floor(path: str, out: str) -> dict:
    """The floor of any ingest on polars: those columns scanned as text and sunk to Parquet
    with the codec ingest writes, nothing checked, mapped or sorted."""
    import polars as pl

    from clusterid.io.tables import PARQUET_COMPRESSION

    t, c = time.perf_counter(), _cpu_s()
    lf = pl.scan_csv(path, infer_schema=False)
    lf.select([n for n in FLOOR_COLUMNS if n in lf.collect_schema().names()]).sink_parquet(
        out, compression=PARQUET_COMPRESSION)
    return _sunk(out, t, c)


def child_sorted_floor(path: str, out: str) -> dict:
    """The floor of any ingest that writes the canonical order: the same columns scanned as
    text, shaped into the canonical key and measure columns (period, region, ownership,
    industry; the three monthly levels averaged, a ``disclosure_code N`` row's figures left
    empty), sorted by the key and sunk to Parquet -- nothing checked: no duplicate keys,
    parents, codes, layouts or markers.  What polars alone takes for the part of the job no
    design can skip: the read, the sort and the write."""
    import polars as pl

    from clusterid.io.tables import PARQUET_COMPRESSION

    t, c = time.perf_counter(), _cpu_s()
    lf = pl.scan_csv(path, infer_schema=False)
    hidden = pl.col("disclosure_code").fill_null("") == "N"
    number = [pl.col(f"month{i}_emplvl").cast(pl.Float64) for i in (1, 2, 3)]
    shaped = lf.select(
        (pl.col("year") + "Q" + pl.col("qtr")).alias("period"),
        pl.col("area_fips").alias("region"),
        pl.col("own_code").alias("ownership"),
        pl.col("industry_code").alias("industry"),
        pl.col("agglvl_code").cast(pl.Int16).alias("agglvl"),
        pl.col("area_title").alias("region_name"),
        pl.when(hidden).then(None).otherwise(sum(number) / 3).alias("employment"),
        pl.col("qtrly_estabs_count").cast(pl.Float64).alias("establishments"),
        pl.when(hidden).then(None).otherwise(pl.col("total_qtrly_wages").cast(pl.Float64))
        .alias("wages"),
        pl.col("disclosure_code").alias("flag"),
    ).sort("period", "region", "ownership", "industry")
    shaped.sink_parquet(out, compression=PARQUET_COMPRESSION)
    return _sunk(out, t, c)


def child_fused(path: str, out: str, checks: bool) -> dict:
    """The other design: the QCEW adapter's own plan (its canonical frame, drop counts and row
    flags, as ``clusterid ingest`` builds it) with the frame sunk to Parquet UNSORTED in the
    same streaming pass, the text columns as they come; with ``checks``, three of validation's
    checks as aggregates in that pass too (duplicate keys, children over their parent's
    employment, negative employment: a part of what validation checks, as polars group-bys and
    a join).  What folding the checks into one lazy query would cost, measured rather than
    argued."""
    set_environment()
    import polars as pl

    from clusterid.io.ingest import IngestOptions
    from clusterid.io.readers import qcew
    from clusterid.io.tables import PARQUET_COMPRESSION

    t, c = time.perf_counter(), _cpu_s()
    _layout, frame, counts, _files, _bad, _describe, flags = qcew._plan([path], IngestOptions(format="qcew"))
    queries = [counts, flags, frame.sink_parquet(out, compression=PARQUET_COMPRESSION, lazy=True)]
    if checks:
        keys = ["period", "region", "ownership"]
        industry = pl.col("industry")
        parent = industry.str.slice(0, industry.str.len_bytes() - 1)
        sums = (frame.filter(pl.col("level") >= 3).group_by([*keys, parent.alias("parent")])
                .agg(pl.col("employment").sum()))
        parents = frame.filter(pl.col("level") >= 2).select(
            *keys, industry.alias("parent"), pl.col("employment").alias("parent_employment"))
        queries += [
            frame.group_by([*keys, "industry"]).agg(pl.len()).filter(pl.col("len") > 1).select(pl.len()),
            sums.join(parents, on=[*keys, "parent"])
            .filter(pl.col("employment") > pl.col("parent_employment") * 1.001).select(pl.len()),
            frame.filter(pl.col("employment") < 0).select(pl.len())]
    pl.collect_all(queries, engine="streaming")
    return _sunk(out, t, c)


def run_child(kind: str, path: str, out: str) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, path, "--out", out]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["failed"])[-1], "seconds": None,
                "peak_mb": None, "rows": None}
    return json.loads(res.stdout.strip().splitlines()[-1])


def _progress():
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=console, transient=True,
                    disable=not console.is_terminal or bool(os.environ.get("NO_PROGRESS")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--repeat", type=int, default=1, help="runs of each kind (best time kept)")
    ap.add_argument("--stages", action="store_true",
                    help="also run the ingest once more, timed stage by stage (where the time goes)")
    ap.add_argument("--fused", action="store_true",
                    help="also run the other design: the adapter's frame sunk unsorted in its own "
                         "streaming pass, without and with checks as aggregates there")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        fn = {"pyarrow": lambda: child_pyarrow(args.file),
              "ingest": lambda: child_ingest(args.file, args.out),
              "adapter": lambda: child_adapter(args.file),
              "floor": lambda: child_floor(args.file, args.out),
              "sorted": lambda: child_sorted_floor(args.file, args.out),
              "stages": lambda: child_stages(args.file, args.out),
              "fused": lambda: child_fused(args.file, args.out, checks=False),
              "fused+checks": lambda: child_fused(args.file, args.out, checks=True)}[args.child]
        print(json.dumps(_measured(fn)))
        return 0

    byte_compile()  # as installed: see _installed.py
    path = Path(args.file)
    if not path.exists():
        print(f"bench_ingest: {path} not found (needs ../shared/data); skipped", file=sys.stderr)
        return 0
    results: dict[str, list[dict]] = {"pyarrow": [], "ingest": [], "adapter": [], "floor": [],
                                      "sorted": []}
    if args.fused:
        results.update({"fused": [], "fused+checks": []})
    with tempfile.TemporaryDirectory(prefix="clusterid-bench-") as tmp:
        out = str(Path(tmp) / "canonical.parquet")
        with _progress() as progress:
            for i in range(args.repeat):
                for kind in results:
                    task = progress.add_task(f"{kind} run {i + 1}/{args.repeat} on {path.name}",
                                             total=None)
                    results[kind].append(run_child(kind, str(path), out))
                    progress.remove_task(task)

    def best(kind):
        ok = [r for r in results[kind] if r.get("seconds") is not None]
        return min(ok, key=lambda r: r["seconds"]) if ok else results[kind][0]

    if args.stages:
        with tempfile.TemporaryDirectory(prefix="clusterid-bench-") as tmp:
            results["stages"] = [run_child("stages", str(path), str(Path(tmp) / "canonical.parquet"))]
    base, ing, ada, floor = best("pyarrow"), best("ingest"), best("adapter"), best("floor")
    sorted_floor = best("sorted")
    print(f"bench_ingest: {path.name} ({path.stat().st_size / 1e6:.1f} MB gzip), "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'run':<12}{'wall s':>8}{'cpu s':>10}{'user s':>10}{'sys s':>10}{'peak MB':>10}"
          f"{'rows':>12}{'2MB pages':>11}")
    shown = [("pyarrow", base), ("ingest", ing), ("adapter", ada), ("floor", floor),
             ("sorted", sorted_floor)] + [(k, best(k)) for k in ("fused", "fused+checks") if k in results]
    for name, r in shown:
        if r.get("seconds") is None:
            print(f"{name:<12}  failed: {r.get('error')}")
            continue
        print(f"{name:<12}{r['seconds']:>8.2f}{r.get('cpu') or 0:>10.2f}{r.get('user', 0):>10.2f}"
              f"{r.get('sys', 0):>10.2f}{r['peak_mb']:>10.0f}{r['rows'] or 0:>12,}"
              f"{r.get('thp_fault_alloc', ''):>11}")
    if base.get("seconds") and ing.get("seconds"):
        ratio = ing["seconds"] / base["seconds"]
        print(f"ingest / pyarrow time: {ratio:.2f}x (target <= {TIME_RATIO_TARGET}x: "
              f"{'met' if ratio <= TIME_RATIO_TARGET else 'NOT met'}); ingest peak "
              f"{ing['peak_mb']:.0f} MB (target < {MEMORY_TARGET_MB} MB: "
              f"{'met' if ing['peak_mb'] < MEMORY_TARGET_MB else 'NOT met'})")
    if base.get("cpu") and ing.get("cpu"):
        print(f"ingest / pyarrow CPU time: {ing['cpu'] / base['cpu']:.2f}x")
    if base.get("user") and ing.get("user"):
        print(f"ingest / pyarrow user CPU time: {ing['user'] / base['user']:.2f}x (the kernel's "
              f"part apart: pyarrow's run spent {base['sys']:.2f} s in the system, "
              f"{base.get('thp_fault_alloc', '?')} huge-page faults and "
              f"{base.get('compact_stall', '?')} compaction stalls; ingest's {ing['sys']:.2f} s)")
    if base.get("seconds") and ada.get("seconds"):
        print(f"adapter / pyarrow time: {ada['seconds'] / base['seconds']:.2f}x, adapter peak "
              f"{ada['peak_mb']:.0f} MB")
    if base.get("seconds") and floor.get("seconds"):
        print(f"floor / pyarrow time: {floor['seconds'] / base['seconds']:.2f}x (polars: the "
              f"{len(FLOOR_COLUMNS)} columns an ingest reads, scanned and sunk to Parquet, "
              "nothing checked, mapped or sorted)")
    if base.get("seconds") and sorted_floor.get("seconds"):
        ratio = sorted_floor["seconds"] / base["seconds"]
        print(f"sorted floor / pyarrow time: {ratio:.2f}x (polars: those columns shaped into "
              "the canonical keys and measures, sorted by the key, sunk to Parquet, nothing "
              f"checked; {'within' if ratio <= TIME_RATIO_TARGET else 'already past'} the "
              f"{TIME_RATIO_TARGET}x target)")
    for kind in ("fused", "fused+checks"):
        if kind in results and base.get("seconds") and best(kind).get("seconds"):
            r = best(kind)
            print(f"{kind} / pyarrow time: {r['seconds'] / base['seconds']:.2f}x, CPU "
                  f"{r['cpu'] / base['cpu']:.2f}x (the adapter's frame sunk unsorted in its own "
                  f"streaming pass{', three checks as aggregates beside it' if '+' in kind else ', nothing checked'})")
    for run in results.get("stages", []):
        if run.get("stages"):
            print("ingest by stage (one more run): " + ", ".join(
                f"{name} {v['wall']:.2f} s wall / {v['cpu']:.2f} s CPU (peak {v['peak_mb']} MB)"
                for name, v in run["stages"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
