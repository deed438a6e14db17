"""The roll-out's commands: `export-rollout` (for machines) and `rollout-report` (for the
regional management), both as of a date and, with --known-at, as known at a moment."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from logic.clock import local_today
from logic.domain.auth import SYSTEM
from logic.files.export import PROFILES, write_atomically
from logic.files.rollout_report import REPORT_FORMATS
from logic.i18n import LANGUAGES, t
from logic.readmodels.rollout_projection import refresh_all
from logic.services.register import forvaltningar
from logic.services.rollout import RolloutFilter, export_rollout, rollout_report
from logic.services.unit_of_work import catalog_of
from logic.settings import settings
from logic.store.store import Store

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date(value: str) -> dt.date:
    """A date on the command line: YYYY-MM-DD, ASCII digits (argparse says the rest)."""
    try:
        if DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(t("cli.bad_date", settings().app_language, value=value))


def moment(value: str) -> dt.datetime:
    """A moment: YYYY-MM-DD[THH:MM[:SS]][±HH:MM or Z]; without an offset, local time; a day
    alone means its end (as the page's default). From 2000-01-01 up to now."""
    lang = settings().app_language
    try:
        if DATE.match(value) and value.isascii():
            parsed = dt.datetime.fromisoformat(value)
            if DATE.fullmatch(value):  # the whole day
                parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=ZoneInfo(settings().timezone))
            found = parsed.astimezone(dt.UTC)
        else:
            raise ValueError(value)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(t("cli.bad_moment", lang, value=value)) from None
    earliest = dt.datetime(2000, 1, 1, tzinfo=ZoneInfo(settings().timezone))
    if not earliest <= found <= dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        raise argparse.ArgumentTypeError(t("cli.bad_moment_range", lang, value=value))
    return min(found, dt.datetime.now(dt.UTC))  # today's end: as known now


FilterT = TypeVar("FilterT", bound=BaseModel)


def parse_filter(model: type[FilterT], args: argparse.Namespace, lang: str) -> FilterT | None:
    """The command's filter flags as `model`, or None after saying which flag is wrong."""
    values = {n: getattr(args, n) for n in model.model_fields}
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        for err in exc.errors():
            print(
                t(
                    "cli.bad_filter",
                    lang,
                    field=err["loc"][0],
                    value=err["input"],
                    command=args.command,
                ),
                file=sys.stderr,
            )
        return None


def _checked(args: argparse.Namespace, store: Store, lang: str) -> int | None:
    """The roll-out now made first if stale (after an upgrade or a catalog edit); then a day
    after today, or an administration the register does not have, refused in words (exit
    2); None when all is well."""
    refresh_all(store, catalog_of(store))
    today = local_today(store)
    if args.as_of is not None and args.as_of > today:
        print(t("cli.as_of_future", lang, as_of=args.as_of, today=today), file=sys.stderr)
        return 2
    if args.forvaltning is not None:
        known = forvaltningar(store, SYSTEM)
        if args.forvaltning not in known:
            names = ", ".join(known) or "–"
            print(
                t("cli.unknown_forvaltning", lang, forvaltning=args.forvaltning, known=names),
                file=sys.stderr,
            )
            return 2
    return None


def add_parsers(sub: Any, lang: str) -> None:
    p = sub.add_parser("export-rollout", help=t("cli.export_rollout", lang))
    p.add_argument("--format", choices=PROFILES, required=True, dest="profile")
    p.add_argument("--as-of", type=date, help=t("cli.as_of", lang))
    p.add_argument("--known-at", type=moment, help=t("cli.known_at", lang))
    p.add_argument("--forvaltning", help=t("cli.filter_forvaltning", lang))
    p.add_argument("--arendetyp", help=t("cli.filter_arendetyp", lang))
    p.add_argument("--status", help=t("cli.filter_rollout_status", lang))
    p.add_argument("--out", required=True, type=Path)
    r = sub.add_parser("rollout-report", help=t("cli.rollout_report", lang))
    r.add_argument("--as-of", type=date, help=t("cli.as_of", lang))
    r.add_argument("--known-at", type=moment, help=t("cli.known_at", lang))
    r.add_argument("--forvaltning", help=t("cli.filter_forvaltning", lang))
    r.add_argument("--format", choices=REPORT_FORMATS, required=True, dest="fmt")
    r.add_argument("--labels", choices=LANGUAGES, default="sv", help=t("cli.report_labels", lang))
    r.add_argument("--out", required=True, type=Path)


def run_export(args: argparse.Namespace, store: Store, lang: str) -> int:
    refused = _checked(args, store, lang)
    if refused is not None:
        return refused
    f = parse_filter(RolloutFilter, args, lang)
    if f is None:
        return 2
    as_of = args.as_of or local_today(store)
    file = export_rollout(
        store,
        SYSTEM,
        args.profile,
        as_of,
        args.known_at,
        f,
        deliver=lambda data: write_atomically(args.out, data),
    )
    print(t("cli.exported", lang, rows=file.rows, out=args.out, sha256=file.sha256))
    return 0


def run_report(args: argparse.Namespace, store: Store, lang: str) -> int:
    refused = _checked(args, store, lang)
    if refused is not None:
        return refused
    as_of = args.as_of or local_today(store)
    file = rollout_report(
        store,
        SYSTEM,
        args.fmt,
        as_of,
        args.known_at,
        args.forvaltning,
        args.labels,
        deliver=lambda data: write_atomically(args.out, data),
    )
    print(t("cli.reported", lang, out=args.out, sha256=file.sha256))
    return 0
