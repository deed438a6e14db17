"""Readable differences between two revisions of a decision: what changed, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str  # a dotted path, e.g. "decision.exemption.rationale"
    before: str
    after: str


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """{"a": {"b": [1, 2]}} -> {"a.b": "1, 2"}: leaves as display text."""
    if isinstance(value, Mapping):
        flat: dict[str, str] = {}
        for key, inner in value.items():
            flat |= flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return flat
    if isinstance(value, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in value):
            return {prefix: ", ".join(str(v) for v in value)}
        flat = {}
        for index, inner in enumerate(value):
            flat |= flatten(inner, f"{prefix}[{index + 1}]")
        return flat
    return {prefix: "" if value is None else str(value)}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every leaf that differs, in a stable order; fields only on one side count as changed."""
    old, new = flatten(before), flatten(after)
    return [
        Change(field=key, before=old.get(key, ""), after=new.get(key, ""))
        for key in sorted(old.keys() | new.keys())
        if old.get(key, "") != new.get(key, "")
    ]
