# The front door: `make demo` and `make test` each set everything up (idempotently) first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: demo test setup bench clean browser docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The package's bytecode, as a regular (non-editable) install compiles it: without it, and with
# PYTHONDONTWRITEBYTECODE set, every command compiled clusterid's modules again (~0.1 s a run).
# Redone when a source changes.
BYTECODE := $(VENV)/.bytecode
$(BYTECODE): $(STAMP) $(shell find src -name '*.py')
	$(BIN)/python -m compileall -q src/clusterid >/dev/null
	touch $(BYTECODE)

setup: $(STAMP) $(BYTECODE)

# The sample pipeline (data/samples/pipeline.toml): ingest -> lq -> detect -> report.  A second
# `make demo` re-runs nothing unless an input, an option or clusterid itself changed.
demo: $(STAMP) $(BYTECODE)
	$(BIN)/clusterid run data/samples/pipeline.toml --outdir $(OUT)/demo
	@echo "report: $(OUT)/demo/report.html"

test: $(STAMP) $(BYTECODE) browser
	$(BIN)/python -m pytest -n 2 --dist worksteal -q

# The browser test renders the sample report in headless Chromium (Debian's `chromium`).
# Installed here when missing and we are root; offline or not root, the browser tests skip
# with a reason -- except in CI (CI=true), where a missing browser fails the run.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium for the browser tests (apt-get) ..."; \
	  ( apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ) \
	  || { if [ -n "$$CI" ]; then echo "error: could not install chromium (required in CI)"; exit 1; \
	       else echo "warning: could not install chromium; the browser tests will be skipped"; fi; }; \
	elif [ -n "$$CI" ]; then echo "error: chromium missing and cannot be installed (not root)"; exit 1; \
	else echo "note: chromium missing (not root); the browser tests will be skipped"; fi

# The CLI reference, docs/cli.md: every command's --help, rendered at a fixed width.
# tests/test_cli_reference.py fails when it differs from what the commands print.
docs: $(STAMP)
	$(BIN)/python -m clusterid.cli.reference docs/cli.md

bench: $(STAMP) $(BYTECODE)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
