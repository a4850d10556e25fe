"""Drive Dash callbacks through the Flask test client, as the browser would."""

from __future__ import annotations

import json
import re

_OUTPUTS: dict[int, dict[str, str]] = {}


def _registered_output(client, output: str, inputs: list[dict] | None = None) -> str:
    """The output key Dash registered (outputs with allow_duplicate carry an @hash suffix; when
    several callbacks share an output, the one whose inputs are ``inputs`` is meant)."""
    key = id(client.application)
    if key not in _OUTPUTS:
        _OUTPUTS[key] = client.get("/_dash-dependencies").get_json()
    deps = _OUTPUTS[key]
    if any(d["output"] == output for d in deps):
        return output
    wanted = sorted(_dep_id(i) for i in inputs or [])
    candidates = [d for d in deps if re.sub(r"@[0-9a-f]+", "", d["output"]) == output]
    for dep in candidates:
        if sorted(_dep_id(i) for i in dep["inputs"]) == wanted:
            return dep["output"]
    return candidates[0]["output"] if candidates else output


def _dep_id(item: dict) -> str:
    cid = item["id"]
    if not isinstance(cid, str):
        cid = json.dumps(cid, sort_keys=True, separators=(",", ":"))
    return f"{cid}.{item['property']}"


def prop(component_id, prop_name, value=None):
    return {"id": component_id, "property": prop_name, "value": value}


def call(
    client,
    outputs: list[tuple],
    inputs: list[dict],
    state: list[dict] | None = None,
    changed: list[str] | None = None,
):
    """POST one callback; returns (status code, parsed response or None, raw bytes)."""

    def out_id(o):
        cid = (
            o[0]
            if isinstance(o[0], str)
            else json.dumps(o[0], sort_keys=True, separators=(",", ":"))
        )
        return f"{cid}.{o[1]}"

    if len(outputs) == 1:
        output = out_id(outputs[0])
        outs = {"id": outputs[0][0], "property": outputs[0][1]}
    else:
        output = ".." + "...".join(out_id(o) for o in outputs) + ".."
        outs = [{"id": o[0], "property": o[1]} for o in outputs]
    if changed is None:
        changed = [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else []
    output = _registered_output(client, output, inputs)
    body = {
        "output": output,
        "outputs": outs,
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": changed,
    }
    resp = client.post("/_dash-update-component", json=body)
    data = resp.get_json(silent=True) if resp.status_code == 200 else None
    return resp.status_code, data, resp.data


def render_page(client, pathname: str, search: str = ""):
    """The page content the router callback returns for a URL (status, content json, raw)."""
    status, data, raw = call(
        client,
        [("_pages_content", "children"), ("_pages_store", "data")],
        [prop("_pages_location", "pathname", pathname), prop("_pages_location", "search", search)],
        changed=["_pages_location.pathname"],
    )
    content = data["response"]["_pages_content"]["children"] if data else None
    return status, content, raw


def find(node, component_id):
    """The component with ``component_id`` in a rendered layout (JSON), or None."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        children = node.get("props", {}).values() if "props" in node else node.values()
        for value in children:
            found = find(value, component_id)
            if found:
                return found
    if isinstance(node, list):
        for value in node:
            found = find(value, component_id)
            if found:
                return found
    return None
