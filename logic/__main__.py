"""Command line: `python -m logic <command>`. For batch work and automation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from logic.auth import SYSTEM
from logic.catalog import CatalogError, catalog
from logic.export import PROFILES
from logic.i18n import t
from logic.register import RegisterFilter
from logic.services import (
    ensure_demo_users,
    ensure_first_administrator,
    export_decisions,
    import_units,
    refresh_recommendations,
    retire_demo_users,
    seed_sample_units,
    verify_audit,
)
from logic.settings import settings
from logic.store.db import make_engine, migrate
from logic.store.store import Store
from logic.triage import triage_csv
from logic.unit_file import UnitFileError


def _store() -> Store:
    return Store(make_engine(settings().database_url))


def _report(errors: UnitFileError, lang: str) -> int:
    for error in errors.errors:
        print(error.render(lang), file=sys.stderr)
    print(t("cli.refused", lang, count=len(errors.errors)), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    lang = settings().app_language
    parser = argparse.ArgumentParser(prog="python -m logic", description=t("cli.description", lang))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=t("cli.migrate", lang))
    sub.add_parser("seed", help=t("cli.seed", lang))
    p_import = sub.add_parser("import-units", help=t("cli.import", lang))
    p_import.add_argument("file", type=Path)
    p_triage = sub.add_parser("triage", help=t("cli.triage", lang))
    p_triage.add_argument("file", type=Path)
    p_triage.add_argument("--out", type=Path, required=True)
    sub.add_parser("verify-audit", help=t("cli.verify", lang))
    p_export = sub.add_parser("export-decisions", help=t("cli.export", lang))
    p_export.add_argument("--format", choices=PROFILES, required=True, dest="profile")
    p_export.add_argument("--out", type=Path, required=True)
    for name in RegisterFilter.model_fields:
        flag = "--" + name.replace("_", "-")
        if name == "avviker":
            p_export.add_argument(flag, action="store_true", help=t("cli.filter_avviker", lang))
        else:
            p_export.add_argument(flag, help=t(f"cli.filter_{name}", lang))
    args = parser.parse_args(argv)

    try:
        cat = catalog()
    except CatalogError as exc:
        print(t("cli.catalog_error", lang, error=exc), file=sys.stderr)
        return 2

    if args.command == "migrate":
        migrate(make_engine(settings().database_url))
        print(t("cli.migrated", lang))
        return 0
    if args.command == "seed":
        store = _store()
        if settings().auth_mode == "local":
            ensure_demo_users(store)
        else:
            retire_demo_users(store)
        if settings().first_admin:
            ensure_first_administrator(store, settings().first_admin)
        result = seed_sample_units(store, settings().sample_units)
        refreshed = refresh_recommendations(store, cat=cat)
        if result is None:
            print(t("cli.seed_skipped", lang, refreshed=refreshed))
        else:
            print(t("cli.seeded", lang, count=result.total))
        return 0

    if args.command == "verify-audit":
        result = verify_audit(_store(), SYSTEM)
        if result.intact:
            print(t("audit.intact", lang, events=result.events, revisions=result.revisions))
            return 0
        print(t(result.problem or "", lang, where=result.where), file=sys.stderr)
        return 1
    if args.command == "export-decisions":
        values = {n: getattr(args, n) for n in RegisterFilter.model_fields}
        try:
            f = RegisterFilter.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            for err in exc.errors():
                print(
                    t("cli.bad_filter", lang, field=err["loc"][0], value=err["input"]),
                    file=sys.stderr,
                )
            return 2
        file = export_decisions(_store(), f, args.profile, SYSTEM)
        args.out.write_bytes(file.data)
        print(t("cli.exported", lang, rows=file.rows, out=args.out, sha256=file.sha256))
        return 0

    path: Path = args.file
    if not path.is_file():
        print(t("cli.no_file", lang, path=path), file=sys.stderr)
        return 1
    data = path.read_bytes()
    try:
        if args.command == "import-units":
            result = import_units(_store(), data, SYSTEM, source=path.name, lang=lang, cat=cat)
            print(
                t(
                    "cli.imported",
                    lang,
                    added=result.added,
                    updated=result.updated,
                    unchanged=result.unchanged,
                )
            )
        else:
            text = triage_csv(data, cat, lang)
            args.out.write_text(text, encoding="utf-8", newline="")
            print(t("cli.triaged", lang, count=text.count("\n") - 1, out=args.out))
    except UnitFileError as errors:
        return _report(errors, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
