"""End to end: a real `streamlit run` on a free loopback port and the system Chromium.

Without Chromium the tests skip with the reason; with TEST_REQUIRE_ALL=1 (CI) they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    path = chromium_path()
    if path is None:
        skip_or_fail("browser tests need Chromium (apt-get install chromium, or CHROMIUM_PATH)")
    return {
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, object]:
    return {"viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, db: Path):
        self.url = url
        self.db = db


@contextmanager
def serve(
    tmp_path: Path,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    port: int | None = None,
    seed: tuple[str, ...] = ("seed",),
) -> Iterator[Server]:
    """A migrated, seeded SQLite database and `streamlit run app.py` on it, on loopback;
    `env` adds settings (e.g. AUTH_MODE), `args` adds streamlit options, `port` is chosen
    beforehand when something must name it (an OIDC redirect_uri), `seed` the seeding
    command (("seed", "--demo-history") for a register at work)."""
    db = tmp_path / "e2e.db"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{db}", "APP_LANGUAGE": "sv"} | (env or {})
    for command in (("migrate",), seed):
        subprocess.run(
            [sys.executable, "-m", "logic", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    port = port or free_port()
    log_path = tmp_path / "streamlit.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,  # a file, not a pipe nobody reads (a full pipe would block the server)
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{url}/_stcore/health", process, log_path)
        yield Server(url, db)
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{url} did not answer:\n{log_path.read_text()}")
        time.sleep(0.3)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The app in local mode (the default), as `make run` serves it."""
    with serve(tmp_path) as running:
        yield running


def wait_for_app(page: Page, timeout_ms: int = 30_000) -> None:
    """Wait until the script has finished and stayed finished: right after the first load
    Streamlit may start a second run, and input given during it can be dropped."""
    page.wait_for_selector(READY, timeout=timeout_ms)
    quiet = 0
    deadline = time.monotonic() + timeout_ms / 1000
    while quiet < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(150)
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        quiet = quiet + 1 if state == "notRunning" else 0


def choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label`, then wait for the app to settle."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # long option lists are virtualised: filter first
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def local_sign_in(page: Page, url: str, who: str) -> None:
    """Open the app in local mode and choose the demo user `who` ("Hanna Handläggare"...)."""
    page.goto(url)
    wait_for_app(page)
    box = page.get_by_role("combobox", name="Användare (lokalt läge)", exact=True)
    box.click()
    box.fill(who)
    page.get_by_role("option", name=who, exact=False).first.click()
    wait_for_app(page)
