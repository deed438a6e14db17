"""Readable differences between two revisions of a decision: what changed, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str  # a dotted path, e.g. "decision.exemption.rationale"
    before: Any  # the value as stored (frames.field_value says it in words)
    after: Any


# Compared and shown whole, as a person reads them: "the deviations", not "deviations[2].chosen".
WHOLE = {"decision.deviations", "decision.justifications", "decision.corrections"}


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}: one entry per field (WHOLE ones and lists as they are)."""
    if isinstance(value, Mapping) and prefix not in WHOLE:
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat |= flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return flat
    return {prefix: value}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every leaf that differs, in a stable order; fields only on one side count as changed."""
    old, new = flatten(before), flatten(after)
    return [
        Change(field=key, before=old.get(key), after=new.get(key))
        for key in sorted(old.keys() | new.keys())
        if _empty(old.get(key)) != _empty(new.get(key))
    ]


def _empty(value: Any) -> Any:
    """None, "", [] and {} are all "nothing given": not a change between them."""
    return None if value in (None, "", [], {}) else value
