"""Reviewer's map-page defects (fixa): period picker in the change mode, the change map's
caption, the short search hint, radio labels at 375 px and the accessibility statement."""

from __future__ import annotations

import pytest
from test_change_pages import change_store, made_up_store  # noqa: F401

from dashboard import ids

from dashclient import find, render_page

CHANGE = "?weergave=verandering&indicator=geregistreerde_misdrijven&niveau=wijk"


@pytest.mark.parametrize(("query", "hidden"), [(CHANGE, True), ("?niveau=wijk", False)])
def test_the_period_picker_is_hidden_only_in_the_change_mode(app, change_store, query, hidden):  # noqa: F811
    status, content, _ = render_page(app.server.test_client(), "/", query)
    assert status == 200
    box = find(content, ids.MAP_PERIOD_BOX)["props"]
    assert bool(box.get("hidden")) is hidden
    assert find(box, ids.MAP_PERIOD)  # the picker itself is in the box


def test_leaving_the_change_mode_shows_the_period_picker_in_the_browser(client):
    deps = client.get("/_dash-dependencies").get_json()
    shows = [
        d
        for d in deps
        if f"{ids.MAP_PERIOD_BOX}.hidden" in d["output"]
        and any(i["id"] == ids.MAP_INDICATOR for i in d["inputs"])
    ]
    assert shows and all(d.get("clientside_function") for d in shows)
