"""The JSON of a first layout, made faster than Dash's ``to_json`` (issue 16).

Dash serialises a layout with plotly's ``to_json_plotly``. With orjson installed (plotly's
engine ``auto``) that first fails on the components and then walks every value of the tree in
``clean_to_json_compatible`` (a generic check per value, ``to_plotly_json`` per component, which
asks ``hasattr`` for each of a component's dozens of property names); without orjson the
``json`` engine calls ``PlotlyJSONEncoder.default`` per component. :func:`plain` turns the
components into the dicts ``to_plotly_json`` gives (same keys, same order) in one pass over the
values that are set, so that either engine then encodes plain data: the same text, in less
time. Anything that is not a plain value or a component is left to plotly's encoder as
before. ``tests/test_compare_fast.py`` holds the text equal to Dash's.
"""

from __future__ import annotations

from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

_SCALARS = frozenset({str, int, float, bool, type(None)})
_CLASSES: dict = {}  # component class -> (position of each property name, wildcard prefixes)


def dumps(layout) -> str:
    """The text Dash's ``to_json(layout)`` gives (plotly's configured JSON engine)."""
    return to_json_plotly(plain(layout))


def plain(value):
    """``value`` with every Dash component as its ``to_plotly_json()`` dict, recursively."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if isinstance(value, Component):
        return {
            "props": {k: plain(v) for k, v in _props(value).items()},
            "type": value._type,
            "namespace": value._namespace,
        }
    return value


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
