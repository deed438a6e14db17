"""Two `streamlit run` processes serving one database, as behind a load balancer: several
browsers at once, each assessing a unit of its own to a submitted decision, half of them on
each process. Used by `make stress` (benchmarks/stress.py) and by a browser test.

Each browser runs in a process of its own (Playwright's sync API keeps to one thread).
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Primary-care clinics of the sample file: in scope, run by the region, no ward checklist.
CLINICS = tuple(f"SE162321000255-DEMO{n:04d}" for n in range(1, 11))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def two_apps(database_url: str, log_dir: Path) -> Iterator[list[str]]:
    """Migrate and seed the database, then serve it from two processes; yields their URLs."""
    from benchmarks.stress import KEY

    env = os.environ | {
        "DATABASE_URL": database_url,
        "APP_LANGUAGE": "sv",
        "AUDIT_KEY": KEY.decode(),
    }
    for command in ("migrate", "seed"):
        subprocess.run(
            [sys.executable, "-m", "logic", command], cwd=ROOT, env=env, check=True, timeout=120
        )
    processes, urls = [], []
    try:
        for n in range(2):
            port = _free_port()
            log = (log_dir / f"streamlit-{n}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py"]
                    + ["--server.address", "127.0.0.1", "--server.port", str(port)]
                    + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            _wait_healthy(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


@contextmanager
def browser_page() -> Iterator[Any]:
    """A page in the system Chromium, closed afterwards (one browser per call)."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def submit_in_browser(url: str, hsa_id: str) -> str:
    """Hanna assesses `hsa_id` from the first step to a submitted decision on `url`.
    Returns "" when the page confirmed the submission, else what went wrong."""
    from playwright.sync_api import Page

    def settle(page: Page) -> None:
        page.wait_for_selector(READY, timeout=60_000)
        page.wait_for_timeout(400)
        page.wait_for_selector(READY, timeout=60_000)

    def click(page: Page, name: str) -> None:
        # while Streamlit reruns, the last run's button can still be on the page beside the
        # new one: take the first, and check below that the click took
        page.get_by_role("button", name=name, exact=True).first.click()
        settle(page)

    def next_step(page: Page, number: int) -> None:
        """To step `number`; a click given while the page was still rerunning can be
        dropped by Streamlit (a person would click again), so click until it moves."""
        for _ in range(3):
            try:
                if page.get_by_text(f"Steg {number} av 7").count():
                    return  # an earlier click took after all
                click(page, "Nästa")
                page.get_by_text(f"Steg {number} av 7").wait_for(timeout=10_000)
                return
            except Exception:  # noqa: BLE001 - not there yet: the click was dropped
                continue
        raise TimeoutError(f"the wizard did not reach step {number}")

    def choose(page: Page, label: str, option: str) -> None:
        """Open the list and pick `option`; a rerun that lands as the list opens closes it
        again (a person would open it again), so open it until the pick takes."""
        for _ in range(3):
            try:
                settle(page)
                page.get_by_role("combobox", name=label, exact=True).click()
                page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
                settle(page)
                return
            except Exception:  # noqa: BLE001 - the list closed before the pick: again
                page.keyboard.press("Escape")
        raise TimeoutError(f"could not choose {option!r} in {label!r}")

    with browser_page() as page:
        try:
            page.goto(f"{url}/bedomning?unit={hsa_id}")
            settle(page)
            box = page.get_by_role("combobox", name="Användare (lokalt läge)", exact=True)
            box.click()
            box.fill("Hanna")
            page.get_by_role("option", name="Hanna Handläggare", exact=False).first.click()
            settle(page)
            page.get_by_text("Steg 1 av 7").wait_for(timeout=20_000)
            for number in range(2, 7):  # Enheten -> Svarstid
                next_step(page, number)
            choose(page, "Enhetens utlovade svarstid för skriftlig kontakt", "Senast samma vardag")
            next_step(page, 7)
            page.get_by_role("textbox", name="Motivering", exact=True).fill("Samtidigt test.")
            page.keyboard.press("Tab")
            settle(page)
            click(page, "Skicka för fastställande")
            page.get_by_role("dialog").get_by_role("button", name="Ja, skicka").click()
            settle(page)
            page.get_by_text("är skickat för fastställande som revision").wait_for(timeout=20_000)
            return ""
        except Exception as exc:  # noqa: BLE001 - reported with what the page said
            said = page.locator("[data-testid='stAlert']").all_inner_texts()
            shots = os.environ.get("STRESS_SHOTS")
            if shots:
                page.screenshot(path=f"{shots}/{hsa_id}.png", full_page=True)
            return f"{hsa_id} on {url}: {exc}; page said {said}"[:600]


REASON = "Vi har ingen tidbokning på nätet ännu."  # what each unit manager asks, and why


def ask_in_browser(url: str, hsa_id: str) -> str:
    """Elin, the demo unit manager, opens Min enhet on `url`, reads the unit `hsa_id` (one of
    hers) and asks for an exemption; no page of the register is offered to her. Returns ""
    when all went as it should, else what went wrong."""
    with browser_page() as page:
        try:
            page.goto(f"{url}/min_enhet")
            page.wait_for_selector(READY, timeout=60_000)
            box = page.get_by_role("combobox", name="Användare (lokalt läge)", exact=True)
            box.click()
            box.fill("Elin")
            page.get_by_role("option", name="Elin Enhetschef", exact=False).first.click()
            page.get_by_role("heading", name="Min enhet").wait_for(timeout=30_000)
            unit = page.get_by_role("combobox", name="Enhet", exact=True)
            unit.click()
            unit.fill(hsa_id)
            page.get_by_role("option").filter(has_text=hsa_id).first.click()
            page.get_by_role("heading").filter(has_text=hsa_id).first.wait_for(timeout=30_000)
            page.wait_for_selector(READY, timeout=60_000)
            page.locator("[data-testid='stRadio']").get_by_text("Undantag", exact=True).click()
            page.get_by_label("Varför?").fill(REASON)
            page.get_by_role("button", name="Skicka begäran").click()
            page.get_by_text("Begäran är skickad till regionens team.").wait_for(timeout=30_000)
            # no page of the register in her navigation (an address typed by hand is not
            # tried here: local mode keeps one demo user per server, whoever chose last)
            if page.get_by_role("link", name="Beslut", exact=True).count():
                return f"{hsa_id} on {url}: the register was offered to a unit manager"
            return ""
        except Exception as exc:  # noqa: BLE001 - reported with what the page said
            said = page.locator("[data-testid='stAlert']").all_inner_texts()
            return f"unit manager {hsa_id} on {url}: {exc}; page said {said}"[:600]


MANAGED = CLINICS[:2]  # the demo unit manager's two units


def run_browsers(urls: list[str], browsers: int, managers: int = 0) -> list[str]:
    """`browsers` at once, alternating between the app processes, and as many as `managers`
    unit managers asking (on Min enhet) beside them; their problems."""
    jobs = [(submit_in_browser, urls[n % len(urls)], CLINICS[n]) for n in range(browsers)]
    jobs += [(ask_in_browser, urls[n % len(urls)], MANAGED[n]) for n in range(managers)]
    from benchmarks.stress import spawn_pool

    with spawn_pool(len(jobs)) as pool:
        problems = pool.starmap_async(_one, jobs).get(timeout=900)
    return [problem for problem in problems if problem]


def _one(job: Any, url: str, hsa_id: str) -> str:
    return str(job(url, hsa_id))
