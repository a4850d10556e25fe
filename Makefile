# Targets match the README. `make serve` and `make test` each install what they need first.
PYTHON ?= python3
# Debian bookworm's PostgreSQL 15 with PostGIS 3: the PostGIS store backend and its tests.
PG_PACKAGES ?= postgresql postgresql-15-postgis-3

.PHONY: install install-test serve test lint build check bench

install:
	$(PYTHON) -m pip install --quiet -e .

install-test:
	$(PYTHON) -m pip install --quiet -e ".[test]"
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || { \
	  echo "Installing Debian's PostgreSQL and PostGIS for the store tests (needs root)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    $(PG_PACKAGES); }

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
	$(PYTHON) benchmarks/map_switch.py
