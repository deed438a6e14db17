"""Reference data: case types, baseline variants, exemption grounds, rule texts, policy.

Loaded from the YAML files in `data/catalog/`, validated with pydantic. A bad file fails at
start with the file, the line and the field. The catalog's version is a hash of the files'
bytes, stored with every recommendation so a decision can be traced to the rules it saw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from logic.codes import CASE_TYPES, ENHETSTYPER, VARIANTS, VERKSAMHETER, CaseType, Variant

CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
FILES = (
    "policy.yaml",
    "arendetyper.yaml",
    "varianter.yaml",
    "undantagsgrunder.yaml",
    "regler.yaml",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in each UI language."""

    sv: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


class ResponseTimeOption(Strict):
    code: str
    name: Text
    within_goal: bool


class Policy(Strict):
    deadline_digital_kontakt: dt.date
    review_default_months: int
    review_max_months: int
    response_time_goal: Text
    response_times: tuple[ResponseTimeOption, ...]

    def response_time(self, code: str) -> ResponseTimeOption:
        return next(r for r in self.response_times if r.code == code)


class CaseTypeInfo(Strict):
    code: CaseType
    name: Text
    description: Text


class VariantInfo(Strict):
    code: Variant
    name: Text
    case_types: tuple[CaseType, ...]
    also_relevant: tuple[CaseType, ...] = ()


class Assignment(Strict):
    when: dict[Literal["vardutforande", "enhetstyp", "verksamhet"], str]
    variant: Variant
    rule: str

    def matches(self, facts: dict[str, str]) -> bool:
        return all(facts.get(k) == v for k, v in self.when.items())


class Variants(Strict):
    variants: tuple[VariantInfo, ...]
    assignment: tuple[Assignment, ...]


class Ground(Strict):
    code: str
    name: Text
    basis: Literal["kalla", "bedomning"]
    applies_to: tuple[Literal["enhet", "arendetyp"], ...]
    needs_text: bool = False
    # Offered only for units with these facts, e.g. {kontaktkort: nej}; values as in the file.
    only_if: dict[Literal["kontaktkort", "verksamhet", "bokar_besok", "patientkontakt"], str] = {}

    def offered_for(self, facts: dict[str, str]) -> bool:
        return all(facts.get(k) == v for k, v in self.only_if.items())


class Rule(Strict):
    id: str
    text: Text
    source: str
    checklist: Text | None = None


class Catalog(Strict):
    version: str
    policy: Policy
    case_types: tuple[CaseTypeInfo, ...]
    variants: tuple[VariantInfo, ...]
    assignment: tuple[Assignment, ...]
    grounds: tuple[Ground, ...]
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        def exactly(kind: str, found: list[str], expected: tuple[str, ...]) -> None:
            if sorted(found) != sorted(expected):
                raise ValueError(f"{kind}: expected exactly {', '.join(expected)}; got {found}")

        exactly("arendetyper.yaml codes", [c.code for c in self.case_types], CASE_TYPES)
        exactly("varianter.yaml variants", [v.code for v in self.variants], VARIANTS)
        rule_ids = [r.id for r in self.rules]
        if len(set(rule_ids)) != len(rule_ids):
            raise ValueError("regler.yaml: rule ids must be unique")
        for a in self.assignment:
            if a.rule not in rule_ids:
                raise ValueError(f"varianter.yaml assignment: unknown rule {a.rule!r}")
        for v in self.variants:
            if "kontakt" not in v.case_types:
                raise ValueError(f"varianter.yaml {v.code}: every variant must contain kontakt")
        # Every unit must get a variant: check all combinations once, here, not per unit.
        for vu, et, vh in itertools.product(("ja", "nej"), ENHETSTYPER, VERKSAMHETER):
            facts = {"vardutforande": vu, "enhetstyp": et, "verksamhet": vh}
            if not any(a.matches(facts) for a in self.assignment):
                raise ValueError(f"varianter.yaml assignment: no variant for {facts}")
        return self

    # Lookups, by code. Small tuples: a linear scan is cheaper than keeping dicts in sync.
    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def variant(self, code: str) -> VariantInfo:
        return next(v for v in self.variants if v.code == code)

    def case_type(self, code: str) -> CaseTypeInfo:
        return next(c for c in self.case_types if c.code == code)

    def ground(self, code: str) -> Ground:
        return next(g for g in self.grounds if g.code == code)


class CatalogError(Exception):
    """A reference-data file is wrong; the message names file, line and field."""


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _parse(path: Path) -> tuple[Any, yaml.Node | None]:
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path.name}: not valid YAML: {exc}") from exc


def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    """Read and validate the catalog; raise CatalogError naming file, line and field."""
    raw: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name in FILES:
        path = directory / name
        if not path.exists():
            raise CatalogError(f"{path}: file missing")
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        data, node = _parse(path)
        model: type[BaseModel] | None = {
            "policy.yaml": Policy,
            "varianter.yaml": Variants,
        }.get(name)
        item = {
            "arendetyper.yaml": CaseTypeInfo,
            "undantagsgrunder.yaml": Ground,
            "regler.yaml": Rule,
        }.get(name)
        try:
            if model is not None:
                raw[name] = model.model_validate(data)
            else:
                assert item is not None
                if not isinstance(data, list):
                    raise CatalogError(f"{name}: expected a list of entries")
                raw[name] = [item.model_validate(d) for d in data]
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = err["loc"]
            if item is not None:  # errors of list items are reported relative to the item
                index = next(i for i, d in enumerate(data) if _invalid(item, d))
                loc = (index, *loc)
            field = ".".join(str(p) for p in loc)
            raise CatalogError(
                f"{name}, line {_line_of(node, loc)}, field '{field}': {err['msg']}"
            ) from exc
    variants: Variants = raw["varianter.yaml"]
    try:
        return Catalog(
            version=digest.hexdigest()[:12],
            policy=raw["policy.yaml"],
            case_types=tuple(raw["arendetyper.yaml"]),
            variants=variants.variants,
            assignment=variants.assignment,
            grounds=tuple(raw["undantagsgrunder.yaml"]),
            rules=tuple(raw["regler.yaml"]),
        )
    except ValidationError as exc:
        raise CatalogError(f"{directory}: {exc.errors()[0]['msg']}") from exc


def _invalid(model: type[BaseModel], data: Any) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return True
    return False


@cache
def catalog() -> Catalog:
    """The catalog in use, loaded once per process."""
    return load_catalog()
