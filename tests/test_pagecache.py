"""The page cache (dashboard/pagecache.py): a cached page is the page, per language and query,
a data change replaces it, staff and refresh-dependent pages are never cached; and the
vectorised Poisson limits give the same numbers as the scalar ones."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard import data, pagecache
from indicators import staff
from indicators.uncertainty import funnel_curve, poisson_control_limit, poisson_control_limits

PAGES = [
    "/",
    "/vergelijk",
    "/vergelijk?gebieden=WK016400,WK016405,GM0164",
    "/vergelijk?gebieden=WK016401,WK016402,BU01640501,GM0164&taal=en",
    "/benchmark?kern=veiligheid&thema=veiligheid.integraal",
    "/wijk/berflo-es?taal=en",
    "/thema/veilige-wijken",
]


def first_layout(client, page: str):
    return client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"})


@pytest.fixture()
def fresh_cache():
    pagecache.layouts.clear()
    pagecache.responses.clear()
    yield
    pagecache.layouts.clear()
    pagecache.responses.clear()


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_first_layout_is_the_page_built_fresh(client, fresh_cache, page):
    built = first_layout(client, page)
    cached = first_layout(client, page)
    assert built.status_code == cached.status_code == 200
    assert cached.get_data() == built.get_data()
    assert b'"main"' in built.get_data()  # the page itself, not an empty shell
    pagecache.responses.clear()
    pagecache.layouts.clear()
    assert first_layout(client, page).get_data() == built.get_data()


def test_languages_and_queries_never_mix(client, fresh_cache):
    dutch = first_layout(client, "/vergelijk").get_data(as_text=True)
    english = first_layout(client, "/vergelijk?taal=en").get_data(as_text=True)
    assert "lang-nl" in dutch and "lang-en" not in dutch
    assert "lang-en" in english and "lang-nl" not in english
    two = first_layout(client, "/vergelijk?gebieden=WK016400,WK016405").get_data()
    assert two != first_layout(client, "/vergelijk").get_data()


def test_a_data_change_replaces_the_cached_page(client, staff_store, fresh_cache):
    page = "/wijk/berflo-es"
    before = first_layout(client, page).get_data(as_text=True)
    assert first_layout(client, page).get_data(as_text=True) == before
    content = b"gebied;indicator;periode;waarde;n\nBerflo Es;vm_onveilig_buurt;2019;31,5;450\n"
    parsed = staff.parse_for_store(staff_store, content, "test.csv")
    staff_store.commit_import(parsed, "tester", "test.csv", content, "Test")
    data.get_context(fresh=True)
    after = first_layout(client, page).get_data(as_text=True)
    assert after != before  # the new figure (and its source) is on the page
    pagecache.responses.clear()
    pagecache.layouts.clear()
    assert first_layout(client, page).get_data(as_text=True) == after


def test_staff_and_refresh_pages_are_never_cached(client, fresh_cache):
    assert not pagecache.cacheable("/data") and not pagecache.cacheable("/intern/import")
    assert first_layout(client, "/data").status_code == 200
    assert first_layout(client, "/").status_code == 200
    cached_paths = {key[0] for key in pagecache.responses._entries}
    assert cached_paths == {"/"}
    assert all(key[0] != "/data" for key in pagecache.layouts._entries)


def test_a_repeated_parameter_is_answered_but_not_cached(client, fresh_cache):
    page = "/vergelijk?gebieden=WK016400,WK016405&gebieden=WK016401"
    answer = first_layout(client, page)
    assert answer.status_code == 200 and b"notice" in answer.get_data()
    assert all(key[0] != "/vergelijk" for key in pagecache.layouts._entries)


def test_a_request_from_another_site_is_left_to_dash(client, fresh_cache):
    answer = client.get("/_dash-layout", headers={"Referer": "http://elsewhere.example/vergelijk"})
    assert answer.status_code == 200 and len(pagecache.responses) == 0


def test_warming_builds_the_common_pages_in_both_languages(app, fresh_cache):
    built = pagecache.warm(app, paths=["/", "/wijk/WK016405"])
    assert built == 4
    keys = {key[:2] for key in pagecache.responses._entries}
    assert keys == {
        ("/", ""),
        ("/", "taal=en"),
        ("/wijk/WK016405", ""),
        ("/wijk/WK016405", "taal=en"),
    }


def test_the_cache_is_bounded_and_belongs_to_one_data_version():
    cache = pagecache.VersionedCache(limit=3, max_bytes=100)
    owner = object()
    for i in range(5):
        cache.put(owner, i, b"x" * 10, 10)
    assert len(cache) == 3 and cache.get(owner, 0) is pagecache._MISSING
    cache.put(owner, "big", b"x" * 60, 60)  # more than a quarter of the bytes: not kept
    assert cache.get(owner, "big") is pagecache._MISSING
    assert cache.get(owner, 4) == b"x" * 10
    assert cache.get(object(), 4) is pagecache._MISSING and len(cache) == 0


def scalar_limit(target_rate, population, p, per=1000.0):
    """The limit as computed before vectorising (one scipy call per population)."""
    mean = target_rate * population / per
    if population <= 0 or mean <= 0:
        return math.nan
    y = stats.poisson.ppf(p, mean)
    upper, lower = stats.poisson.cdf(y, mean), stats.poisson.cdf(y - 1, mean)
    alpha = (upper - p) / (upper - lower) if upper > lower else 0.0
    return float(max(y - alpha, 0.0) / population * per)


@pytest.mark.parametrize("rate", [0.0, 0.4, 4.4, 37.5])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_vectorised_limits_equal_the_scalar_ones(rate, p):
    populations = [0, 50, 317, 1000, 4321.5, 25000, 81000]
    expected = [scalar_limit(rate, n, p) for n in populations]
    got = poisson_control_limits(rate, populations, p)
    np.testing.assert_allclose(got, expected, rtol=1e-12, equal_nan=True)
    for n, e in zip(populations, expected, strict=True):
        one = poisson_control_limit(rate, n, p)
        assert (math.isnan(one) and math.isnan(e)) or one == pytest.approx(e, rel=1e-12)


def test_funnel_curve_equals_the_scalar_curve():
    curve = funnel_curve(5.0, 10000, min_population=300)
    for point in curve[::7]:
        assert point["upper95"] == pytest.approx(scalar_limit(5.0, point["population"], 0.975))
        assert point["lower99.8"] == pytest.approx(scalar_limit(5.0, point["population"], 0.001))
