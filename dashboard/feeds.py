"""Atom feeds (RFC 4287) of the changes beyond chance (issue 18 A2): one for the whole gemeente
at ``/veranderingen.atom`` and one per wijk (with its buurten) at
``/wijk/<code or name>/veranderingen.atom``, Dutch by default, English with ``?taal=en``.

Each entry is one change between two consecutive periods that :mod:`indicators.change` finds
beyond chance at 95% or 99.8% (:mod:`indicators.feed` picks the pairs), on the public figures
the pages show. Its id is a tag: URI of gemeente, area, indicator and periods, so the same
change keeps its id on every build and request; its ``updated`` is when the newer figure
entered the store (its import, else the store's build), never the time of asking. Every
absolute link comes from :func:`dashboard.web.absolute_url` (the configured public URL).

The XML is made with ElementTree (which escapes text and attributes); a document is built once
per data version, scope, language and public URL by one worker of the server (the others read
it: ``pagecache.shared_bytes``; the warming thread makes every feed after a change), and
answered with an ETag and Last-Modified (304 on a matching If-None-Match).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from html import escape as escape_html
from urllib.parse import urlsplit

import pandas as pd
from dash import html
from flask import Response, request

from dashboard import data, settings
from dashboard.i18n import t
from dashboard.web import absolute_url
from geodata.gemeente import GEMEENTE
from indicators import change, changestate, feed
from indicators.formatting import UNIT_LABEL, UNIT_SUFFIX, format_difference, format_number
from indicators.periods import format_period

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MIMETYPE = "application/atom+xml; charset=utf-8"
GEMEENTE_FEED = "/veranderingen.atom"
WIJK_FEED = "/wijk/{slug}/veranderingen.atom"
TAG_YEAR = 2026  # the year in every tag: URI (RFC 4151); never change it, ids must stay
MAX_AGE = 300  # seconds a reader may keep a feed without asking again
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Scope:
    """What one feed covers: the gemeente (``wijk`` None, every area) or one wijk and its
    buurten."""

    code: str
    name: str
    slug: str | None = None
    areas: tuple[str, ...] | None = None

    @property
    def wijk(self) -> bool:
        return self.slug is not None


def gemeente_scope() -> Scope:
    """The feed of the whole gemeente."""
    return Scope(GEMEENTE.code, GEMEENTE.name)


def wijk_scope(ctx: data.Context, key: str) -> Scope | None:
    """The feed of the wijk named by ``key`` (what ``/wijk/<key>`` accepts: a wijk code, name
    or slug, or a buurt's, which leads to its wijk); None for anything else."""
    from dashboard.buurtfocus import resolve_area
    from dashboard.profile import slugify

    wijk, _ = resolve_area(ctx, key)
    if wijk is None:
        return None
    wijken = ctx.areas["wijk"].set_index("code")
    buurten = ctx.areas["buurt"]
    codes = (wijk, *buurten.loc[buurten["wijkcode"] == wijk, "code"])
    name = str(wijken.loc[wijk, "name"])
    return Scope(wijk, name, slugify(name), tuple(codes))


def feed_path(scope: Scope) -> str:
    """The path of a scope's feed."""
    return WIJK_FEED.format(slug=scope.slug) if scope.wijk else GEMEENTE_FEED


# ------------------------------------------------------------------------- data, per version
def all_changes(ctx: data.Context) -> pd.DataFrame:
    """Every change between consecutive periods at every level (once per data version)."""
    from dashboard.profile import members

    return ctx.once(
        "feed_changes",
        lambda: feed.consecutive_changes(ctx.public_obs, ctx.data.indicators, members(ctx)),
    )


def import_times(ctx: data.Context) -> dict[int, str]:
    """Import number -> when it was loaded (imports not undone), once per data version."""
    return ctx.once("feed_imports", lambda: feed.active_imports(data.current_store().import_log()))


def built_at(ctx: data.Context) -> str:
    """When the store was built from the bundled sources (its figures entered it then)."""
    return str(ctx.data.meta.get("built_at") or "1970-01-01T00:00:00+00:00")


def scope_changes(ctx: data.Context, scope: Scope) -> pd.DataFrame:
    """The changes of the areas of ``scope`` (all verdicts)."""
    rows = all_changes(ctx)
    if scope.areas is None:
        return rows
    return rows[rows["area_code"].isin(scope.areas)].reset_index(drop=True)


def entry_time(ctx: data.Context, row) -> str:
    """When the newer figure of a change entered the store (see :func:`feed.entered_at`)."""
    from dashboard.profile import members

    return feed.entered_at(ctx.public_obs, row, import_times(ctx), built_at(ctx), members(ctx))


def data_time(ctx: data.Context) -> str:
    """The latest time the public figures changed: the store's build or its newest import."""
    return max([built_at(ctx), *import_times(ctx).values()])


# ------------------------------------------------------------------------- words and links
def clean(text) -> str:
    """``text`` without characters XML 1.0 cannot carry (ElementTree escapes the rest)."""
    return _NOT_XML.sub("", str(text))


def area_names(ctx: data.Context) -> dict[str, str]:
    """Area code -> name, the gemeente included."""
    names = {GEMEENTE.code: GEMEENTE.name}
    for level in ("wijk", "buurt"):
        frame = ctx.areas[level]
        names.update(zip(frame["code"], frame["name"], strict=True))
    return names


def wijk_slug_of(ctx: data.Context, code: str) -> str | None:
    """The slug of the wijk of an area (itself for a wijk, None for the gemeente)."""
    from dashboard.profile import slugify

    buurten = ctx.areas["buurt"].set_index("code")
    wijk = buurten.loc[code, "wijkcode"] if code in buurten.index else code
    wijken = ctx.areas["wijk"].set_index("code")
    return slugify(str(wijken.loc[wijk, "name"])) if wijk in wijken.index else None


def view_links(ctx: data.Context, row, lang: str) -> list[tuple[str, str, str]]:
    """(rel, title, absolute URL) of the views of a change: the wijk page (with the buurt
    chosen) and the map permalink of that indicator and level in its change mode for the two
    periods; for the gemeente the comparison page."""
    from dashboard.shell import href

    code, level = row["area_code"], row["level"]
    if level == "gemeente":
        # the gemeente is the comparison's fixed last column: naming its code in '?gebieden='
        # opened the page with two fallback notices ("Hengelo staat altijd in de laatste kolom…")
        target = href("/vergelijk", lang)
        return [("alternate", t("feed_link_compare", lang), absolute_url(target))]
    buurt = code if level == "buurt" else None
    wijk = href(f"/wijk/{wijk_slug_of(ctx, code)}", lang, buurt=buurt)
    state = {
        "indicator": row["indicator_id"],
        "niveau": level,
        # the map in its change mode, coloured by this change (not the values of one period)
        changestate.MODE_PARAM: changestate.CHANGE_MODE,
        changestate.FROM_PARAM: row["period_from"],
        changestate.TO_PARAM: row["period_to"],
    }
    kaart = href("/", lang, **state, gebied=code)
    return [
        ("alternate", t("feed_link_wijk", lang), absolute_url(wijk)),
        ("related", t("feed_link_map", lang), absolute_url(kaart)),
    ]


def value_with_unit(row, which: str, lang: str) -> str:
    """A change's value (``which`` 'from' or 'to') with its unit: '3.676 (aantal)', '20%'."""
    text = change.value_text(row, which, lang)
    unit = row["unit"]
    if unit in UNIT_SUFFIX and UNIT_SUFFIX[unit][lang]:
        return text if unit == "pct" else text + UNIT_SUFFIX[unit][lang]
    return f"{text} ({UNIT_LABEL.get(unit, {}).get(lang, unit)})"


def difference_text(row, lang: str) -> str:
    """'−231 (−6%)': the signed difference in the figure's decimals and the relative change."""
    decimals = 0 if row["unit"] == "count" else int(row["decimals"] or 0)
    text = format_difference(row["value_to"], row["value_from"], decimals, lang)
    text += " procentpunten" if row["unit"] == "pct" and lang == "nl" else ""
    text += " percentage points" if row["unit"] == "pct" and lang == "en" else ""
    rel = change.relative_text(row, lang)
    return f"{text} ({rel})" if rel else text


def p_text(p_value: float, lang: str) -> str:
    """A p-value with its relation in the page's number format: '= 0,008', '< 0,001'.

    >>> p_text(0.00825, "nl"), p_text(0.00001, "en")
    ('= 0,008', '< 0.001')
    """
    if p_value < 0.001:
        return "< " + format_number(0.001, 3, lang)
    return "= " + format_number(p_value, 3, lang)


def source_text(ctx: data.Context, row, period: str, lang: str) -> str | None:
    """'CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED) (2024)': publisher, title
    and year of the source of a change's figure of ``period``."""
    obs = ctx.public_obs
    match = obs[
        (obs["area_code"] == row["area_code"])
        & (obs["indicator_id"] == row["indicator_id"])
        & (obs["period"].astype(str) == str(period))
    ]
    sources = ctx.data.sources.set_index("id")
    if match.empty or match["source_id"].iloc[0] not in sources.index:
        return None
    source = sources.loc[match["source_id"].iloc[0]]
    title = source["title_en"] if lang == "en" and source["title_en"] else source["title"]
    return f"{source['publisher']}, {title} ({source['year']})"


# ------------------------------------------------------------------------- the document
def _sub(parent: ET.Element, tag: str, text=None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def entry_title(row, names: dict[str, str], lang: str) -> str:
    """'Berflo Es: Geregistreerde misdrijven (totaal) (2023 → 2024): 200 → 300 (+50%), …'."""
    return f"{names.get(row['area_code'], row['area_code'])}: {change.change_sentence(row, lang)}"


def content_lines(ctx: data.Context, row, names: dict[str, str], lang: str) -> list[str]:
    """The lines of an entry's content: area, both values with units and periods, the
    difference, the test and its level, and the sources with their years."""
    level = t(f"feed_level_{row['level']}", lang)
    name = names.get(row["area_code"], row["area_code"])
    lines = [t("feed_area", lang, name=name, level=level, code=row["area_code"])]
    for which in ("from", "to"):
        period = format_period(row[f"period_{which}"], lang)
        lines.append(t("feed_value", lang, period=period, value=value_with_unit(row, which, lang)))
    lines.append(t("feed_difference", lang, difference=difference_text(row, lang)))
    test = change.TEXT[row["test"]][lang]
    verdict = change.verdict_text(row, lang)
    lines.append(t("feed_test", lang, test=test, p=p_text(row["p_value"], lang), verdict=verdict))
    return lines + source_lines(ctx, row, lang)


def source_lines(ctx: data.Context, row, lang: str) -> list[str]:
    """The source (publisher, title, year) of both figures of a change: one line when they
    share it, else one per period."""
    found = {p: source_text(ctx, row, row[f"period_{p}"], lang) for p in ("from", "to")}
    if found["from"] == found["to"]:
        return [t("feed_source_both", lang, source=found["to"])] if found["to"] else []
    return [
        t("feed_source", lang, period=format_period(row[f"period_{p}"], lang), source=text)
        for p, text in found.items()
        if text
    ]


def content_element(entry: ET.Element, sentence: str, lines: list[str], links) -> None:
    """The entry's content as one XHTML div: the sentence, a list of facts, the links."""
    content = _sub(entry, "content", type="xhtml")
    div = _sub(content, "div", xmlns=XHTML)
    _sub(div, "p", sentence)
    facts = _sub(div, "ul")
    for line in lines:
        _sub(facts, "li", line)
    para = _sub(div, "p")
    for i, (_, title, url) in enumerate(links):
        anchor = _sub(para, "a", title, href=url)
        anchor.tail = " · " if i < len(links) - 1 else None


def tag_authority() -> str:
    """The host of the configured public URL: the authority of every tag: URI."""
    return urlsplit(settings.public_url()).hostname or "localhost"


def entry_element(feed_el: ET.Element, ctx: data.Context, row, updated: str, lang: str) -> None:
    """Add the entry of one change (its newer figure entered the store at ``updated``)."""
    entry = _sub(feed_el, "entry")
    key = feed.change_key(GEMEENTE.code, row)
    _sub(entry, "id", feed.tag_uri(tag_authority(), key, TAG_YEAR))
    _sub(entry, "title", entry_title(row, area_names(ctx), lang))
    _sub(entry, "updated", updated)
    links = view_links(ctx, row, lang)
    for rel, title, url in links:
        _sub(entry, "link", rel=rel, type="text/html", href=url, title=title)
    _sub(entry, "category", term=row["indicator_id"], label=row[f"label_{lang}"])
    sentence = change.change_sentence(row, lang)
    content_element(entry, sentence, content_lines(ctx, row, area_names(ctx), lang), links)


def subtitle(scope_rows: pd.DataFrame, entries: int, lang: str) -> str:
    """What the feed holds, or why it holds nothing."""
    if entries:
        return t("feed_subtitle", lang)
    tested = int((scope_rows["verdict"] == "within_chance").sum())
    untestable = int((scope_rows["verdict"] == "not_testable").sum())
    if not tested and not untestable:
        return t("feed_none_one_period", lang)
    if not tested:
        return t("feed_none_testable", lang, count=untestable)
    if not untestable:
        return t("feed_none_beyond", lang, count=tested)
    return t("feed_none_beyond_some_untestable", lang, count=tested, untestable=untestable)


def feed_head(scope: Scope, lang: str, texts: tuple[str, str], updated: str) -> ET.Element:
    """The feed element with id, title, subtitle and rights (``texts``), updated, author and
    its links."""
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: lang})
    _sub(
        root,
        "id",
        feed.tag_uri(tag_authority(), f"{GEMEENTE.code}/veranderingen/{scope.code}", TAG_YEAR),
    )
    if scope.wijk:
        _sub(root, "title", t("feed_title", lang, name=scope.name))
    else:
        _sub(root, "title", t("feed_title_gemeente", lang))
    _sub(root, "subtitle", texts[0])
    _sub(root, "updated", updated)
    author = _sub(root, "author")
    _sub(author, "name", t("feed_author", lang))
    _sub(author, "uri", absolute_url("/"))
    _sub(root, "rights", texts[1])
    self_url = absolute_url(_page(feed_path(scope), lang))
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    page = f"/wijk/{scope.slug}" if scope.wijk else "/vergelijk"
    _sub(root, "link", rel="alternate", type="text/html", href=absolute_url(_page(page, lang)))
    return root


def _page(path: str, lang: str) -> str:
    from dashboard.shell import href

    return href(path, lang)


def feed_document(ctx: data.Context, scope: Scope, lang: str) -> tuple[bytes, str]:
    """The Atom document of ``scope`` in ``lang`` and its ``updated`` time (the newest
    entry's, or the time the figures last changed when it has no entries)."""
    rows = scope_changes(ctx, scope)
    beyond = feed.feed_changes(rows)
    times = [entry_time(ctx, row) for _, row in beyond.iterrows()]
    updated = max(times, key=_instant) if times else data_time(ctx)
    texts = (subtitle(rows, len(beyond), lang), rights_line(ctx, lang))
    root = feed_head(scope, lang, texts, updated)
    for (_, row), when in zip(beyond.iterrows(), times, strict=True):
        entry_element(root, ctx, row, when, lang)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body, updated


_QUALIFIED = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)$")


def rights_line(ctx: data.Context, lang: str) -> str:
    """Who to credit under which licence, each publisher named once: 'CBS, Politie / CBS
    (CC BY 4.0); Gemeente Hengelo (Openbaar raadsdocument; import)'. A staff import's source
    is 'Gemeente Hengelo (import)' with the gemeente itself as licence: the page's credit line
    (:func:`dashboard.open_data.credit_line`) would name the gemeente three times."""
    from dashboard.pages.over_data import licence

    sources = ctx.data.sources[ctx.data.sources["id"].isin(set(ctx.public_obs["source_id"]))]
    terms: dict[str, list[str]] = {}  # publisher -> its licences (or notes), in order
    for row in sources.itertuples():
        publisher, rights = str(row.publisher), str(row.licence)
        found = _QUALIFIED.match(publisher)
        name, note = (found["name"], found["note"]) if found else (publisher, "")
        own = rights in (name, publisher)  # the publisher's own data, no licence of another
        term = note if own else licence(rights, lang)
        kinds = terms.setdefault(name if own or not found else publisher, [])
        if term and term not in kinds:
            kinds.append(term)
    groups: dict[tuple, list[str]] = {}
    for name, kinds in terms.items():
        groups.setdefault(tuple(kinds), []).append(name)
    return "; ".join(
        ", ".join(names) + (f" ({'; '.join(kinds)})" if kinds else "")
        for kinds, names in groups.items()
    )


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ------------------------------------------------------------------------- the web side
def cached_document(ctx: data.Context, scope: Scope, lang: str) -> tuple[bytes, str, str]:
    """The document, its updated time and its ETag, once per data version, scope, language
    and public URL, and once per server (the workers share it: ``pagecache.shared_bytes``)."""
    from dashboard import pagecache

    public = settings.public_url()

    def build() -> bytes:
        body, updated = feed_document(ctx, scope, lang)
        return updated.encode() + b"\n" + body  # the time travels with the document

    packed = pagecache.shared_bytes(ctx, f"feed {scope.code} {lang} {public}", build)
    updated, body = packed.split(b"\n", 1)
    tag = hashlib.sha256(f"{ctx.version}|{scope.code}|{lang}|{public}".encode()).hexdigest()
    return body, updated.decode(), tag[:32]


def feed_response(ctx: data.Context, scope: Scope, lang: str) -> Response:
    """The feed as ``application/atom+xml`` with ETag, Last-Modified and a short public
    cache; 304 when the reader already has this version."""
    body, updated, tag = cached_document(ctx, scope, lang)
    response = Response(body, content_type=MIMETYPE)
    response.set_etag(tag)
    response.last_modified = _instant(updated)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Vary"] = "Accept-Encoding"
    return response.make_conditional(request)


def _language() -> str:
    from dashboard.shell import parse_language

    return parse_language(request.args.get("taal"))[0]


def init_app(server) -> None:
    """Register the two feed routes on the Flask ``server``."""

    @server.route(GEMEENTE_FEED)
    def gemeente_feed():
        return feed_response(data.get_context(), gemeente_scope(), _language())

    @server.route("/wijk/<key>/veranderingen.atom")
    def wijk_feed(key: str):
        ctx = data.get_context()
        lang = _language()
        scope = wijk_scope(ctx, key)
        if scope is None:
            message = unknown_wijk_message(ctx, key, lang) + "\n"
            return Response(message, status=404, content_type="text/plain; charset=utf-8")
        return feed_response(ctx, scope, lang)


def unknown_wijk_message(ctx: data.Context, key: str, lang: str) -> str:
    """Why ``/wijk/<key>/veranderingen.atom`` has no feed: no such area, or (as the page
    ``/wijk/<key>`` offers them) the areas whose names contain ``key``, with the feeds of
    their wijken."""
    from dashboard.namechoice import area_choices
    from dashboard.profile import slugify
    from dashboard.shell import visible

    name = visible(key[:60])  # a NUL from %00 shown as U+FFFD, as on the pages
    hits = area_choices(ctx, key)
    if not hits:
        return t("feed_unknown_wijk", lang, name=name)
    wijken = dict.fromkeys(hit["name"] if hit["level"] == "wijk" else hit["wijk"] for hit in hits)
    return t(
        "feed_ambiguous_wijk",
        lang,
        name=name,
        areas=", ".join(hit["name"] for hit in hits),
        feeds=" ".join(WIJK_FEED.format(slug=slugify(wijk)) for wijk in wijken),
    )


# ------------------------------------------------------------------------- discoverability
def feed_link(path: str, lang: str, note: bool = True) -> html.P:
    """A visible link 'Volg veranderingen (Atom)' to the feed at ``path`` (relative; the
    feed's own links are absolute), with a line on what it is."""
    return html.P(
        [
            html.A(t("feed_follow", lang), href=_page(path, lang)),
            ": " + t("feed_follow_note", lang) if note else None,
        ],
        className="feed-link small-note",
    )


def wijk_feed_link(profile, lang: str) -> html.P:
    """The feed link of a wijk page, under its 'Wat is veranderd' block."""
    return feed_link(WIJK_FEED.format(slug=profile.slug), lang)


def discovery_path(path: str, lang: str) -> str | None:
    """The feed a page's ``<head>`` names for feed readers: the wijk's on ``/wijk/<key>`` (a
    known wijk or buurt), the gemeente's on the map and ``/data``; None elsewhere."""
    parts = [p for p in path.split("/") if p]
    if parts in ([], ["data"]):
        return _page(GEMEENTE_FEED, lang)
    if len(parts) != 2 or parts[0] != "wijk":
        return None
    try:
        scope = wijk_scope(data.get_context(), parts[1])
    except Exception:  # noqa: BLE001 - a broken store shows its own error page
        return None
    return _page(feed_path(scope), lang) if scope else None


def with_discovery_link(page_html: str, path: str, lang: str) -> str:
    """The index HTML with ``<link rel="alternate" type="application/atom+xml">`` in its head
    when the page has a feed (absolute, from the public URL)."""
    feed_url = discovery_path(path, lang)
    if feed_url is None:
        return page_html
    title = escape_html(t("feed_follow", lang), quote=True)
    href = escape_html(absolute_url(feed_url), quote=True)
    tag = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">'
    return page_html.replace("</head>", f"  {tag}\n  </head>", 1)
