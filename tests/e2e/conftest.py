"""Browser tests: the real `sourcetrace serve --sample` on loopback, driven by Playwright in Debian's
headless Chromium. Skipped with the reason where the browser or the playwright package is missing;
CI (.ci/run) installs both."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from e2epage import CHROMIUM, CHROMIUM_ARGS, Watched, why_skipped

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Ingesting the sample loads spaCy and MiniLM and links 19 claims: ~20 s on a 2-core machine.
SERVER_START_TIMEOUT_S = 180


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the served web UI in headless Chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    reason = why_skipped()
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"sourcetrace serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/api/outlets", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"sourcetrace serve not up after {SERVER_START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and the server log go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The command a user runs: `sourcetrace serve --sample` (the bundled corpus ingested and linked
    with the real spaCy analyzer and MiniLM, as `make run` does) on a fresh SQLite file."""
    db = tmp_path_factory.mktemp("e2e") / "sample.db"
    port = _free_port()
    command = [str(Path(sys.executable).with_name("sourcetrace")), "serve", "--db", f"sqlite:///{db}",
               "--host", "127.0.0.1", "--port", str(port), "--sample"]
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCETRACE_TOKEN", "SOURCETRACE_DB")}
    log = artifacts / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def watched(browser: Browser, base_url: str, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Watched]:
    """A fresh browser context on the server; a full-page screenshot of where the test ended."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)          # the first analysis loads spaCy in the server
    # Assertions poll for 5 s by default, not the context's timeout: on a loaded 2-core machine
    # the first analysis took longer once, and the result's "to_be_visible" gave up.
    from playwright.sync_api import expect
    expect.set_options(timeout=30_000)
    w = Watched(context.new_page())
    yield w
    try:
        w.page.screenshot(path=str(artifacts / f"{request.node.name}-end.png"), full_page=True)
    finally:
        context.close()
