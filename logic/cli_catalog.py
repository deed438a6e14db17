"""The catalog's commands: `catalog list`, `catalog export DIR` (the version in force, as the
files in data/catalog), `catalog propose DIR --from DATE --reason TEXT --edited-from N --as EMAIL`,
`catalog approve N --version V --as EMAIL`, `catalog withdraw N --version V --as EMAIL` and
`catalog take-effect` (run daily: what a version taking effect today changes is made again).
Who acts is named (--as) and must hold the role in the user table: four eyes hold here too."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from logic.cli_rollout import date
from logic.domain.auth import SYSTEM, User
from logic.files.reference_data import catalog_texts, write_catalog
from logic.i18n import t
from logic.services.catalog import (
    approve_catalog,
    catalog_files,
    list_catalog_versions,
    propose_catalog,
    take_effect,
    withdraw_catalog,
)
from logic.store.store import Store


def add_parser(sub: Any, lang: str) -> None:
    p = sub.add_parser("catalog", help=t("cli.catalog", lang))
    steps = p.add_subparsers(dest="step", required=True)
    steps.add_parser("list", help=t("cli.catalog_list", lang))
    export = steps.add_parser("export", help=t("cli.catalog_export", lang))
    export.add_argument("dir", type=Path)
    export.add_argument("--number", type=int, help=t("cli.catalog_number", lang))
    propose = steps.add_parser("propose", help=t("cli.catalog_propose", lang))
    propose.add_argument("dir", type=Path)
    propose.add_argument("--from", dest="effective_from", type=date, required=True)
    propose.add_argument("--reason", required=True)
    propose.add_argument(
        "--edited-from", type=int, required=True, help=t("cli.catalog_edited_from", lang)
    )
    propose.add_argument("--as", dest="actor", required=True, help=t("cli.catalog_as", lang))
    for name in ("approve", "withdraw"):
        step = steps.add_parser(name, help=t(f"cli.catalog_{name}", lang))
        step.add_argument("number", type=int)
        step.add_argument("--version", required=True, help=t("cli.catalog_version", lang))
        step.add_argument("--as", dest="actor", required=True, help=t("cli.catalog_as", lang))
    steps.add_parser("take-effect", help=t("cli.catalog_take_effect", lang))


def _person(email: str) -> User:
    """Who the command acts as: their roles come from the user table (none if unknown)."""
    return User(email=email, namn=email)


def run(args: argparse.Namespace, store: Store, lang: str) -> int:
    """Refusals (Refused) are said in words by the caller (exit 1)."""
    if args.step == "list":
        for v in list_catalog_versions(store, SYSTEM):
            p = v.proposal
            print(
                t(
                    "cli.catalog_line",
                    lang,
                    number=p.number,
                    version=p.version,
                    state=t(f"catalog.state.{v.state}", lang),
                    effective_from=p.effective_from,
                    proposed_by=p.proposed_by,
                    by=v.verdict.by if v.verdict else "-",
                )
            )
        return 0
    if args.step == "export":
        found = catalog_files(store, SYSTEM, args.number)
        write_catalog(found.files, args.dir)
        done = t("cli.catalog_exported", lang, number=found.number, dir=args.dir)
        print(done, found.version)
        return 0
    if args.step == "propose":
        files = catalog_texts(args.dir)
        stored = propose_catalog(
            store, _person(args.actor), files, args.effective_from, args.reason, args.edited_from
        )
        print(t("cli.catalog_proposed", lang, number=stored.number, version=stored.version))
        return 0
    if args.step in ("approve", "withdraw"):
        give = approve_catalog if args.step == "approve" else withdraw_catalog
        given = give(store, _person(args.actor), args.number, args.version)
        print(t(f"cli.catalog_{given.verdict}", lang, number=given.number))
        return 0
    refreshed = take_effect(store)
    print(t("cli.catalog_took_effect", lang, units=refreshed))
    return 0
