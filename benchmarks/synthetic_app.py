"""The dashboard served on ``benchmarks/synthetic.py``'s grid, for the browser benchmark
(``browser_switch.py --synthetic N``): gunicorn imports ``synthetic_app:server`` with
``WIJKVEILIGHEID_SYNTHETIC=N``. The store (``WIJKVEILIGHEID_STORE``) gives the catalogue and the
sources; the areas and figures are the grid's, made-up and in memory only. It works with the
dashboard of any checkout on the Python path (to measure an older one side by side)."""

from __future__ import annotations

import os

from synthetic import synthetic_context

from dashboard import data

data.ensure_store()
_context = synthetic_context(data.get_context(), int(os.environ["WIJKVEILIGHEID_SYNTHETIC"]))
data.get_context = lambda fresh=False: _context  # every page and route reads the grid
try:  # the grid's vector tiles stay in memory, never beside the real store
    from dashboard import tiles

    tiles.cache_directory = lambda: None
except ImportError:  # a checkout without vector tiles
    pass

from dashboard.app import server  # noqa: E402 - after the data is the grid's

__all__ = ["server"]
