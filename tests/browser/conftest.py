"""Playwright in Debian's chromium against pytest-django's live server, with the demo city loaded.

Playwright's own browser download needs internet access, so the tests drive the system
``chromium`` (``make test`` installs it as root, else prints the apt command). Missing chromium
fails the tests rather than skipping them: a green run must mean the browser really ran.

Every page a test opens is watched: a console error or an uncaught script error (a Content
Security Policy refusal, a missing asset, a broken script) fails the test at teardown.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The Playwright sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the test thread does not share them).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "browser-demo-pass-7"
SCREENSHOTS = Path(os.environ.get("STOA_SCREENSHOTS", "/tmp/stoa-browser"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium (or run make test)")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def demo(transactional_db: Any, settings: Any) -> Any:
    """The shipped libraries and the demo city, with a known password for its users."""
    from stoa.demo.loader import load_demo
    from stoa.library.loader import load_shipped

    # The live server speaks plain HTTP; production's secure-only cookies would never be sent back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    load_shipped()
    return load_demo(password=PASSWORD)


class PageProblems:
    """Console errors and uncaught exceptions seen on a page."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.allowed: list[str] = []

    def allow(self, text: str) -> None:
        """Accept console errors containing TEXT (e.g. the 400 status of a deliberately refused form)."""
        self.allowed.append(text)

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.items.append(f"uncaught: {exc}"))

    def _console(self, message: Any) -> None:
        where = (message.location or {}).get("url", "")
        if message.type != "error" or "favicon.ico" in where:
            return
        if not any(text in message.text for text in self.allowed):
            self.items.append(f"console: {message.text} ({where})")


@pytest.fixture
def problems(page: Any) -> Iterator[PageProblems]:
    seen = PageProblems()
    seen.watch(page)
    yield seen
    assert seen.items == [], "the browser reported errors:\n" + "\n".join(seen.items)


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    # pytest-playwright resolves relative page.goto() paths against this.
    return str(live_server.url)


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def officer_page(page: Any, demo: Any, problems: PageProblems) -> Any:
    """A page logged in as the demo city's security officer (may add and change spaces)."""
    log_in(page, "valmont.officer")
    return page


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
