"""Counts or rates on the wijk and compare pages (issue 18 A3): ``?maat=per1000`` shows every
count that has a rate per 1,000 inhabitants of the same year, "—" with the reason where a
rate cannot be made, kept in the URL and in the page caches; and three small defects (the
compare page's tab title, Hengelo in its area selects, the title of ``/wijk/tuindorp``).
Crime counts per buurt and wijk here are made up (test data only)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from dashboard import comparedata, pagecache, pagerates
from dashboard import data as data_module
from dashboard.namechoice import written_key
from indicators import rates
from indicators.formatting import format_number

from dashclient import call, find, prop, render_page

COUNT = "geregistreerde_misdrijven"
RATE = rates.rate_key(COUNT)
WIJK = "WK016400"  # Binnenstad: buurten BU01640000 (10), BU01640001 (suppressed), BU01640002


def obs_row(code, period, value, status="published", level="buurt", indicator=COUNT):
    return {
        "area_code": code,
        "level": level,
        "indicator_id": indicator,
        "period": period,
        "value": value,
        "n": np.nan,
        "margin": np.nan,
        "source_id": "POLITIE_CBS",
        "status": status,
        "coverage_n": np.nan,
        "coverage_total": np.nan,
        "coverage_share": np.nan,
        "note": "",
    }


@pytest.fixture(scope="module")
def rated_ctx(context):
    """The real data plus made-up 2021 crime counts: every buurt (one suppressed) and every
    wijk (so Binnenstad's total would give its suppressed buurt away)."""
    buurten = list(context.areas["buurt"]["code"])
    wijken = list(context.areas["wijk"]["code"])
    rows = [obs_row(code, "2021", float(10 + i)) for i, code in enumerate(buurten)]
    rows[1] = obs_row(buurten[1], "2021", np.nan, "suppressed")
    rows += [obs_row(c, "2021", 100.0 + 10 * i, level="wijk") for i, c in enumerate(wijken)]
    obs = pd.concat([context.data.observations, pd.DataFrame(rows)], ignore_index=True)
    return data_module.build_context(dataclasses.replace(context.data, observations=obs))


@pytest.fixture()
def rated(rated_ctx, monkeypatch):
    monkeypatch.setattr(data_module, "get_context", lambda *a, **k: rated_ctx)
    return rated_ctx


def text_of(content) -> str:
    return json.dumps(content, ensure_ascii=False)


def notices(content) -> str:
    return text_of([n for n in find_all(content, "notice")])


def find_all(node, class_name, found=None):
    """Every component with ``class_name`` among its classes."""
    found = [] if found is None else found
    if isinstance(node, dict):
        props = node.get("props", {})
        if class_name in str(props.get("className", "")).split():
            found.append(node)
        for value in props.values() if "props" in node else node.values():
            find_all(value, class_name, found)
    elif isinstance(node, list):
        for value in node:
            find_all(value, class_name, found)
    return found


def value_of(ctx, code: str, indicator: str, period: str = "2021") -> float:
    obs = ctx.public_obs
    mask = (obs["area_code"] == code) & (obs["indicator_id"] == indicator)
    return float(obs[mask & (obs["period"] == period)]["value"].iloc[0])


def expected_rate(ctx, code: str, lang: str = "nl") -> str:
    rate = value_of(ctx, code, COUNT) / value_of(ctx, code, "inwoners") * 1000
    return format_number(rate, 1, lang)


# --- the wijk page ------------------------------------------------------------------------


def test_wijk_page_shows_the_rates_from_the_url(client, rated):
    status, content, _ = render_page(client, f"/wijk/{WIJK}", "?maat=per1000")
    assert status == 200
    radio = find(content, "wijk-maat")
    assert radio["props"]["value"] == "per1000"
    assert find(content, "wijk-maat-box")["props"]["hidden"] is False
    text = text_of(content)
    assert "Geregistreerde misdrijven (totaal) per 1.000 inwoners" in text
    assert expected_rate(rated, WIJK) in text  # the wijk's own figure, Dutch decimal comma
    assert expected_rate(rated, "BU01640002") in text  # its buurt in the buurt table
    assert "inwoners: CBS/Kadaster 2021" in text  # the source and year of the inhabitants
    counts = text_of(render_page(client, f"/wijk/{WIJK}")[1])
    assert find(render_page(client, f"/wijk/{WIJK}")[1], "wijk-maat")["props"]["value"] == "aantal"
    assert "Geregistreerde misdrijven (totaal) per 1.000" not in counts
    assert expected_rate(rated, WIJK) not in counts


def test_suppressed_counts_give_a_dash_with_the_reason_never_zero(client, rated):
    _, content, _ = render_page(client, f"/wijk/{WIJK}", "?maat=per1000")
    text = text_of(content)
    # BU01640001 suppressed; BU01640000 hidden too, else the wijk total minus the others
    # gives it away (complementary suppression): both "—" with their reason
    assert '"title": "onderdrukt: te klein aantal"' in text
    assert '"title": "onderdrukt: anders terug te rekenen"' in text
    measured = pagerates.measured(rated, "per1000")
    assert measured.cells[("BU01640001", RATE, "2021")][0] == "suppressed"
    obs = measured.obs
    hidden = obs[(obs["indicator_id"] == RATE) & obs["area_code"].isin(["BU01640000"])]
    assert hidden["value"].isna().all() and (hidden["status"] == "suppressed").all()


def test_a_buurt_without_inhabitants_has_no_rate_and_says_why(client, rated):
    rate_obs = pagerates.measured(rated, "per1000").obs
    missing = rate_obs[(rate_obs["indicator_id"] == RATE) & (rate_obs["status"] == "missing")]
    buurt = missing[missing["level"] == "buurt"]["area_code"].iloc[0]
    buurten = rated.areas["buurt"].set_index("code")
    wijk = buurten.loc[buurt, "wijkcode"]
    _, content, _ = render_page(client, f"/wijk/{wijk}", f"?maat=per1000&buurt={buurt}")
    section = text_of(find(content, "gekozen-buurt"))
    assert "—" in section and "inwoners" in section.split("—", 1)[1][:200]
    assert '"0,0"' not in section


@pytest.mark.parametrize(
    "search,notice",
    [
        ("?maat=zzz", "'zzz' kan hier niet"),
        ("?maat=PER1000", "'PER1000' kan hier niet"),
        ("?maat=per1000&taal=en", None),
        ("?maat=", None),
    ],
)
def test_a_broken_measure_falls_back_to_counts_with_a_notice(client, rated, search, notice):
    status, content, _ = render_page(client, f"/wijk/{WIJK}", search)
    assert status == 200
    shown = notices(content)
    if notice:
        assert notice in shown
        assert find(content, "wijk-maat")["props"]["value"] == "aantal"
    else:
        assert "kan hier niet" not in shown and "not possible" not in shown


def test_english_rates_and_the_link_to_compare_keep_the_measure(client, rated):
    _, content, _ = render_page(client, f"/wijk/{WIJK}", "?maat=per1000&taal=en")
    text = text_of(content)
    assert "Per 1,000 inhabitants" in text and "Show counts as" in text
    assert expected_rate(rated, WIJK, "en") in text
    assert f"/vergelijk?gebieden={WIJK}&maat=per1000&taal=en" in text
    # the language switch keeps the measure and names the count, not the rate's key
    switch = find_all(content, "lang-switch")[0]["props"]["href"]
    assert "maat=per1000" in switch and "%40" not in switch and "@" not in switch


def test_without_any_rate_on_the_page_the_switch_is_hidden_and_per1000_says_so(client, context):
    status, content, _ = render_page(client, f"/wijk/{WIJK}", "?maat=per1000")
    assert status == 200
    assert find(content, "wijk-maat-box")["props"]["hidden"] is True
    assert "geen aantal dat per 1.000 inwoners kan" in notices(content)


def test_each_measure_is_its_own_cached_page(client, rated):
    pagecache.layouts.clear()
    pagecache.responses.clear()

    def first(query):
        page = f"http://localhost/wijk/{WIJK}{query}"
        return client.get("/_dash-layout", headers={"Referer": page}).get_data(as_text=True)

    counts, per1000 = first(""), first("?maat=per1000")
    assert counts != per1000 and "per 1.000 inwoners" in per1000.split("figures-heading")[1]
    assert first("") == counts and first("?maat=per1000") == per1000  # from the cache
    keys = [k for k in rated.memo if isinstance(k, tuple) and k[0] == "wijk_page"]
    assert {k[3] for k in keys if k[1] == WIJK} >= {None, "per1000"}  # (…, indicator, maat, taal)
    pagecache.layouts.clear()
    pagecache.responses.clear()


# --- the compare page ---------------------------------------------------------------------

COMPARE = "?gebieden=WK016400,WK016401&indicatoren=geregistreerde_misdrijven"


def test_compare_page_shows_rates_and_keeps_the_measure_in_the_url(client, rated):
    _, content, _ = render_page(client, "/vergelijk", COMPARE + "&maat=per1000")
    table = text_of(find(content, "vergelijk-table"))
    assert "per 1.000 inwoners" in table
    assert expected_rate(rated, "WK016400") in table
    assert expected_rate(rated, "WK016401") in table
    assert find(content, "vergelijk-maat")["props"]["value"] == "per1000"
    assert find(content, "vergelijk-indicators")["props"]["value"] == [RATE]
    switch = find_all(content, "lang-switch")[0]["props"]["href"]
    assert "indicatoren=geregistreerde_misdrijven&" in switch and "maat=per1000" in switch
    counts = text_of(find(render_page(client, "/vergelijk", COMPARE)[1], "vergelijk-table"))
    assert expected_rate(rated, "WK016400") not in counts and "110" in counts


def update_outputs():
    names = ["table", "charts", "ranking", "notices"]
    outs = [(f"vergelijk-{n}", "children") for n in names]
    outs += [("vergelijk-indicators", "options"), ("vergelijk-indicators", "value")]
    return outs + [("vergelijk-funnel-block", "children")]


def test_compare_callback_keeps_the_measure_of_the_page(client, rated):
    """A change of areas or indicators on a per-1,000 page keeps showing rates."""
    inputs = [prop(f"vergelijk-area-{i}", "value", c) for i, c in enumerate([WIJK, "WK016401"])]
    inputs += [prop("vergelijk-area-2", "value", ""), prop("vergelijk-area-3", "value", "")]
    inputs += [
        prop("vergelijk-indicators", "value", [COUNT]),
        prop("vergelijk-rank", "value", COUNT),
        prop("vergelijk-funnel", "value", "misdrijf_geweld"),
    ]
    state = [prop("vergelijk-lang", "data", "nl"), prop("vergelijk-maat", "value", "per1000")]
    status, answer, raw = call(client, update_outputs(), inputs, state)
    assert status == 200, raw[:300]
    broken = [state[0], prop("vergelijk-maat", "value", {"x": 1})]  # any value may arrive
    assert call(client, update_outputs(), inputs, broken)[0] < 500  # refused, never a crash
    assert status == 200, raw[:300]
    out = answer["response"]
    assert out["vergelijk-indicators"]["value"] == [RATE]  # the count became its rate
    assert expected_rate(rated, "WK016400") in text_of(out["vergelijk-table"]["children"])
    assert expected_rate(rated, "WK016400") in text_of(out["vergelijk-ranking"]["children"])
    assert "per 1.000 inwoners" in text_of(out["vergelijk-charts"]["children"])
    counts = [state[0], prop("vergelijk-maat", "value", "aantal")]
    status, answer, _ = call(client, update_outputs(), inputs, counts)
    assert status == 200
    assert answer["response"]["vergelijk-indicators"]["value"] == [COUNT]


def test_compare_data_is_kept_per_measure(rated):
    areas, inds = (WIJK, "WK016401"), (COUNT,)
    counts = comparedata.comparison_frame(rated, areas, inds, "aantal")
    per1000 = comparedata.comparison_frame(rated, areas, (RATE,), "per1000")
    assert comparedata.comparison_frame(rated, areas, (RATE,), "per1000") is per1000
    assert counts["value"].iloc[0] == 100.0
    assert per1000["value"].iloc[0] == pytest.approx(
        100.0 / value_of(rated, WIJK, "inwoners") * 1000
    )
    ranked = comparedata.wijk_ranking(rated, RATE, "per1000")
    assert ranked["value"].notna().all()
    assert pagerates.measured(rated, "per1000") is pagerates.measured(rated, "per1000")


# --- the small defects --------------------------------------------------------------------


def title_of(client, path: str) -> str:
    return client.get(path).get_data(as_text=True).split("<title>")[1].split("</title>")[0]


@pytest.mark.parametrize(
    "query,title",
    [
        ("gebieden=berflo-es,WK016401", "Berflo Es, Hengelose Es – Vergelijken"),
        ("gebieden=Binnenstad-Centrum&taal=en", "Binnenstad-Centrum – Compare"),
        ("gebieden=wk016405", "Berflo Es – Vergelijken"),
        ("gebieden=bogus", "Vergelijken"),
    ],
)
def test_compare_tab_title_names_the_resolved_areas(client, context, query, title):
    assert title_of(client, f"/vergelijk?{query}").startswith(title + " – ")


def test_compare_area_selects_do_not_offer_the_gemeente(client, context):
    _, content, _ = render_page(client, "/vergelijk", "?gebieden=WK016400")
    for i in range(4):
        values = [o["value"] for o in find(content, f"vergelijk-area-{i}")["props"]["options"]]
        assert "GM0164" not in values and "WK016400" in values and "" in values


def test_name_of_two_buurten_is_titled_as_the_data_writes_it(client, context):
    assert title_of(client, "/wijk/tuindorp").startswith("Tuindorp – kies een gebied")
    _, content, _ = render_page(client, "/wijk/tuindorp")
    assert "Meer gebieden passen bij 'Tuindorp'" in text_of(content)


@pytest.mark.parametrize(
    "key,names,expected",
    [
        ("tuindorp", ["Tuindorp 't Lansink", "Tuindorp-Zuid"], "Tuindorp"),
        ("TUINDÖRP", ["Tuindorp 't Lansink"], "Tuindorp"),
        ("lansink", ["Tuindorp 't Lansink"], "Lansink"),
        ("tuindorp-zuid", ["Tuindorp-Zuid"], "Tuindorp-Zuid"),
        ("nergens", ["Tuindorp-Zuid"], "nergens"),
    ],
)
def test_written_key(key, names, expected):
    assert written_key(key, [{"name": n} for n in names]) == expected


def test_wijk_map_and_its_legend_follow_the_measure(client, rated):
    search = f"?maat=per1000&indicator={COUNT}"
    _, content, _ = render_page(client, f"/wijk/{WIJK}", search)
    assert find(content, "wijk-indicator")["props"]["value"] == RATE
    caption = text_of(find(content, "wijk-map-caption"))
    assert "Geregistreerde misdrijven (totaal) per 1.000 inwoners" in caption
    markup = find(content, "wijk-map-svg")
    markup = text_of(markup) if markup else text_of(content)
    assert expected_rate(rated, "BU01640002") in markup  # the buurt's title on the map
    # the buurten's links to the map keep the count's id and the measure
    assert f"indicator={COUNT}&niveau=buurt&maat=per1000" in text_of(content)
