"""The CLI reference, ``docs/cli.md``: ``clusterid --help`` and every command's ``--help``.

Regenerate it with ``make docs`` (``python -m clusterid.cli.reference docs/cli.md``);
``--check`` exits 1, saying so in one line, when the file differs from what the commands print
now.  ``tests/test_cli_reference.py`` runs the same comparison, so the reference cannot drift
from the CLI.

The commands are found by walking the app's command tree (sub-commands too; hidden ones are
left out, as ``--help`` leaves them out).  Each is rendered by click's own help formatter
(the app sets ``rich_markup_mode=None``: plain text, no colour, no box drawing) at a fixed
width, so the file does not depend on the terminal, ``COLUMNS`` or ``NO_COLOR`` of whoever
regenerates it: the width is what ``--help`` prints on any terminal at least 80 columns wide.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import typer

DEFAULT_PATH = Path("docs/cli.md")


def help_width(max_content_width: int | None) -> int:
    """The width click gives ``--help`` on a terminal wider than its content limit (80 unless
    the app sets ``max_content_width``): that limit less two columns."""
    return max((max_content_width or 80) - 2, 50)


def command_helps(app: typer.Typer) -> list[tuple[str, str]]:
    """``(command path, help text)`` for the app and each visible command under it, in the
    order ``--help`` lists them, parents before their sub-commands."""
    root = typer.main.get_command(app)
    settings = dict(root.context_settings)
    settings["terminal_width"] = help_width(settings.get("max_content_width"))
    found = []

    def visit(command, ctx) -> None:
        found.append((ctx.command_path, command.get_help(ctx)))
        if not hasattr(command, "list_commands"):
            return
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            # as make_context builds it, without parsing arguments or running callbacks
            visit(sub, sub.context_class(sub, info_name=name, parent=ctx, **sub.context_settings))

    visit(root, root.context_class(root, info_name=root.name or "clusterid", **settings))
    return found


def _anchor(title: str) -> str:
    """GitHub's heading anchor for ``title`` (lower case, spaces to hyphens)."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render(app: typer.Typer | None = None) -> str:
    """The whole of ``docs/cli.md`` as text."""
    if app is None:
        from clusterid.cli.app import app
    helps = command_helps(app)
    top = helps[0][0]
    lines = [
        "# CLI reference",
        "",
        f"Generated from `{top} --help` and each command's `--help` by",
        "`python -m clusterid.cli.reference`; do not edit it by hand. After changing a",
        "command or its help, regenerate it with `make docs` (tests/test_cli_reference.py",
        "fails until you do).",
        "",
        "## Contents",
        "",
    ]
    for path, _ in helps:
        depth = len(path.split()) - 1
        lines.append(f"{'  ' * max(depth - 1, 0)}- [`{path}`](#{_anchor(path)})")
    for path, text in helps:
        fence = _fence(text)
        lines += ["", f"## `{path}`", "", f"{fence}text", text.rstrip("\n"), fence]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the reference to PATH, or with ``--check`` say whether PATH is up to date."""
    parser = argparse.ArgumentParser(prog="python -m clusterid.cli.reference",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH,
                        help=f"the Markdown file (default: {DEFAULT_PATH})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if PATH differs from the commands' --help")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != text:
            print(f"{args.path}: out of date with the commands' --help; run `make docs`",
                  file=sys.stderr)
            return 1
        return 0
    from clusterid.io.atomic import write_text_atomic

    write_text_atomic(args.path, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
