"""Open by default (issue 20): OGC API Features at /ogc, the embeddable map and wijk card
under /embed, and JSON next to every CSV. One hook for the app: :func:`init_app`."""

from __future__ import annotations

from dash import html

from dashboard.i18n import pick, t


def credit_line(ctx, lang: str, source_ids=None) -> str:
    """Who to credit, under which licence, for the public figures (or those of
    ``source_ids``), from the store's source table: 'CBS, Politie / CBS (CC BY 4.0); ...'."""
    from dashboard.pages.over_data import licence

    used = set(ctx.public_obs["source_id"]) if source_ids is None else set(source_ids)
    sources = ctx.data.sources[ctx.data.sources["id"].isin(used)]
    groups: dict[str, list[str]] = {}
    for row in sources.itertuples():
        names = groups.setdefault(licence(str(row.licence), lang), [])
        if row.publisher not in names:
            names.append(str(row.publisher))
    return "; ".join(f"{', '.join(names)} ({lic})" for lic, names in groups.items())


def credits(ctx, source_ids=None) -> list[dict]:
    """Source, attribution and licence of every source behind the public figures."""
    used = set(ctx.public_obs["source_id"]) if source_ids is None else set(source_ids)
    sources = ctx.data.sources[ctx.data.sources["id"].isin(used)]
    return [
        {"source": r.id, "attribution": r.attribution, "licence": r.licence}
        for r in sources.itertuples()
    ]


def data_page_section(lang: str) -> html.Section:
    """The short section on /data about the open interfaces (OGC API, JSON, embedding)."""
    items = open_interfaces(lang)
    return html.Section(
        className="open-data",
        **{"aria-labelledby": "open-data-heading"},
        children=[
            html.H2(pick(lang, "Open koppelingen", "Open interfaces"), id="open-data-heading"),
            html.Ul(
                [html.Li([html.A(title, href=target), ": ", text]) for title, target, text in items]
            ),
            reuse_note(lang),
        ],
    )


def open_interfaces(lang: str) -> list[tuple[str, str, str]]:
    """(title, address, explanation) of each open interface, in the page's language."""
    suffix = "?taal=en" if lang == "en" else ""
    return [
        (
            pick(
                lang,
                "OGC API Features (voor QGIS en andere GIS)",
                "OGC API Features (for QGIS and other GIS)",
            ),
            "/ogc" + suffix,
            pick(
                lang,
                "collecties wijken en buurten (grenzen in WGS84 of RD New, met het laatste "
                "openbare cijfer per indicator) en cijfers (alle openbare cijfers). In QGIS: "
                "Kaartlagen toevoegen › WFS / OGC API - Features, met het adres van deze link.",
                "collections wijken and buurten (boundaries in WGS84 or RD New, with the latest "
                "public figure per indicator) and cijfers (every public figure). In QGIS: Add "
                "layer › WFS / OGC API - Features, with the address of this link.",
            ),
        ),
        (
            pick(lang, "JSON per weergave", "JSON per view"),
            "/data/json/?niveau=buurt" + ("&taal=en" if lang == "en" else ""),
            pick(
                lang,
                "de cijfers van elke pagina als JSON (/data/json/<pagina>?<dezelfde parameters>) "
                "en als CSV (/data/csv/…); alle cijfers: /data/cijfers.json.",
                "the figures of every page as JSON (/data/json/<page>?<the same parameters>) "
                "and as CSV (/data/csv/…); every figure: /data/cijfers.json.",
            ),
        ),
        (
            pick(lang, "Insluiten op een andere website", "Embed on another website"),
            "/embed" + suffix,
            pick(
                lang,
                "de kaart van een weergave of de kaart van een wijk in een iframe, voor de "
                "websites die de beheerder toestaat.",
                "the map of a view or a district card in an iframe, for the websites the "
                "administrator allows.",
            ),
        ),
        # Atom feeds of the changes beyond chance (issue 18 A2)
        (t("feed_follow", lang), "/veranderingen.atom" + suffix, t("feed_data_note", lang)),
    ]


def reuse_note(lang: str) -> html.P:
    """Same figures as the pages, each with source and licence; credit when reusing."""
    return html.P(
        pick(
            lang,
            "Dezelfde openbare cijfers als op de pagina's, met dezelfde onderdrukking; de "
            "pagina's ronden af op de decimalen van de indicator, de bestanden geven de "
            "waarde zoals geladen of berekend. Elke waarde draagt haar bron en licentie. "
            "Vermeld de bron bij hergebruik (CBS-cijfers: CC BY 4.0).",
            "The same public figures as on the pages, with the same suppression; the pages "
            "round to the indicator's decimals, the files give the value as loaded or "
            "derived. Every value carries its source and licence. Credit the source when "
            "reusing (CBS figures: CC BY 4.0).",
        ),
        className="small-note",
    )


def init_app(server) -> None:
    """Register the routes and the frame rule of the embed pages on the Flask ``server``."""
    from dashboard import embed, ogc, viewdata

    ogc.init_app(server)
    viewdata.init_app(server)
    # registered before Talisman (dashboard.app._harden), so it runs after Talisman has set
    # the headers: only the embed pages get the configured frame-ancestors
    server.after_request(embed.frame_headers)
