"""Settings, from the environment (or a .env file). Every setting is documented in README.md."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'basutbud.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # A SQLAlchemy URL. The embedded default is a SQLite file under var/ (git-ignored);
    # PostgreSQL for shared deployments: postgresql+psycopg://user@host:5432/db
    database_url: str = DEFAULT_DATABASE_URL
    # PostgreSQL: the owner's URL, for `python -m logic migrate` only. The app then connects
    # as DATABASE_URL's role, which migrate grants exactly what the app needs (it can read
    # and append, never alter, truncate or drop a table or disable a trigger). Empty: the
    # app's own URL (the app's role owns the tables).
    migration_database_url: str = ""
    # The UI language a session starts in: sv (default) or en.
    app_language: Literal["sv", "en"] = "sv"
    # Sign-in: "local" (the default for make run: choose one of the demo users, one per role;
    # refused unless the server listens on a loopback address) or "oidc" (OpenID Connect via
    # st.login, configured under [auth] in .streamlit/secrets.toml).
    auth_mode: Literal["local", "oidc"] = "local"
    # The first administrator's e-mail: added at `seed` when the register has none.
    first_admin: str = ""
    # Local time for people and exports (stored times are UTC).
    timezone: str = "Europe/Stockholm"
    # The unit file loaded into an empty register by `python -m logic seed` (make run).
    sample_units: Path = ROOT / "data" / "sample" / "enheter.csv"
    # The secret the audit chain is keyed with (HMAC), kept outside the database: whoever
    # holds only the database cannot rewrite the chain unseen. Required for PostgreSQL
    # (every app server must use the same one); with SQLite, when empty, a key is created
    # once in AUDIT_KEY_FILE.
    audit_key: str = ""
    audit_key_file: Path = ROOT / "var" / "audit.key"
    # The largest unit file the Administration page takes, in MB (1 MB = 1,000,000 bytes;
    # 50 MB is about 240,000 units, checked in some 25 seconds). Streamlit's own limit
    # (.streamlit/config.toml server.maxUploadSize) is the same; the page takes the lower.
    # A larger file goes through `python -m logic import-units`, which streams it.
    upload_limit_mb: int = Field(default=50, ge=1, le=200)
    # Where people open the app: the links in mail (a page's address is APP_URL/page).
    app_url: str = "http://localhost:8501"
    # Mail, sent by `python -m logic send-mail` (cron or a loop). With no SMTP_HOST, mail
    # stays in the outbox (the Administration page shows it). SMTP_STARTTLS: upgrade the
    # connection with STARTTLS before SMTP_USER and SMTP_PASSWORD (if any) are given.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "basutbud@localhost"
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    # How long a sender holds a mail it is sending: a sender killed half way leaves its mail
    # to the next run after this many seconds (longer than the SMTP server ever takes).
    mail_claim_seconds: int = Field(default=300, ge=1)


@cache
def settings() -> Settings:
    return Settings()


def app_link(page: str) -> str:
    """The address of one of the app's pages (for mail)."""
    return f"{settings().app_url.rstrip('/')}/{page}"
