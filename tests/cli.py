"""Run the command line as a batch user does: `python -m logic ...` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, url: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The command with DATABASE_URL `url` (Swedish messages), and any other settings."""
    env = os.environ | {"DATABASE_URL": url, "APP_LANGUAGE": "sv"} | settings
    return subprocess.run(
        [sys.executable, "-m", "logic", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
