"""Browser tests of the web UI: Debian's chromium driven by Playwright, against the real
`hy2scale serve` with a temporary config and state directory per test.

The binary is .build/debug/hy2scale (HY2SCALE_BINARY overrides it); it serves the UI built into it
unless HY2SCALE_UI_DIR names a directory to serve instead. Screenshots go to
.build/webui-screenshots (HY2SCALE_SCREENSHOTS overrides it).
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from webui_node import BINARY, NEW_PASSWORD, ROOT, Node, free_port, sha256  # noqa: F401 (the tests import them from here)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("HY2SCALE_SCREENSHOTS", ROOT / ".build/webui-screenshots"))

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the suite skips, saying so
    sync_playwright = None


def pytest_collection_modifyitems(config, items):
    reasons = []
    if sync_playwright is None:
        reasons.append("playwright is not installed (scripts/install-deps --with-test-tools)")
    if not os.path.exists(CHROMIUM):
        reasons.append("chromium is not installed (scripts/install-deps --with-test-tools)")
    if not BINARY.exists():
        reasons.append(f"{BINARY} is not built (swift build)")
    if reasons:
        skip = pytest.mark.skip(reason="; ".join(reasons))
        for item in items:
            if "browser" in item.fixturenames or "node" in item.fixturenames:
                item.add_marker(skip)


@pytest.fixture
def node():
    """A fresh node, its initial password still in force."""
    directory = tempfile.mkdtemp(prefix="hy2scale-webui-")
    running = Node(directory)
    yield running
    running.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


class ConsoleErrors(list):
    """Errors the page printed (a CSP violation, an uncaught exception), checked after each test."""


def open_page(browser, width=1280, height=860):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    errors = ConsoleErrors()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return page


def expected_errors(text):
    # Failed requests the test provoked on purpose (401, 409, 422) are logged by the browser.
    return "Failed to load resource" in text


@pytest.fixture
def page(browser):
    page = open_page(browser)
    yield page
    unexpected = [e for e in page.console_errors if not expected_errors(e)]
    page.context.close()
    assert not unexpected, f"the page logged errors: {unexpected}"


def login(page, node, password=None):
    """Logs in through the form as a person would; returns once the Nodes page shows."""
    page.goto(node.url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill(password or node.password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("banner").wait_for()  # the header of every page after the login


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def wait_for(predicate, what, timeout=20):
    """Polls `predicate` (a file written by the node after a click) until it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
