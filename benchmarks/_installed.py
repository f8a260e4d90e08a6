"""What every benchmark does first: make the package's bytecode what an installed copy has.

``pip install clusterid`` compiles the modules' bytecode at install time; an editable install
(``make setup``: ``pip install -e``) does not, and with ``PYTHONDONTWRITEBYTECODE`` set (as on
the project's CI machines) Python never writes it, so every ``clusterid`` command compiled its
~30 modules from source again: ~0.11 s of each run (measured on ``lq``: 128 ms of module
self-time against 19 ms).  ``make`` compiles them too (see the Makefile's ``bytecode``).
"""

from __future__ import annotations

import compileall
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "clusterid"


def byte_compile() -> None:
    """Compile clusterid's bytecode where it is missing or stale (quietly; errors raise)."""
    if not compileall.compile_dir(str(SOURCE), quiet=1):
        raise SystemExit(f"could not byte-compile {SOURCE}")
