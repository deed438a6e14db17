"""The policy's command: `policy-impact`, what a changed copy of the reference data
(data/catalog) would change for the register's units, before anyone approves it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from logic.cli_rollout import date
from logic.clock import local_today
from logic.domain.auth import SYSTEM
from logic.files.export import Profile, write_atomically
from logic.files.reference_data import CatalogError, load_catalog
from logic.i18n import LANGUAGES, t
from logic.presentation import labels
from logic.services.policy import policy_impact
from logic.store.store import Store

FORMATS: dict[str, Profile] = {".csv": "csv-excel", ".xlsx": "xlsx"}


def add_parser(sub: Any, lang: str) -> None:
    p = sub.add_parser("policy-impact", help=t("cli.policy_impact", lang))
    p.add_argument("--catalog", type=Path, required=True, help=t("cli.impact_catalog", lang))
    p.add_argument("--as-of", type=date, help=t("cli.impact_as_of", lang))
    p.add_argument("--labels", choices=LANGUAGES, default="sv", help=t("cli.impact_labels", lang))
    p.add_argument("--out", type=Path, required=True, help=t("cli.impact_out", lang))


def run(args: argparse.Namespace, store: Store, lang: str) -> int:
    """Refused in words (exit 2): a file that is neither .csv nor .xlsx, a date after today,
    a proposed catalog that is not valid reference data (named by file, line and field)."""
    profile = FORMATS.get(args.out.suffix.lower())
    if profile is None:
        print(t("cli.impact_format", lang, out=args.out), file=sys.stderr)
        return 2
    today = local_today(store)
    if args.as_of is not None and args.as_of > today:
        print(t("cli.as_of_future", lang, as_of=args.as_of, today=today), file=sys.stderr)
        return 2
    try:
        proposed = load_catalog(args.catalog)
    except CatalogError as exc:
        print(t("cli.impact_bad_catalog", lang, error=exc), file=sys.stderr)
        return 2
    found = policy_impact(
        store,
        SYSTEM,
        proposed,
        profile,
        args.as_of,
        args.labels,
        deliver=lambda data: write_atomically(args.out, data),
    )
    per = ", ".join(f"{name}: {count}" for name, count in found.units.items()) or labels.NONE
    units = sum(found.units.values())
    print(
        t("cli.impact_written", lang, units=units, per=per, out=args.out, sha256=found.file.sha256)
    )
    return 0
