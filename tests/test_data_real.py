"""Data tests against the real bundled files."""

import shapely

from geodata import io as geo_io
from geodata.validate import boundary_problems
from geodata.web import MAX_DEVIATION_M
from indicators import catalogue, seed


def test_real_boundaries_have_10_wijken_and_62_buurten(context):
    data = context.data
    assert len(data.buurten) == 62
    assert len(data.wijken) == 10
    assert data.buurten["buurtcode"].is_unique
    assert set(data.buurten["wijkcode"]) == set(data.wijken["wijkcode"])


def test_real_boundaries_pass_every_rule():
    buurten = geo_io.read_master_buurten()
    names = geo_io.read_wijk_names()
    assert boundary_problems(buurten, dict(zip(names["wijkcode"], names["wijknaam"]))) == []


def test_buurten_nest_exactly_in_wijken(context):
    buurten, wijken = context.data.buurten, context.data.wijken
    for wijk in wijken.itertuples():
        members = buurten[buurten["wijkcode"] == wijk.wijkcode]
        union = shapely.union_all(members.geometry.values)
        assert union.symmetric_difference(wijk.geometry).area < 1.0
        assert wijk.n_buurten == len(members)


def test_total_area_is_about_6183_ha(context):
    total_ha = context.data.buurten.geometry.area.sum() / 10_000
    assert abs(total_ha - 6183) / 6183 < 0.005


def test_wijk_names_are_the_published_ones(context):
    names = set(context.data.wijken["wijknaam"])
    assert {"Berflo Es", "Hengelose Es", "Noord", "Binnenstad"} <= names


def test_web_geometry_is_simplified_within_5_m_and_shares_borders(context, store_path):
    meta = context.data.meta
    assert 0 < meta["web_max_deviation_m"] <= MAX_DEVIATION_M
    assert meta["web_vertices"] < meta["master_vertices"]
    web = context.data.web_buurten.to_crs(28992)
    union = shapely.union_all(web.geometry.values)
    overlap = web.geometry.area.sum() - union.area
    assert overlap < 50  # m²: shared borders stay shared (rounding noise only)
    assert web.geometry.is_valid.all()


def test_every_g32_score_is_present_and_within_scale():
    g32 = seed.load_g32()
    scored = g32[g32["status"] == "score"]
    assert len(scored) >= 75
    assert scored["score"].between(10, 150).all()
    values = dict(zip(g32["id"], g32["score"]))
    # spot checks against the seed text
    assert values["veiligheid.integraal.objectief"] == 121
    assert values["veiligheid.sub.winkelgebied"] == 150
    assert values["organisatie.capaciteit.totaal"] == 58
    assert values["strategisch.intelligence.positionering"] == 61
    assert values["sturing.bestuur.raad"] == 85
    assert values["inzet.kwaliteit.woninginbraak"] == 117


def test_g32_themes_without_information_are_missing():
    g32 = seed.load_g32().set_index("id")
    for theme in ("inzet.kwaliteit.toerisme", "inzet.kwaliteit.omg"):
        assert g32.loc[theme, "status"] == "insufficient_info"
        assert g32.loc[theme, "score"] != g32.loc[theme, "score"]  # NaN


def test_objective_and_subjective_scores_are_kept_apart():
    g32 = seed.load_g32()
    burglary = g32[g32["id"].str.startswith("veiligheid.thema.woninginbraak")]
    assert dict(zip(burglary["dimension"], burglary["score"])) == {
        "objectief": 93,
        "subjectief": 109,
    }


def test_g32_capacity_table_2_1():
    cap = seed.load_g32_capacity()
    assert list(cap["fte"]) == [3, 2, 1, 0]
    assert list(cap["score"]) == [58, 62, 150, 20]


def test_eight_themes_with_phase_and_urgency():
    themes = seed.load_themes()
    assert len(themes) == 8
    assert {t.slug for t in themes if t.urgent} == {
        "jeugd-middelengebruik",
        "radicalisering",
        "ondermijning",
    }
    assert {t.slug for t in themes if t.phase == 1} == {
        "radicalisering",
        "ondermijning",
        "huiselijk-geweld",
        "jeugdgroepen-criminaliteit",
    }


def test_kpi_baselines_from_the_seed():
    kpis = {k.id: k for t in seed.load_themes() for k in t.kpi}
    assert kpis["vw-onveilig"].baseline == 20 and kpis["vw-onveilig"].baseline_period == "2015"
    assert kpis["vw-overlast"].baseline == 29
    assert kpis["vw-actief"].baseline == 19 and kpis["vw-actief"].baseline_period == "2011"


def test_four_focus_wijken_with_aandachtspunten():
    focus = seed.load_focus_wijken()
    assert {f.code for f in focus} == {"WK016405", "WK016401", "WK016402", "WK016400"}
    assert all(f.aandachtspunten for f in focus)


def test_budget_difference_is_shown_not_hidden():
    lines, check = seed.load_budget()
    assert len(lines) == 11
    assert check["stated_total_eur"] == 180000
    assert check["sum_of_lines_eur"] == 203400
    assert check["difference_eur"] == 23400


def test_crime_rates_cover_42_buurten(context):
    obs = context.data.observations
    crime = obs[(obs["indicator_id"] == "misdrijf_geweld") & (obs["level"] == "buurt")]
    assert crime["value"].notna().sum() == 42


def test_cbs_secrecy_codes_become_missing(context):
    obs = context.data.observations
    assert not (obs["value"] == -99999999).any()
    assert (obs["status"] == "secret").sum() > 0
    assert obs.loc[obs["status"] == "secret", "value"].isna().all()


def test_police_totals_and_published_kwb2024(context):
    obs = context.data.observations.set_index(["area_code", "indicator_id", "period"])
    assert obs.loc[("GM0164", "geregistreerde_misdrijven", "2024"), "value"] == 3752
    assert obs.loc[("GM0164", "inwoners", "2024"), "value"] == 83058
    rate = obs.loc[("GM0164", "geregistreerde_misdrijven_per1000", "2024")]
    assert rate["status"] == "derived"
    assert round(rate["value"], 1) == round(3752 / 83058 * 1000, 1)


def test_migration_background_is_internal():
    cat = catalogue.catalogue_frame(catalogue.load_catalogue())
    migration = cat[cat.index.str.contains("migratie")]
    assert len(migration) == 2 and not migration["public"].any()


def test_every_observation_has_source_and_period(context):
    obs = context.data.observations
    assert obs["source_id"].notna().all()
    assert obs["period"].str.fullmatch(r"\d{4}").all()
    assert set(obs["source_id"]) <= set(context.data.sources.index)
