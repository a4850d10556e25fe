# Targets match the README. `make serve` and `make test` each install what they need first.
PYTHON ?= python3
# Debian bookworm's PostgreSQL 15 with PostGIS 3: the PostGIS store backend and its tests.
PG_PACKAGES ?= postgresql postgresql-15-postgis-3
# GDAL's GeoPackage validator (Debian python3-gdal), run by tests/test_geopackage.py.
VALIDATE_GPKG ?= /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py

.PHONY: install install-test serve test lint build check bench bench-browser service

install:
	$(PYTHON) -m pip install --quiet -e .

install-test:
	$(PYTHON) -m pip install --quiet -e ".[test]"
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "Installing Debian's poppler-utils (pdftoppm) for the PDF rendering test (needs root)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils; }
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || { \
	  echo "Installing Debian's PostgreSQL and PostGIS for the store tests (needs root)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    $(PG_PACKAGES); }
	@test -f $(VALIDATE_GPKG) || { \
	  echo "Installing Debian's GDAL Python tools (validate_gpkg.py) for the GeoPackage test"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-gdal gdal-bin; }

serve: install
	wijkveiligheid serve

test: install-test
	$(PYTHON) -m pytest

# (root) the unprivileged service accounts, a root-owned copy of the app and its venv in
# /opt/wijkveiligheid, as the README's deployment section describes; .ci/run runs it before
# `make test` and passes what it prints to the tests (tests/test_privilege.py)
service:
	.ci/service

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
