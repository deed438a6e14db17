"""Reading the reference data: the YAML files in data/catalog/, validated with pydantic into
a Catalog. A bad file fails at start with the file, the line and the field. The catalog's
version is a hash of the files' bytes, stored with every recommendation so a decision can be
traced to the rules it saw.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from logic.domain.catalog import CaseTypeInfo, Catalog, Ground, Policy, Rule, Template, Variants
from logic.domain.catalog_versions import CATALOG_FILES, texts_version

CATALOG_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "catalog"
FILES = CATALOG_FILES


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


def _parse(name: str, text: str) -> tuple[Any, yaml.Node | None]:
    try:
        node = yaml.compose(text)
        return yaml.safe_load(text), node
    except yaml.YAMLError as exc:
        raise CatalogError(f"{name}: not valid YAML: {exc}") from exc
    except ValueError as exc:  # a value YAML reads but cannot be, e.g. the date 2023-06-31
        line = next((n.start_mark.line + 1 for n in _scalars(node) if _unreadable(n)), None)
        raise CatalogError(f"{name}, line {line}: {exc}") from exc


def _scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def _unreadable(node: yaml.ScalarNode) -> bool:
    try:
        yaml.SafeLoader("").construct_object(node)
    except ValueError:
        return True
    return False


def catalog_texts(directory: Path = CATALOG_DIR) -> dict[str, str]:
    """The catalog's files as text, by name: what a catalog version keeps."""
    texts: dict[str, str] = {}
    for name in FILES:
        path = directory / name
        if not path.exists():
            raise CatalogError(f"{path}: file missing")
        try:
            texts[name] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogError(f"{name}: not UTF-8 text") from exc
    return texts


def write_catalog(texts: dict[str, str], directory: Path) -> None:
    """Write a catalog's files into `directory` (created if missing), byte for byte."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (directory / name).write_bytes(texts[name].encode("utf-8"))


def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    """Read and validate the catalog; raise CatalogError naming file, line and field."""
    return catalog_from_texts(catalog_texts(directory))


def catalog_from_texts(texts: dict[str, str]) -> Catalog:
    """Validate a catalog's files (by name); raise CatalogError naming file, line and field.
    The version is a hash of the files' bytes, as they are kept."""
    raw: dict[str, Any] = {}
    missing = [name for name in FILES if name not in texts]
    if missing:
        raise CatalogError(f"{missing[0]}: file missing")
    for name in FILES:
        data, node = _parse(name, texts[name])
        model: type[BaseModel] | None = {
            "policy.yaml": Policy,
            "varianter.yaml": Variants,
        }.get(name)
        item = {
            "arendetyper.yaml": CaseTypeInfo,
            "undantagsgrunder.yaml": Ground,
            "regler.yaml": Rule,
            "mallar.yaml": Template,
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
            version=texts_version(texts),
            policy=raw["policy.yaml"],
            case_types=tuple(raw["arendetyper.yaml"]),
            variants=variants.variants,
            assignment=variants.assignment,
            grounds=tuple(raw["undantagsgrunder.yaml"]),
            rules=tuple(raw["regler.yaml"]),
            templates=tuple(raw["mallar.yaml"]),
        )
    except ValidationError as exc:
        raise CatalogError(f"{exc.errors()[0]['msg']}") from exc


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
