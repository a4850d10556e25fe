"""Property-based tests (hypothesis) of the parts that meet outside input: the import parser,
the URL state of the pages, the callbacks, rounding and derivation of any stored value, and
the CSV neutraliser."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.shell import normalise_params
from indicators import staff
from indicators.catalogue import plausible_ranges
from indicators.csvsafe import TRIGGERS, neutralise
from indicators.derive import aggregate
from indicators.imports import parse_import, parse_number
from indicators.plausible import value_problem
from indicators.privacy import public_observations, round_to

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
CELL = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[+-]?[0-9_.,eE%]{1,12}", fullmatch=True),
    ANY_FLOAT.map(repr),
    st.integers().map(str),
)


@pytest.fixture(scope="module")
def frames(context):
    return staff.areas_frame(context.data), context.data.indicators, set(context.data.sources.index)


@FAST
@given(cell=CELL, decimal_comma=st.booleans(), percent=st.booleans())
def test_parse_number_gives_a_finite_number_or_a_reason(cell, decimal_comma, percent):
    value, problem = parse_number(cell, decimal_comma, percent)
    assert (value is None) != (problem is None)
    if value is not None:
        assert math.isfinite(value)


@FAST
@given(
    indicator=st.sampled_from(["inwoners", "vm_onveilig_buurt", "gem_huishoudgrootte"]),
    value=CELL,
    n=st.one_of(st.just(""), CELL),
)
def test_an_accepted_import_value_is_always_plausible(frames, indicator, value, n):
    areas, catalogue, sources = frames
    area = "BU01640000" if indicator != "vm_onveilig_buurt" else "WK016402"
    text = f'gebied;indicator;periode;waarde;n\n{area};{indicator};2019;"{value}";"{n}"\n'
    parsed = parse_import(text.replace('""', "").encode(), "x.csv", areas, catalogue, sources)
    ranges = plausible_ranges()
    for row in parsed.rows.itertuples():
        unit = catalogue.loc[row.indicator_id, "unit"]
        assert value_problem(row.value, ranges.for_indicator(row.indicator_id, unit), unit) is None
        if row.n is not None and not pd.isna(row.n):
            assert math.isfinite(row.n) and row.n == int(row.n) and row.n >= 0
    # the one row is accepted, or refused with a reason (never silently) ...
    assert len(parsed.rows) + bool(parsed.errors) == 1
    for issue in parsed.errors:
        assert issue.message
    # ... and a value refused as a value is not a plausible number
    unit = catalogue.loc[indicator, "unit"]
    plain_cell = not any(c in str(value) for c in '"\r\n;')
    if plain_cell and any(i.field == "waarde" for i in parsed.errors):
        number, problem = parse_number(value, True, unit == "pct")
        assert problem or value_problem(number, ranges.for_indicator(indicator, unit), unit)


@FAST
@given(content=st.binary(max_size=400), xlsx=st.booleans())
def test_any_bytes_are_parsed_or_refused_without_an_exception(frames, content, xlsx):
    areas, catalogue, sources = frames
    parsed = parse_import(content, "x.xlsx" if xlsx else "x.csv", areas, catalogue, sources)
    assert parsed.ok or parsed.errors


@FAST
@given(
    header=st.lists(
        st.sampled_from(["gebied", "code", "indicator", "periode", "waarde", "value", "inwoners"]),
        min_size=1,
        max_size=6,
    )
)
def test_a_header_with_two_columns_for_one_field_is_refused(frames, header):
    areas, catalogue, sources = frames
    text = ";".join(header) + "\n" + ";".join(["BU01640000"] * len(header)) + "\n"
    parsed = parse_import(text.encode(), "x.csv", areas, catalogue, sources, period="2021")
    keys = [{"code": "gebied", "value": "waarde"}.get(h, h) for h in header]
    if len(set(keys)) < len(keys):
        assert not parsed.ok
        assert any("keer in de kop" in e.message or "hetzelfde" in e.message for e in parsed.errors)


PARAM_VALUE = st.one_of(
    st.text(max_size=50), st.lists(st.text(max_size=20), max_size=4), st.integers(), st.none()
)
PARAMS = st.dictionaries(
    st.sampled_from(["taal", "niveau", "indicator", "gebied", "periode", "x"]), PARAM_VALUE
)


@FAST
@given(params=PARAMS)
def test_url_state_is_always_a_valid_map_state(app, context, params):
    from dashboard.pages import kaart

    clean, repeated = normalise_params(params)
    assert all(isinstance(v, str) for v in clean.values())
    state, lang, notices = kaart.resolve_state(context, clean)
    assert state.level in kaart.LEVELS
    assert lang in ("nl", "en")
    assert state.area is None or state.area in set(context.areas[state.level]["code"])
    assert all(isinstance(n, str) for n in notices)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(params=PARAMS, page=st.sampled_from(["/", "/thema", "/wijk/WK016400", "/vergelijk"]))
def test_every_page_renders_for_any_url_parameters(app, page, params):
    from urllib.parse import urlencode

    from dashclient import render_page

    client = app.server.test_client()
    query = urlencode(
        [(k, x) for k, v in params.items() for x in (v if isinstance(v, list) else [v])]
    )
    status, content, raw = render_page(client, page, "?" + query)
    assert status == 200 and content is not None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_callbacks_answer_any_json_without_a_500(app, data):
    from test_corpus import callback_bodies

    client = app.server.test_client()
    if not hasattr(test_callbacks_answer_any_json_without_a_500, "bodies"):
        test_callbacks_answer_any_json_without_a_500.bodies = callback_bodies(client)
    body = json.loads(
        json.dumps(data.draw(st.sampled_from(test_callbacks_answer_any_json_without_a_500.bodies)))
    )
    for group in ("inputs", "state"):
        for item in body[group]:
            if data.draw(st.booleans()):
                item["value"] = data.draw(JSON)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204, 400)
    assert b"Traceback" not in response.data


@FAST
@given(value=ANY_FLOAT)
def test_rounding_never_raises_and_is_finite_or_missing(value):
    rounded = round_to(value)
    assert math.isnan(rounded) or math.isfinite(rounded)
    if math.isfinite(rounded) and abs(value) < 2**50:
        assert rounded % 5 == 0 and abs(rounded - value) <= 2.5


@FAST
@given(
    values=st.lists(ANY_FLOAT, min_size=3, max_size=3),
    base=st.lists(ANY_FLOAT, min_size=3, max_size=3),
)
def test_derived_values_are_finite_or_missing(values, base):
    members = ["a", "b", "c"]
    vals, weights = pd.Series(values, index=members), pd.Series(base, index=members)
    proxy = pd.Series(1.0, index=members)
    for how in ("sum", "weighted", "ratio"):
        result = aggregate(members, vals, None if how == "sum" else weights, how, proxy)
        assert math.isnan(result["value"]) or math.isfinite(result["value"])


@FAST
@given(values=st.lists(ANY_FLOAT, min_size=1, max_size=5))
def test_public_values_are_finite_or_missing(context, values):
    obs = pd.DataFrame(
        {
            "area_code": "BU01640000",
            "level": "buurt",
            "indicator_id": "inwoners",
            "period": [str(2000 + i) for i in range(len(values))],
            "value": values,
            "n": np.nan,
            "status": "published",
        }
    )
    out = public_observations(obs, context.data.indicators)
    assert out["value"].isna().all() or np.isfinite(out["value"].dropna()).all()


@FAST
@given(
    cells=st.lists(st.text(max_size=10), min_size=1, max_size=5),
    numbers=st.lists(ANY_FLOAT, min_size=1, max_size=5),
)
def test_no_neutralised_text_cell_starts_a_formula(cells, numbers):
    frame = pd.DataFrame({"text": pd.Series(cells, dtype=object)})
    out = neutralise(frame)
    for cell in out["text"]:
        assert not cell.startswith(TRIGGERS) or cell.lstrip("+-")[:1].isdigit()
    numeric = pd.DataFrame({"n": numbers})
    pd.testing.assert_frame_equal(neutralise(numeric), numeric)
