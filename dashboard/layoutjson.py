"""The JSON of a first layout, made faster than Dash's ``to_json`` (issue 16).

Dash serialises a layout with plotly's ``to_json_plotly``. With orjson installed (plotly's
engine ``auto``) that first fails on the components and then walks every value of the tree in
Python (``clean_to_json_compatible``) before orjson dumps it; without orjson the ``json``
engine's encoder calls ``to_plotly_json`` per component, which asks ``hasattr`` for each of a
component's dozens of property names. Here the encoder (orjson's or json's, in C) walks the
tree and calls back only for what it cannot encode: a component becomes the dict
``to_plotly_json`` gives (same keys, same order; :func:`as_json`), anything else gets what that
engine gave it before (orjson's cleaning of that value, json's ``PlotlyJSONEncoder.default``).
The same text, in less time; ``tests/test_compare_fast.py`` holds it equal to Dash's.
"""

from __future__ import annotations

import json
from functools import partial

from _plotly_utils.optional_imports import get_module
from _plotly_utils.utils import PlotlyJSONEncoder
from dash.development.base_component import Component
from plotly.io._json import _safe, _swap_json, _swap_orjson, clean_to_json_compatible
from plotly.io.json import config

_CLASSES: dict = {}  # component class -> (position of each property name, wildcard prefixes)


def dumps(layout) -> str:
    """The text Dash's ``to_json(layout)`` gives (plotly's ``to_json_plotly`` with its
    configured engine), each component encoded by :func:`as_json`."""
    engine = config.default_engine
    orjson = get_module("orjson", should_load=True)
    if engine == "orjson" or (engine == "auto" and orjson is not None):
        clean = _cleaner()

        def default(value):
            return as_json(value) if isinstance(value, Component) else clean(value)

        options = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
        return _safe(orjson.dumps(layout, default=default, option=options).decode(), _swap_orjson)
    return _safe(json.dumps(layout, cls=_Encoder, separators=(",", ":")), _swap_json)


class _Encoder(PlotlyJSONEncoder):
    """Plotly's json engine, with a component encoded by :func:`as_json`."""

    def default(self, obj):
        return as_json(obj) if isinstance(obj, Component) else super().default(obj)


def _cleaner():
    """What plotly's orjson engine does to a value it cannot dump as it is."""
    names = {"sage_all": "sage.all", "np": "numpy", "pd": "pandas", "image": "PIL.Image"}
    modules = {key: get_module(name, should_load=False) for key, name in names.items()}
    return partial(
        clean_to_json_compatible, numpy_allowed=True, datetime_allowed=True, modules=modules
    )


def as_json(component: Component) -> dict:
    """``component.to_plotly_json()``, without asking for each of its property names."""
    return {"props": _props(component), "type": component._type, "namespace": component._namespace}


def _props(component: Component) -> dict:
    """``component.to_plotly_json()["props"]``: the properties that are set, in the order of
    the class's property names, then the ``data-*``/``aria-*`` ones in the order they were
    set."""
    cls = type(component)
    known = _CLASSES[cls] if cls in _CLASSES else _learn(component)
    if known is None:
        return component.to_plotly_json()["props"]
    positions, wildcards = known
    own = component.__dict__
    props = {k: own[k] for k in sorted((k for k in own if k in positions), key=positions.get)}
    props.update({k: own[k] for k in own if k.startswith(wildcards)})
    return props


def _learn(component: Component):
    """What :func:`_props` needs of a component's class; None for a class that has a
    property name as a class attribute (``hasattr`` sees it too): Dash's own way then."""
    cls = type(component)
    names = list(component._prop_names)
    wildcards = tuple(component._valid_wildcard_attributes)
    shadowed = any(hasattr(cls, name) for name in names)
    _CLASSES[cls] = None if shadowed else ({n: i for i, n in enumerate(names)}, wildcards)
    return _CLASSES[cls]
