"""The map page's one switch callback, driven as the browser drives it (see dashclient)."""

from __future__ import annotations

import json

from dashboard import ids

from dashclient import call, find, prop

SWITCH_OUTPUTS = [
    (ids.MAP_VIEW, "data"),
    (ids.MAP_INDICATOR, "value"),
    (ids.MAP_PERIODS, "data"),
    (ids.MAP_PERIOD, "value"),
    (ids.MAP_MEASURE_BOX, "hidden"),
]
CHANGED = {
    "indicator": ids.MAP_INDICATOR,
    "level": ids.MAP_LEVEL,
    "period": ids.MAP_PERIOD,
    "measure": ids.MAP_MEASURE,
}


def switch(client, indicator, level, period=None, changed="indicator", lang="nl", measure=None):
    """POST one switch; returns (status, parsed response, raw response, request body bytes)."""
    inputs = [
        prop(ids.MAP_INDICATOR, "value", indicator),
        prop(ids.MAP_LEVEL, "value", level),
        prop(ids.MAP_PERIOD, "value", period),
        prop(ids.MAP_MEASURE, "value", measure),
    ]
    state = [
        prop(ids.MAP_LANG, "data", lang),
        prop(ids.MAP_CHANGE_STATE, "data", {"active": False}),
    ]
    body = json.dumps({"inputs": inputs, "state": state, "outputs": SWITCH_OUTPUTS})
    status, data, raw = call(
        client, SWITCH_OUTPUTS, inputs, state, changed=[f"{CHANGED[changed]}.value"]
    )
    return status, data, raw, len(body.encode())


def view_of(content) -> dict:
    """The view payload a rendered map page starts with."""
    return find(content, ids.MAP_VIEW)["props"]["data"]
