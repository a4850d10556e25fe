"""A name in ``/wijk/<naam>`` that is no wijk or buurt of its own but part of several names
(``/wijk/tuindorp``: Tuindorp 't Lansink and Tuindorp-Zuid): a page offering each, with its
wijk, instead of a not-found answer."""

from __future__ import annotations

from dash import html

from dashboard.data import Context
from dashboard.i18n import t
from dashboard.profile import normalise, search_areas, slugify
from dashboard.shell import href, page

MIN_LENGTH = 3  # shorter keys ('es') match half the city: they stay not found
MAX_CHOICES = 20


def area_choices(ctx: Context, key: str | None) -> list[dict]:
    """The wijken and buurten whose name contains ``key`` (a name or slug, accents and case
    ignored); empty for a short key. Each hit: code, name, level, wijk (name)."""
    words = slugify(str(key or "")).replace("-", " ")
    if len(words) < MIN_LENGTH:
        return []
    return search_areas(ctx, words, limit=MAX_CHOICES)


def written_key(key: str | None, hits: list[dict]) -> str:
    """``key`` as the data writes it in the first offered name that contains it ('tuindorp'
    -> 'Tuindorp'), else as it was given (at most 60 characters).

    >>> written_key("tuindorp", [{"name": "Tuindorp 't Lansink"}])
    'Tuindorp'
    >>> written_key("TUINDÖRP-zuid", [{"name": "Tuindorp-Zuid"}])
    'Tuindorp-Zuid'
    """
    words = normalise(str(key or ""))
    for hit in hits:
        name = str(hit["name"])
        for start in range(len(name)):
            for end in range(start + 1, len(name) + 1):
                part = name[start:end]
                if part == part.strip() and normalise(part) == words:
                    return part
    return str(key or "")[:60]


def display_key(ctx: Context, key: str | None) -> str:
    """The name a choice page and its tab title show for ``key``."""
    return written_key(key, area_choices(ctx, key))


def choice_link(ctx: Context, hit: dict, lang: str) -> html.Li:
    """One offered area: a buurt opens its wijk's profile with that buurt first."""
    if hit["level"] == "wijk":
        target = href(f"/wijk/{slugify(hit['name'])}", lang)
        where = t("choice_wijk", lang)
    else:
        target = href(f"/wijk/{slugify(hit['wijk'])}", lang, buurt=hit["code"])
        where = t("choice_buurt_in", lang, wijk=hit["wijk"])
    return html.Li([html.A(hit["name"], href=target), f" ({where})"])


def choice_page(ctx: Context, key: str, hits: list[dict], lang: str, path: str):
    """The page offering every area whose name contains ``key``."""
    content = html.Div(
        [
            html.H1(t("choice_title", lang, value=written_key(key, hits))),
            html.P(t("choice_hint", lang)),
            html.Ul([choice_link(ctx, hit, lang) for hit in hits], className="choice-list"),
        ]
    )
    return page(content, lang, "nav_map", path=path)
