"""Connector models (the SDK's ``Activity`` and the models in it) to and from their JSON, directly.

msrest reads and writes them generically: an activity's body is rebuilt as a model, validated and
walked value by value, and an incoming activity is read key by key through extractor chains. For
the plain values every turn carries, this module does the same in one pass and gives the same
result (``tests/perf`` compares both with msrest); any other value raises :class:`NotPlain`, and
the caller lets msrest do it.
"""

from __future__ import annotations

import enum
from typing import Any

from botframework.connector import models
from msrest.serialization import Deserializer

_PLAIN_SCALARS = (str, int, float, bool, type(None))

CLIENT_MODELS: dict[str, type] = {k: v for k, v in models.__dict__.items() if isinstance(v, type)}
"""The models the SDK's ``ConnectorClient`` gives its serializer (the same dictionary)."""


def is_plain_json(value: object) -> bool:
    """True when ``value`` is made only of the exact JSON types msrest copies unchanged."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        return all(type(key) is str and is_plain_json(item) for key, item in value.items())  # type: ignore[attr-defined]
    if kind is list:
        return all(is_plain_json(item) for item in value)  # type: ignore[attr-defined]
    return False


class NotPlain(Exception):
    """A value :func:`plain_model` leaves to msrest (a date, a dict where a model belongs, ...)."""


_BASIC = {"str": str, "bool": bool, "int": int, "float": float}


def plain_model(model: Any) -> dict[str, Any]:
    """What msrest's ``Serializer.body`` makes of a connector model (an Activity and the models in
    it) when every value is of the plain kind the model declares: a ``str`` (or a ``str`` enum),
    ``bool``, ``int``, ``float``, a list of such, a plain-JSON ``object``, or a model of the same
    kind. The keys in the model's order, ``None`` left out, exactly as msrest writes them; msrest
    itself first rebuilds the model and then walks every value (about 2 ms for a scorecard reply).
    Anything else raises :class:`NotPlain`, and msrest does it."""
    kind = type(model)
    if CLIENT_MODELS.get(kind.__name__) is not kind or getattr(kind, "_validation", None):
        raise NotPlain(kind.__name__)
    out: dict[str, Any] = {}
    for attr, desc in kind._attribute_map.items():
        value = getattr(model, attr, None)
        if value is None:
            continue
        key = desc["key"]
        if attr == "additional_properties" or "." in key:
            raise NotPlain(attr)
        out[key] = _plain_value(value, desc["type"])
    return out


def _plain_value(value: Any, declared: str) -> Any:
    basic = _BASIC.get(declared)
    if basic is not None:
        if declared == "str" and isinstance(value, enum.Enum):
            return value.value
        if type(value) is basic:
            return value
        raise NotPlain(declared)
    if declared == "object":
        if is_plain_json(value):
            return value
        raise NotPlain(declared)
    if declared.startswith("[") and declared.endswith("]") and type(value) is list:
        return [_plain_value(item, declared[1:-1]) for item in value]
    if isinstance(value, CLIENT_MODELS.get(declared, ())) and not isinstance(value, enum.Enum):
        return plain_model(value)
    raise NotPlain(declared)


def model_from_json(data: Any, declared: str = "Activity") -> Any:
    """What msrest's ``Model.deserialize`` makes of ``data`` for the connector model ``declared``,
    when every value present is of the plain kind the model declares (``str``, ``bool``, ``int``,
    ``float``, an ISO 8601 time, lists, JSON objects, nested models). As msrest does, a key the
    model does not know is kept in the model's ``additional_properties`` (the SDK reads a
    mention's ``mentioned`` and ``text`` there). Anything else raises :class:`NotPlain`."""
    kind: Any = CLIENT_MODELS.get(declared)
    if kind is None or type(data) is not dict or getattr(kind, "_validation", None) \
            or getattr(kind, "_subtype_map", None) or issubclass(kind, enum.Enum):
        raise NotPlain(declared)
    values: dict[str, Any] = {}
    known: set[str] = set()
    for attr, desc in kind._attribute_map.items():
        key = desc["key"]
        if attr == "additional_properties" or "." in key:
            raise NotPlain(attr)
        known.add(key)
        raw = data.get(key)
        values[attr] = None if raw is None else _value_from_json(raw, desc["type"])
    model: Any = kind(**values)
    extra = {key: data[key] for key in data.keys() - known}
    if extra:
        model.additional_properties = extra
    return model


def _value_from_json(raw: Any, declared: str) -> Any:
    basic = _BASIC.get(declared)
    if basic is not None:
        if type(raw) is basic:
            return raw
        raise NotPlain(declared)
    if declared == "object":
        return _copy_json(raw)
    if declared == "iso-8601" and type(raw) is str:
        try:
            return Deserializer.deserialize_iso(raw)  # type: ignore[no-untyped-call]  # msrest is untyped
        except Exception:  # msrest's own error for a time it cannot read: msrest reports it
            raise NotPlain(declared) from None
    if declared.startswith("[") and declared.endswith("]") and type(raw) is list:
        return [_value_from_json(item, declared[1:-1]) for item in raw]
    return model_from_json(raw, declared)


def _copy_json(raw: Any) -> Any:
    """A JSON value copied the way msrest's ``deserialize_object`` copies it (new dicts and lists)."""
    kind = type(raw)
    if kind is dict:
        return {key: _copy_json(value) for key, value in raw.items()}
    if kind is list:
        return [_copy_json(value) for value in raw]
    if kind in _PLAIN_SCALARS:
        return raw
    raise NotPlain("object")
