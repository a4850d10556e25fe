"""Open by default (issue 20): OGC API Features at /ogc, the embeddable map and wijk card
under /embed, and JSON next to every CSV. One hook for the app: :func:`init_app`."""

from __future__ import annotations


def init_app(server) -> None:
    """Register the routes and the frame rule of the embed pages on the Flask ``server``."""
    from dashboard import ogc

    ogc.init_app(server)
