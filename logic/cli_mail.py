"""The mail command: `send-mail`, run by cron or a loop (docs/operations.md). It writes the
day's reminders to the outbox and sends every mail waiting there once, over the SMTP server
of the settings; without SMTP_HOST mail stays in the outbox."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from logic.domain.auth import SYSTEM
from logic.i18n import t
from logic.mailer import SmtpConfig
from logic.services.mail import send_mail
from logic.settings import settings
from logic.store.store import Store


def add_parser(sub: Any, lang: str) -> None:
    sub.add_parser("send-mail", help=t("cli.send_mail", lang))


def run(args: argparse.Namespace, store: Store, lang: str) -> int:
    """Exit 0 when every mail it could send was sent (or there is no server: mail waits);
    1 when the run stopped at a failure (the rest waits for the next run)."""
    config = settings()
    run = send_mail(
        store,
        SYSTEM,
        SmtpConfig.of(config),
        dt.timedelta(seconds=config.mail_claim_seconds),
    )
    print(t("cli.mail_run", lang, **{k: v for k, v in vars(run).items() if k != "error"}))
    if SmtpConfig.of(config) is None:
        print(t("cli.mail_no_server", lang))
    if run.error is not None:
        print(t("cli.mail_stopped", lang, error=run.error), file=sys.stderr)
        return 1
    return 0
