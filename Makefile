# Targets match the README. `make serve` and `make test` each install what they need first.
PYTHON ?= python3

.PHONY: install install-test serve test lint build check bench bench-browser

install:
	$(PYTHON) -m pip install --quiet -e .

install-test:
	$(PYTHON) -m pip install --quiet -e ".[test]"
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

serve: install
	wijkveiligheid serve

test: install-test
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check .

build: install
	wijkveiligheid build

check: install
	wijkveiligheid check

bench: install
	$(PYTHON) benchmarks/map_switch.py --synthetic 1000 --synthetic 14000

bench-browser: install-test
	$(PYTHON) benchmarks/browser_switch.py
