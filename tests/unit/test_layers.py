"""The layers keep their promises (docs/architecture.md, Layout): a newcomer finds each
behaviour where its name says, because no module reaches across. Read from the source, no
import needed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    """Everything a file imports, at any depth, as full names: `import a.b` gives "a.b",
    `from a.b import c` gives "a.b.c"."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def files(folder: str) -> list[Path]:
    """Every Python file under a folder, or the one file named."""
    path = ROOT / folder
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def offenders(folder: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files(folder)
        for name in sorted(imports(path))
        if name.startswith(forbidden) and not name.startswith(allowed)
    ]


def test_logic_never_imports_streamlit() -> None:
    assert offenders("logic", ("streamlit",)) == []


@pytest.mark.parametrize("folder", ["logic", "pages", "app.py"])
def test_only_the_store_knows_sql(folder: str) -> None:
    paths = [ROOT / folder] if folder.endswith(".py") else files(folder)
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        if "store" not in path.relative_to(ROOT).parts
        for name in imports(path)
        if name.startswith("sqlalchemy")
    ]
    assert found == []


def test_the_domain_is_pure() -> None:
    """Models, rules, the assessment, the workflow and the record: data in, data out."""
    outside = ("logic.store", "logic.services", "logic.files", "logic.presentation")
    io = ("sqlalchemy", "streamlit", "pandas", "yaml", "openpyxl", "pyarrow", "logic.settings")
    assert offenders("logic/domain", outside + io) == []


def test_a_service_is_a_user_action_calling_the_domain_and_the_read_models() -> None:
    """A service never calls another service (only its unit of work), and never asks
    presentation for what it writes: what is sealed is made in the domain, files are written
    by logic/files."""
    services = ("logic.services", "logic.presentation")
    assert offenders("logic/services", services, allowed=("logic.services.unit_of_work",)) == []


def test_the_read_models_call_no_service_presentation_or_file() -> None:
    outside = ("logic.services", "logic.presentation", "logic.files", "streamlit")
    assert offenders("logic/readmodels", outside) == []


@pytest.mark.parametrize("folder", ["pages", "app.py", "tests", "benchmarks", "logic"])
def test_streamlit_is_used_through_its_public_api_only(folder: str) -> None:
    """st.* and AppTest (streamlit.testing.v1) only: a private module (streamlit.runtime...)
    changes without notice between releases. Tests and benchmarks may also set a server
    option as `streamlit run` would (streamlit.config; st.set_option refuses server options
    once running)."""
    paths = [ROOT / folder] if folder.endswith(".py") else files(folder)
    public = ("streamlit.testing.v1",) + (
        ("streamlit.config",) if folder in ("tests", "benchmarks") else ()
    )
    private = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        for name in sorted(imports(path))
        if name.startswith("streamlit.") and not name.startswith(public)
    ]
    assert private == []


def test_pages_reach_the_store_only_through_services() -> None:
    """A page holds the store (pages/ui/common.store()) to hand it to a service (the handle is
    logic.services.Store); nothing of the store itself."""
    assert offenders("pages", ("logic.store", "logic.readmodels")) == []
    assert offenders("app.py", ("logic.store", "logic.readmodels")) == []


def test_no_module_is_too_long_to_read_in_one_sitting() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for folder in ("logic", "pages")
        for path in files(folder)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert long == {}
