"""For the council: G32 benchmark, comparison, presentation mode."""

import json
from urllib.parse import urlencode

import pandas as pd
import pytest

import dashboard.app  # noqa: F401  (pages register after the app exists)
from dashboard import figures
from dashboard.pages import vergelijk
from dashboard.pages.benchmark import axis_label
from dashboard.presentation import default_sequence, is_local_path, parse_sequence
from indicators import g32 as bench
from indicators import seed
from indicators.views import comparison, ranking

from dashclient import call, find, prop, render_page


@pytest.fixture(scope="module")
def g32():
    return seed.load_g32()


def test_radar_places_every_score_on_its_axis(g32):
    for kern in bench.kernvariabelen(g32)["id"]:
        items = bench.spider_items(g32, kern)
        scored = items[items["status"] == "score"]
        labels = [axis_label(r, "nl") for r in scored.to_dict("records")]
        scores = list(scored["score"])
        fig = figures.radar_figure(labels, scores, kern, bench.is_safety(g32, kern))
        ring, hengelo = fig.data
        assert set(ring.r) == {100}  # the benchmark mean as reference ring
        assert len(ring.theta) == len(hengelo.theta) == len(labels) + 1  # closed
        for theta, r, score, lbl in zip(hengelo.theta, hengelo.r, scores, labels):
            assert theta == figures.wrap_label(lbl) and r == score
        assert list(fig.layout.polar.radialaxis.range) == [10, 150]


def test_every_scored_item_is_reachable_by_drilling_down(g32):
    reachable = set()
    for kern in bench.kernvariabelen(g32)["id"]:
        reachable |= set(bench.spider_items(g32, kern)["id"])
        for thema in bench.children(g32, kern)["id"]:
            reachable |= {thema} | set(bench.spider_items(g32, thema)["id"])
    scored = set(g32.loc[g32["status"] == "score", "id"])
    assert scored <= reachable


def test_only_safety_is_coloured_as_good_or_bad(g32):
    safety = figures.radar_figure(["a", "b", "c"], [90.0, 100.0, 120.0], "x", safety=True)
    other = figures.radar_figure(["a", "b", "c"], [90.0, 100.0, 120.0], "x", safety=False)
    assert safety.data[1].marker.color[0] == figures.WORSE_COLOUR
    assert safety.data[1].marker.symbol[0] == "triangle-down"
    assert safety.data[1].marker.color[2] == figures.BETTER_COLOUR
    assert other.data[1].marker.color == figures.HENGELO_COLOUR
    assert bench.is_safety(g32, "veiligheid.thema.woninginbraak.obj")
    assert not bench.is_safety(g32, "sturing.bestuur.raad")


def test_objective_and_subjective_side_by_side(g32):
    pairs = bench.objective_subjective(g32).set_index("theme")
    assert pairs.loc["veiligheid.thema.uitgaan", "objectief"] == 87
    assert pairs.loc["veiligheid.thema.uitgaan", "subjectief"] == 135
    assert pairs.loc["veiligheid.thema.woonoverlast", "gap"] == 54
    fig = figures.objective_subjective_figure(["a"], [87.0], [135.0])
    assert [t.name for t in fig.data] == [
        "Objectief (politiecijfers)",
        "Subjectief (beleving, Veiligheidsmonitor)",
    ]
    assert fig.data[1].marker.pattern.shape == "/"


def test_strongest_and_weakest(g32):
    high, low = bench.ranked_aspects(g32, 5, safety=False)
    assert low.iloc[0]["id"] == "organisatie.capaciteit.uitvoering" and low.iloc[0]["score"] == 20
    assert high["score"].iloc[0] == 150
    s_high, s_low = bench.ranked_aspects(g32, 5, safety=True)
    assert s_low.iloc[0]["score"] == 87


def test_small_groups_get_bars_on_the_fixed_scale(g32):
    fig = figures.score_bar_figure(["Samenwerking"], [82.0], "x", safety=False)
    assert list(fig.layout.xaxis.range)[0] == 10
    assert fig.layout.shapes[0].x0 == 100


@pytest.mark.parametrize("kern", ["veiligheid", "organisatie", "sturing", "strategisch", "inzet"])
def test_benchmark_page_per_kernvariabele(client, kern):
    status, content, raw = render_page(client, "/benchmark", f"?kern={kern}")
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "Zo lees je de scores" in text
    assert "Roosendaal" in text and "Veilig toerisme" in text


def scored_labels(g32, item) -> list[tuple[str, str | None]]:
    """The axis labels and scores (None: the report gives none) the benchmark shows for
    ``item``, from the report's tree."""
    items = bench.spider_items(g32, item).to_dict("records")
    return [
        (axis_label(r, "nl"), f"{r['score']:.0f}" if r["status"] == "score" else None)
        for r in items
    ]


def test_benchmark_every_drill_down_shows_that_theme(client, g32):
    """Each hoofdthema of each kernvariabele: the chart and table show that theme's items
    with their scores (not the kernvariabele's), and the drill-down keeps the theme."""
    for kern in bench.kernvariabelen(g32)["id"]:
        for thema in bench.children(g32, kern)["id"]:
            status, data, raw = call(
                client,
                [
                    ("benchmark-graph", "figure"),
                    ("benchmark-graph-narrow", "figure"),
                    ("benchmark-table", "children"),
                    ("benchmark-thema", "options"),
                    ("benchmark-thema", "value"),
                ],
                [prop("benchmark-kern", "value", kern), prop("benchmark-thema", "value", thema)],
                [prop("benchmark-lang", "data", "nl")],
                changed=["benchmark-thema.value"],
            )
            assert status == 200, (kern, thema)
            reply = data["response"]
            assert "benchmark-thema" not in reply, (kern, thema)  # the choice stays as made
            table = json.dumps(reply["benchmark-table"]["children"], ensure_ascii=False)
            expected = scored_labels(g32, thema)
            own = g32.set_index("id").loc[thema, "name_nl"]
            assert own in table, (kern, thema)  # the caption names the theme
            for name, score in expected:
                assert f'"{name}"' in table, (kern, thema, name)
                assert score is None or f'"{score}"' in table, (kern, thema, name)
            other = {n for n, _ in scored_labels(g32, kern)} - {n for n, _ in expected} - {own}
            assert not any(f'"{n}"' in table for n in other), (kern, thema)


def test_benchmark_bad_url_falls_back(client, g32):
    """An unknown kernvariabele and thema fall back to the first kernvariabele without a
    drill-down: the same view as /benchmark itself, with its own items."""
    status, content, raw = render_page(client, "/benchmark", "?kern=bestaat&thema=niet")
    assert status == 200
    first = bench.kernvariabelen(g32)["id"].iloc[0]
    assert find(content, "benchmark-kern")["props"]["value"] == first
    assert find(content, "benchmark-thema")["props"]["value"] == ""
    table = json.dumps(find(content, "benchmark-table"), ensure_ascii=False)
    for name, score in scored_labels(g32, first):
        assert f'"{name}"' in table and (score is None or f'"{score}"' in table)
    _, plain, _ = render_page(client, "/benchmark")
    assert find(plain, "benchmark-table") == find(content, "benchmark-table")


def test_benchmark_recommendations_link_themes(client):
    status, content, raw = render_page(client, "/benchmark")
    text = json.dumps(content, ensure_ascii=False)
    assert "/thema/radicalisering" in text and "4,0 fte" in text


def test_compare_handles_unknown_duplicate_and_too_many(context):
    areas, indicators, notices = vergelijk.resolve_selection(
        context,
        "WK016405, wk016405,XX,GM0164,WK016400,WK016401,WK016402,WK016403",
        "misdrijf_geweld,pct_niet_westerse_migratieachtergrond,misdrijf_geweld",
        "nl",
    )
    # the gemeente has its own column: not an area (issue 18)
    assert areas == ["WK016405", "WK016400", "WK016401", "WK016402"]
    assert indicators == ["misdrijf_geweld"]
    assert len(notices) == 4
    one, _, notices = vergelijk.resolve_selection(context, "WK016405", "", "nl")
    assert one == ["WK016405"] and not notices  # one area is compared with Hengelo


NAMES = {"A": "a", "B": "b", "C": "c", "D": "d", "E": "e"}


@pytest.mark.parametrize(
    "asked, areas, notices",
    [
        (["A", "b"], ["A", "B"], []),
        (["A", "a", "B"], ["A", "B"], []),  # a repeat counts once, in any case
        (["A", "X", "B", "X"], ["A", "B"], ["X, X"]),  # every unknown code is named
        (["A", "B", "C", "D", "E"], ["A", "B", "C", "D"], ["hoogstens 4"]),
        (["A"], ["A"], []),  # one area, compared with the gemeente's column
        (["X"], "default", ["X", "ten minste één"]),
        ([], "default", []),  # nothing asked: the focus wijken without a notice
    ],
)
def test_resolve_areas(asked, areas, notices):
    chosen, said = vergelijk.resolve_areas(NAMES, asked, "nl")
    assert chosen == (vergelijk.DEFAULT_AREAS if areas == "default" else areas)
    assert len(said) == len(notices)
    assert all(part in text for part, text in zip(notices, said, strict=True))


@pytest.mark.parametrize(
    "asked, picked, notice",
    [
        (["y", "x", "y"], ["y", "x"], False),
        (["y", "nope"], ["y"], True),
        (["nope"], "default", True),
        ([], "default", False),
    ],
)
def test_resolve_indicators(asked, picked, notice):
    valid = ["x", "y", "misdrijf_geweld"]
    chosen, said = vergelijk.resolve_indicators(valid, asked, "nl")
    defaults = [i for i in vergelijk.DEFAULT_INDICATORS if i in valid]
    assert chosen == (defaults if picked == "default" else picked)
    assert bool(said) is notice


def test_comparison_values_and_directions(context):
    frame = comparison(
        context.public_obs,
        context.data.indicators,
        ["WK016400", "GM0164"],
        ["misdrijf_geweld", "inwoners"],
    )
    rows = frame.set_index(["indicator_id", "area_code"])
    assert rows.loc[("misdrijf_geweld", "WK016400"), "judgement"] == "worse"
    assert pd.isna(rows.loc[("inwoners", "WK016400"), "difference"])


def test_ranking_most_concern_first(context):
    codes = list(context.areas["wijk"]["code"])
    ranked = ranking(context.public_obs, context.data.indicators, "misdrijf_geweld", "wijk", codes)
    values = ranked["value"].dropna()
    assert list(values) == sorted(values, reverse=True)
    assert ranked["value"].isna().iloc[-1]  # no data last


def test_compare_page_and_callback(client):
    status, content, raw = render_page(
        client,
        "/vergelijk",
        "?gebieden=WK016400,BU01640000&indicatoren=misdrijf_geweld&rangorde=misdrijf_geweld",
    )
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "Binnenstad-Centrum (Binnenstad)" in text
    status, data, raw = call(
        client,
        [
            ("vergelijk-table", "children"),
            ("vergelijk-charts", "children"),
            ("vergelijk-ranking", "children"),
            ("vergelijk-notices", "children"),
            ("vergelijk-indicators", "options"),
            ("vergelijk-indicators", "value"),
            ("vergelijk-funnel-block", "children"),
        ],
        [
            prop("vergelijk-area-0", "value", "WK016400"),
            prop("vergelijk-area-1", "value", "XX"),
            prop("vergelijk-area-2", "value", ""),
            prop("vergelijk-area-3", "value", None),
            prop("vergelijk-indicators", "value", ["inwoners"]),
            prop("vergelijk-rank", "value", "bogus"),
            prop("vergelijk-funnel", "value", "bogus"),
        ],
        [prop("vergelijk-lang", "data", "nl"), prop("vergelijk-maat", "value", "aantal")],
    )
    assert status == 200
    notices = json.dumps(data["response"]["vergelijk-notices"]["children"], ensure_ascii=False)
    assert "XX" in notices


def test_compare_never_shows_internal_indicators(client):
    status, content, raw = render_page(
        client, "/vergelijk", "?indicatoren=pct_niet_westerse_migratieachtergrond"
    )
    assert "migratieachtergrond" not in raw.decode()


@pytest.mark.parametrize(
    "path,ok",
    [
        ("/", True),
        ("/benchmark?kern=sturing", True),
        ("//evil.example/x", False),
        ("https://evil.example", False),
        ("javascript:alert(1)", False),
        ("wijk", False),
    ],
)
def test_sequence_accepts_only_local_paths(path, ok):
    assert is_local_path(path) == ok


def test_rejected_sequence_items_are_quoted_without_control_characters(client):
    """/presentatie?reeks=zz|%00|/vergelijk: the notice names what it left out, quoted, and
    does not write the NUL (or any control character) into the page."""
    views, rejected = parse_sequence("zz|\x00|/vergelijk|a\nb")
    assert [v["path"] for v in views] == ["/vergelijk"]
    assert rejected == ["'zz'", "'\ufffd'", "'a\ufffdb'"]
    status, content, _ = render_page(client, "/presentatie", "?reeks=zz%7C%00%7C%2Fvergelijk")
    text = json.dumps(content, ensure_ascii=False)
    assert (
        status == 200 and "Niet opgenomen (geen pagina van dit dashboard): 'zz', '\ufffd'" in text
    )
    assert "\\u0000" not in text


def test_presentation_sequence(client):
    views, rejected = parse_sequence("/|/benchmark|https://evil.example")
    assert [v["path"] for v in views] == ["/", "/benchmark"] and rejected
    assert len(default_sequence()) >= 5
    status, content, raw = render_page(client, "/presentatie")
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "Start de presentatie" in text
    for view in default_sequence():
        path, _, query = view["path"].partition("?")
        status, content, raw = render_page(client, path, "?" + query if query else "")
        assert status == 200, view["path"]


def test_least_safe_lists_only_scores_below_the_mean(g32):
    s_high, s_low = bench.ranked_aspects(g32, 5, safety=True)
    assert (s_low["score"] < 100).all() and 103 not in list(s_low["score"])
    assert (s_high["score"] > 100).all()


def test_score_91_is_the_own_judgement_of_the_positioning(g32):
    row = g32.set_index("id").loc["organisatie.positionering"]
    assert row["score"] == 91 and "eigen oordeel over de positionering" in row["name_nl"]


def test_change_and_rate_permalinks_are_shown_as_the_page_not_as_a_value_slide(client):
    """A presentation of '/?weergave=verandering…' showed a slide of the 2024 values without a
    word; the map slide draws values as counts, so such a view is shown as the page itself,
    and its slide URL says there is no slide for it."""
    from dashboard.presentation import slide_path

    change = "/?indicator=inwoners&niveau=wijk&weergave=verandering&van=2021&tot=2024"
    rates = "/?indicator=inwoners&niveau=wijk&maat=per1000"
    assert slide_path(change) == change and slide_path(rates) == rates
    assert slide_path("/?indicator=inwoners&niveau=wijk").startswith("/presentatie/dia?")
    status, content, _ = render_page(
        client, "/presentatie/dia", "?" + urlencode({"weergave": change})
    )
    text = json.dumps(content, ensure_ascii=False)
    assert status == 200 and "Geen dia voor deze weergave" in text
