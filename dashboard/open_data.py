"""Open by default (issue 20): OGC API Features at /ogc, the embeddable map and wijk card
under /embed, and JSON next to every CSV. One hook for the app: :func:`init_app`."""

from __future__ import annotations


def init_app(server) -> None:
    """Register the routes and the frame rule of the embed pages on the Flask ``server``."""
    from dashboard import embed, ogc, viewdata

    ogc.init_app(server)
    viewdata.init_app(server)
    # registered before Talisman (dashboard.app._harden), so it runs after Talisman has set
    # the headers: only the embed pages get the configured frame-ancestors
    server.after_request(embed.frame_headers)
