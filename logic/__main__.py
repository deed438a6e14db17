"""Command line: `python -m logic <command>`. For batch work and automation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from logic import cli_catalog, cli_mail, cli_policy, cli_rollout
from logic.bootstrap import AuditKeyMissing, audit_key, connect, migrate_as_owner, prepare
from logic.clock import local_today, region_today
from logic.demo.history import seed_demo_history
from logic.domain.auth import SYSTEM
from logic.domain.catalog import Catalog
from logic.domain.errors import DatabaseError, ObservedOutOfRange, Refused
from logic.domain.record import parse_head
from logic.domain.register import RegisterFilter
from logic.files.export import PROFILES, write_atomically
from logic.files.reference_data import CatalogError, catalog
from logic.files.triage import triage_csv
from logic.files.unit_file import UnitFileError
from logic.i18n import t
from logic.presentation import labels
from logic.readmodels.rollout_projection import refresh_all
from logic.services.audit import NotARegister, introduce_key, verify_audit, verify_copy
from logic.services.decision_documents import decision_document, decision_documents
from logic.services.register import export_decisions
from logic.services.units import import_units, seed_sample_units
from logic.services.users import import_unit_managers
from logic.settings import settings
from logic.store.db import make_engine, migrate, read_only_url
from logic.store.store import Store


def _store() -> Store:
    return connect(settings())


def _report(errors: UnitFileError, lang: str) -> int:
    for error in errors.errors:
        print(error.render(lang), file=sys.stderr)
    if errors.total > len(errors.errors):
        print(
            t("unitfile.more", lang, shown=len(errors.errors), count=errors.total), file=sys.stderr
        )
    print(t("cli.refused", lang, count=errors.total), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Run a command; a failure the user can act on is said in words, never a traceback."""
    lang = settings().app_language
    try:
        return _run(argv, lang)
    except OSError as exc:  # a file: no such folder, no permission, the disk full
        print(t("cli.file_error", lang, error=_reason(exc)), file=sys.stderr)
    except DatabaseError as exc:  # the database: unreachable, read-only, full, locked
        print(t("cli.database_error", lang, error=exc.reason), file=sys.stderr)
    except AuditKeyMissing:
        print(t("cli.audit_key_missing", lang), file=sys.stderr)
    except Refused as exc:  # e.g. a chain without its key: nothing is appended
        key, params = exc.words()
        print(t(key, lang, **params), file=sys.stderr)
    return 1


def _verify(args: argparse.Namespace, lang: str) -> int:
    """verify-audit: the live database (the check is on the record), or with --backup a copy
    opened read-only (nothing written); --expect a head written down earlier."""
    expect = parse_head(args.expect) if args.expect else None
    if args.expect and expect is None:
        print(t("cli.bad_head", lang, head=args.expect), file=sys.stderr)
        return 2
    try:
        if args.backup is not None:
            if not args.backup.is_file():
                print(t("cli.no_file", lang, path=args.backup), file=sys.stderr)
                return 1
            backup = Store(make_engine(read_only_url(args.backup)), audit_key(settings()))
            result = verify_copy(backup, expect)
        else:
            result = verify_audit(_store(), SYSTEM, expect)
    except NotARegister as exc:
        print(t(f"cli.register_{exc.state}", lang), file=sys.stderr)
        return 1
    if result.intact:
        print(t("audit.intact", lang, events=result.events, revisions=result.revisions))
        print(t("audit.head", lang, head=result.head))
        if result.unkeyed:
            print(t("audit.unkeyed", lang, count=result.unkeyed))
        return 0
    print(t(result.problem or "", lang, where=result.where), file=sys.stderr)
    return 1


def _migrate(cat: Catalog, lang: str) -> int:
    """migrate: as the owner; an app role of its own is granted what the app needs."""
    granted = migrate_as_owner(settings())
    if granted:
        print(t("cli.granted", lang, role=granted))
    refresh_all(_store(), cat)  # the roll-out now, made after the upgrade that adds it
    print(t("cli.migrated", lang))
    return 0


def _document(args: argparse.Namespace, lang: str) -> int:
    """decision-document: one revision's PDF, or with --forvaltning (and no HSA-id) every
    current decision of that administration in one ZIP; written whole, then logged."""
    if bool(args.hsa_id) == bool(args.forvaltning):
        print(t("cli.document_which", lang), file=sys.stderr)
        return 2
    out: Path = args.out

    def deliver(data: bytes) -> None:
        write_atomically(out, data)

    if args.forvaltning:
        file = decision_documents(_store(), args.forvaltning, SYSTEM, args.labels, deliver)
    else:
        file = decision_document(_store(), args.hsa_id, SYSTEM, args.revision, args.labels, deliver)
    print(t("cli.document_written", lang, count=file.rows, out=out, sha256=file.sha256))
    return 0


def _reason(exc: OSError) -> str:
    if exc.strerror:
        return exc.strerror + (f": {exc.filename}" if exc.filename else "")
    return str(exc) or type(exc).__name__


def _run(argv: list[str] | None, lang: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m logic", description=t("cli.description", lang))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help=t("cli.migrate", lang))
    p_seed = sub.add_parser("seed", help=t("cli.seed", lang))
    p_seed.add_argument("--demo-history", action="store_true", help=t("cli.demo_history", lang))
    p_import = sub.add_parser("import-units", help=t("cli.import", lang))
    p_import.add_argument("file", type=Path)
    p_import.add_argument("--observed", type=cli_rollout.date, help=t("cli.observed", lang))
    p_managers = sub.add_parser("import-unit-managers", help=t("cli.import_managers", lang))
    p_managers.add_argument("file", type=Path)
    p_triage = sub.add_parser("triage", help=t("cli.triage", lang))
    p_triage.add_argument("file", type=Path)
    p_triage.add_argument("--out", type=Path, required=True)
    p_verify = sub.add_parser("verify-audit", help=t("cli.verify", lang))
    p_verify.add_argument("--expect", help=t("cli.verify_expect", lang))
    p_verify.add_argument("--backup", type=Path, help=t("cli.verify_backup", lang))
    sub.add_parser("introduce-audit-key", help=t("cli.introduce_key", lang))
    p_export = sub.add_parser("export-decisions", help=t("cli.export", lang))
    p_export.add_argument("--format", choices=PROFILES, required=True, dest="profile")
    p_export.add_argument("--labels", choices=("sv", "en"), help=t("cli.labels", lang))
    p_export.add_argument("--out", type=Path, required=True)
    for name in RegisterFilter.model_fields:
        flag = "--" + name.replace("_", "-")
        if name in ("avviker", "bor_omprovas"):
            p_export.add_argument(flag, action="store_true", help=t(f"cli.filter_{name}", lang))
        else:
            p_export.add_argument(flag, help=t(f"cli.filter_{name}", lang))
    p_doc = sub.add_parser("decision-document", help=t("cli.document", lang))
    p_doc.add_argument("hsa_id", nargs="?", help=t("cli.document_unit", lang))
    p_doc.add_argument("--revision", type=int, help=t("cli.document_revision", lang))
    p_doc.add_argument("--forvaltning", help=t("cli.document_forvaltning", lang))
    p_doc.add_argument("--labels", choices=("sv", "en"), default="sv")
    p_doc.add_argument("--out", type=Path, required=True)
    cli_rollout.add_parsers(sub, lang)
    cli_policy.add_parser(sub, lang)
    cli_catalog.add_parser(sub, lang)
    cli_mail.add_parser(sub, lang)
    args = parser.parse_args(argv)

    try:
        cat = catalog()
    except CatalogError as exc:
        print(t("cli.catalog_error", lang, error=exc), file=sys.stderr)
        return 2

    if args.command == "migrate":
        return _migrate(cat, lang)
    if args.command == "seed":
        store = _store()
        if args.demo_history and settings().auth_mode == "local":  # demo users: local only
            migrate(store.engine)
            made = seed_demo_history(store, settings().sample_units, cat, local_today(store))
            if made is not None:
                prepare(store, settings())
                print(t("cli.demo_seeded", lang, count=made))
                return 0
        refreshed = prepare(store, settings())
        result = seed_sample_units(store, settings().sample_units)
        if result is None:
            print(t("cli.seed_skipped", lang, refreshed=refreshed))
        else:
            print(t("cli.seeded", lang, count=result.total))
        return 0

    if args.command == "verify-audit":
        return _verify(args, lang)
    if args.command == "introduce-audit-key":
        result = introduce_key(_store(), SYSTEM)
        if result is None:
            print(t("cli.key_already", lang))
        else:
            print(t("cli.key_introduced", lang, events=result.unkeyed or result.events))
        return 0
    if args.command == "export-rollout":
        return cli_rollout.run_export(args, _store(), lang)
    if args.command == "rollout-report":
        return cli_rollout.run_report(args, _store(), lang)
    if args.command == "decision-document":
        return _document(args, lang)
    if args.command == "policy-impact":
        return cli_policy.run(args, _store(), lang)
    if args.command == "catalog":
        return cli_catalog.run(args, _store(), lang)
    if args.command == "send-mail":
        return cli_mail.run(args, _store(), lang)
    if args.command == "export-decisions":
        f = cli_rollout.parse_filter(RegisterFilter, args, lang)
        if f is None:
            return 2
        out: Path = args.out
        file = export_decisions(
            _store(),
            f,
            args.profile,
            SYSTEM,
            deliver=lambda data: write_atomically(out, data),
            in_words=args.labels,
        )
        print(t("cli.exported", lang, rows=file.rows, out=args.out, sha256=file.sha256))
        return 0

    path: Path = args.file
    if not path.is_file():
        print(t("cli.no_file", lang, path=path), file=sys.stderr)
        return 1
    try:
        if args.command == "import-units":  # streamed from the file, whatever its size
            observed = args.observed or local_today(_store())
            result = import_units(
                _store(), path, SYSTEM, source=path.name, lang=lang, observed=observed
            )
            print(labels.imported(result, observed, lang))
        elif args.command == "import-unit-managers":
            done = import_unit_managers(_store(), path, SYSTEM, path.name, lang)  # streamed
            print(t("cli.managers_imported", lang, **vars(done)))
        else:
            triaged = triage_csv(path.read_bytes(), cat, region_today(), lang)
            write_atomically(args.out, triaged)  # a line per unit: no name holds a line break
            print(t("cli.triaged", lang, count=triaged.count(b"\n") - 1, out=args.out))
    except UnitFileError as errors:
        return _report(errors, lang)
    except ObservedOutOfRange as exc:
        print(
            t("cli.observed_range", lang, observed=exc.observed, today=exc.today), file=sys.stderr
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
