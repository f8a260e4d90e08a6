"""The exception family.  Each error knows its exit code and renders as one line per problem.

Exit codes (clig.dev / ruff convention): 0 success, 1 the input data is bad, 2 the run could
not happen (usage, missing or unreadable file, internal error), 130 interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the source allows.

    ``line`` is the 1-based physical line in the file (the header is line 1) when known.
    """

    message: str
    path: str | None = None
    line: int | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    # a found cell is cut at 60 characters; a key or a value of clusterid's own making (the
    # key of a duplicate row, "period=2016Q1, region=49000, ownership=private, industry=311119")
    # is not: cut, it lost the very code that tells the rows apart
    clip: bool = True

    def render(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [f"{where}:"]
        if self.column is not None:
            parts.append(f"column {self.column!r}:")
        parts.append(self.message)
        detail = []
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        if self.found is not None:
            found = self.found
            if self.clip and len(found) > 60:
                found = found[:57] + "..."
            detail.append(f"found {found!r}")
        text = " ".join(parts)
        if detail:
            text += " (" + ", ".join(detail) + ")"
        if self.hint:
            text += f"; {self.hint}"
        return text


class ClusteridError(Exception):
    """Base class: an error that is the user's to fix, shown without a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str = "", problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if not message and self.problems:
            message = self.problems[0].render()
        super().__init__(message)

    def lines(self, limit: int = 20) -> list[str]:
        if not self.problems:
            return [str(self)]
        out = [p.render() for p in self.problems[:limit]]
        if len(self.problems) > limit:
            out.append(f"... and {len(self.problems) - limit} more problems of the same kind")
        return out


class DataError(ClusteridError):
    """The input was read but its content is wrong (exit 1)."""

    exit_code = EXIT_DATA


class UsageError(ClusteridError):
    """Options contradict each other or name something that does not exist (exit 2)."""

    exit_code = EXIT_USAGE


class InputFileError(ClusteridError):
    """A file is missing, unreadable, or not of any format we can read (exit 2)."""

    exit_code = EXIT_USAGE


class OutputError(ClusteridError):
    """An output could not be written: read-only target, full disk (exit 2)."""

    exit_code = EXIT_USAGE


def data_error(message: str, **where) -> DataError:
    """Shorthand for a DataError with a single located problem."""
    return DataError(problems=[Problem(message, **where)])
