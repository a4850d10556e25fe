"""Embeddable views: ``/embed/kaart`` (the map of a view), ``/embed/wijk/<code>`` (a wijk's
card) and ``/embed`` (the help page with the iframe code for a view).

The embed pages have no site navigation and fit their frame; they link back to the full view.
The map is the map page's own layout (same components, same ``assets/kaart.js``), laid out
for a frame by ``assets/embed.css``; which sites may frame them: :mod:`dashboard.embed`.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import data, embed, web
from dashboard.figures import short_value
from dashboard.i18n import pick
from dashboard.open_data import credit_line
from dashboard.publicurl import public_base_url
from dashboard.shell import href, page, parse_language, store_error_page
from geodata.gemeente import GEMEENTE
from indicators.formatting import UNIT_LABEL, is_missing
from indicators.periods import format_period

CARD_ROWS = 8  # the wijk card shows the indicators with a judgement first, at most this many


def find(component, test):
    """The first component in a layout tree for which ``test`` is true (depth first)."""
    if test(component):
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = find(child, test)
            if found is not None:
                return found
    return None


def frame(children, lang: str, kind: str) -> html.Div:
    """The page of an embed: no header or navigation, the content and a line of credit."""
    return html.Div(
        className=f"embed-page embed-{kind} lang-{lang}",
        lang=lang,
        children=[html.Main(id="main", tabIndex="-1", children=children)],
    )


def back_link(target: str, lang: str, credit: str | None = None) -> html.P:
    """The way to the full view (a new tab: the frame stays on the other site), in the
    embed's language; its accessible name says that it opens a new tab (the arrow is hidden
    from screen readers, the words that say so are hidden from the eye)."""
    return html.P(
        className="embed-credit",
        children=[
            html.A(
                [
                    pick(
                        lang,
                        f"Bekijk in Wijkveiligheid {GEMEENTE.name}",
                        f"Open in Wijkveiligheid {GEMEENTE.name}",
                    ),
                    html.Span(" ↗", **{"aria-hidden": "true"}),
                    html.Span(
                        pick(lang, " (opent in een nieuw tabblad)", " (opens in a new tab)"),
                        className="visually-hidden",
                    ),
                ],
                href=target,
                target="_blank",
                rel="noopener",
                className="embed-back",
            ),
            *([" · ", pick(lang, "Bronnen: ", "Sources: "), credit] if credit else []),
        ],
    )


# ------------------------------------------------------------------ /embed/kaart
def map_layout(**params):
    """The map page's own layout (components, stores, ids: kaart.js draws it as on ``/``),
    without the site frame; controls and heading are hidden by embed.css, the table follows
    the map for those who scroll or use a screen reader."""
    from dashboard.pages import kaart

    try:
        ctx = data.get_context()
    except Exception as exc:  # noqa: BLE001 - the store is missing or broken: say so
        return store_error_page(exc, params)
    state, lang, _ = kaart.resolve_state(ctx, params)
    full = kaart.layout(**params)
    main = find(full, lambda c: getattr(c, "id", None) == "main")
    target = href(
        "/",
        lang,
        indicator=state.indicator,
        niveau=state.level,
        periode=state.chosen_period,
        gebied=state.area,
    )
    credit = credit_line(ctx, lang, [ctx.data.indicators.loc[state.indicator, "source"]])
    # the link back and the credit first: a site gives the frame the map's height, and what
    # is under the map (the table) is only for those who scroll
    return frame([back_link(target, lang, credit), *main.children], lang, "map")


# ------------------------------------------------------------------ /embed/wijk/<code>
def card_rows(profile, lang: str) -> list[list]:
    """Indicator, value, Hengelo, judgement and period of the wijk's figures (public data,
    as on the wijk page); judged figures first."""
    from dashboard.pages.wijk import judgement_cell

    figures = profile.figures.copy()
    figures["judged"] = figures["judgement"].isin(["better", "worse"])
    figures = figures.sort_values("judged", ascending=False, kind="stable").head(CARD_ROWS)
    rows = []
    for row in figures.itertuples():
        unit, dec = row.unit, int(row.decimals)
        reference = None if is_missing(row.reference) else row.reference
        rows.append(
            [
                html.Span(
                    [
                        row.label_en if lang == "en" else row.label_nl,
                        html.Span(UNIT_LABEL[unit][lang], className="cell-note"),
                    ]
                ),
                short_value(row.value, unit, dec, lang),
                short_value(reference, unit, dec, lang) or "–",
                judgement_cell(row, lang),
                format_period(row.period, lang),
            ]
        )
    return rows


def wijk_layout(code=None, **params):
    from dashboard.components import simple_table
    from dashboard.profile import resolve_wijk, wijk_profile

    try:
        ctx = data.get_context()
    except Exception as exc:  # noqa: BLE001
        return store_error_page(exc, params)
    lang, _ = parse_language(params.get("taal"))
    wijk = resolve_wijk(ctx, code)
    if wijk is None:
        return frame(
            [html.H1(pick(lang, "Wijk niet gevonden", "District not found"))], lang, "card"
        )
    profile = ctx.once(("wijk_profile", wijk), lambda: wijk_profile(ctx, wijk))
    header = [
        pick(lang, "Indicator", "Indicator"),
        pick(lang, "Wijk", "District"),
        GEMEENTE.name,
        pick(lang, "Oordeel", "Judgement"),
        pick(lang, "Periode", "Period"),
    ]
    from dashboard.pages.over_data import licence

    sources = profile.sources[profile.sources["id"].isin(set(profile.figures["source_id"]))]
    credits = [
        f"{row.attribution.removeprefix('Bron: ')} ({licence(str(row.licence), lang)})"
        for row in sources.itertuples()
    ]
    credit = "; ".join(dict.fromkeys(credits))  # two CBS tables are one credit
    return frame(
        [
            html.H1(profile.name),
            html.P(
                pick(
                    lang,
                    f"Wijk in {GEMEENTE.name} · {len(profile.buurten)} buurten",
                    f"District of {GEMEENTE.name} · {len(profile.buurten)} neighbourhoods",
                ),
                className="panel-subtitle",
            ),
            back_link(href(f"/wijk/{profile.slug}", lang), lang),
            simple_table(
                header,
                card_rows(profile, lang),
                caption=pick(
                    lang,
                    f"{profile.name} tegenover {GEMEENTE.name}",
                    f"{profile.name} against {GEMEENTE.name}",
                ),
                numeric={1, 2},
                lang=lang,
            ),
            html.P(pick(lang, "Bron: ", "Source: ") + credit, className="source-line"),
        ],
        lang,
        "card",
    )


# ------------------------------------------------------------------ /embed (help)
def help_layout(**params):
    try:
        ctx = data.get_context()
    except Exception as exc:  # noqa: BLE001
        return store_error_page(exc, params)
    lang, notice = parse_language(params.get("taal"))
    view = params.get("weergave") or "/"
    notices = [notice] if notice else []
    src = _embed_src(view, lang, notices)
    title = _embed_title(src, lang)
    code = embed.iframe_code(public_base_url() + src, title, embed.frame_height(src))
    content = html.Div(
        className="embed-help",
        children=[
            *_help_intro(ctx, lang),
            html.H2(pick(lang, "Code voor deze weergave", "Code for this view")),
            html.Label(pick(lang, "HTML-code", "HTML code"), htmlFor="embed-code"),
            dcc.Textarea(
                id="embed-code", value=code, readOnly=True, rows=4, className="embed-code"
            ),
            _embedded_page(src, lang),
            html.H2(pick(lang, "Voorbeeld", "Preview")),
            html.Iframe(
                src=src,
                title=title,
                className="embed-preview",
                style={"height": f"{embed.frame_height(src)}px"},
            ),
        ],
    )
    return page(
        content, lang, "nav_data", switch_params={"weergave": view}, notices=notices, path="/embed"
    )


def _embed_src(view: str, lang: str, notices: list) -> str:
    """The embed address of ``view``; the map's, with a notice, when it cannot be embedded."""
    src = embed.embed_url(view)
    if src is not None:
        return src
    notices.append(
        pick(
            lang,
            f"'{view[:80]}' kan niet worden ingesloten: alleen de kaart (/?…) en een "
            "wijk (/wijk/…). Hieronder de kaart.",
            f"'{view[:80]}' cannot be embedded: only the map (/?…) and a district "
            "(/wijk/…). The map is shown below.",
        )
    )
    return embed.embed_url("/")


def _embed_title(src: str, lang: str) -> str:
    """The iframe title: the district card or the map."""
    if src.startswith("/embed/wijk/"):
        return pick(
            lang,
            f"Wijkveiligheid {GEMEENTE.name}: wijk",
            f"Wijkveiligheid {GEMEENTE.name}: district",
        )
    return pick(
        lang, f"Wijkveiligheid {GEMEENTE.name}: kaart", f"Wijkveiligheid {GEMEENTE.name}: map"
    )


def _allowed_sites(lang: str) -> str:
    """Which sites may embed (WIJKVEILIGHEID_EMBED_ORIGINS), or that none may yet."""
    origins = embed.embed_origins()
    if origins:
        return pick(lang, "Deze sites mogen insluiten: ", "These sites may embed: ") + ", ".join(
            origins
        )
    return pick(
        lang,
        "Er zijn nog geen sites ingesteld die mogen insluiten: de beheerder zet hun adressen "
        "in WIJKVEILIGHEID_EMBED_ORIGINS.",
        "No site may embed yet: the administrator lists their addresses in "
        "WIJKVEILIGHEID_EMBED_ORIGINS.",
    )


def _help_intro(ctx, lang: str) -> list:
    """Heading, what can be embedded (with the credit to keep) and which sites may."""
    return [
        html.H1(pick(lang, "Insluiten op een andere website", "Embed on another website")),
        html.P(
            pick(
                lang,
                "De kaart van een weergave en de kaart van een wijk kunnen in een andere "
                "website worden getoond (iframe), zonder de navigatie van deze site, met een "
                "link terug. Ze tonen alleen openbare cijfers, met hun bron en licentie; "
                f"laat die vermelding staan. Bronnen: {credit_line(ctx, lang)}.",
                "The map of a view and the card of a district can be shown inside another "
                "website (iframe), without this site's navigation, with a link back. They "
                "show public figures only, with their source and licence; keep that credit "
                f"visible. Sources: {credit_line(ctx, lang)}.",
            )
        ),
        html.P(_allowed_sites(lang)),
    ]


def _embedded_page(src: str, lang: str):
    """The embedded address and how to pick another view."""
    return html.P(
        [
            pick(lang, "Ingesloten pagina: ", "Embedded page: "),
            html.A(src, href=src),
            pick(
                lang,
                ". Een andere weergave: voeg ?weergave=<adres van die weergave> toe, bijvoorbeeld ",
                ". Another view: add ?weergave=<address of that view>, for example ",
            ),
            html.Code("/embed?weergave=/wijk/berflo-es"),
            ".",
        ]
    )


def _help_title(**_variables) -> str:
    lang = web.request_language()
    return web.compose_title([pick(lang, "Insluiten", "Embed")], lang)


def _card_title(code=None, **_variables) -> str:
    return web.wijk_title(code=code)


dash.register_page(
    "dashboard.pages.embed_kaart",
    path="/embed/kaart",
    title=web.map_title,
    name="Kaart (insluiten)",
    layout=map_layout,
)
dash.register_page(
    "dashboard.pages.embed_wijk",
    path_template="/embed/wijk/<code>",
    title=_card_title,
    exists=web.wijk_exists,
    name="Wijk (insluiten)",
    layout=wijk_layout,
)
dash.register_page(
    "dashboard.pages.embed_help",
    path="/embed",
    title=_help_title,
    name="Insluiten",
    layout=help_layout,
)
