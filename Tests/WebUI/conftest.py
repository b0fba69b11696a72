"""Browser tests of the web UI: Debian's chromium driven by Playwright, against the real
`hy2scale serve` with a temporary config and state directory per test.

The binary is .build/debug/hy2scale (HY2SCALE_BINARY overrides it); it serves the UI built into it
unless HY2SCALE_UI_DIR names a directory to serve instead. Screenshots go to
.build/webui-screenshots (HY2SCALE_SCREENSHOTS overrides it).
"""

import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("HY2SCALE_BINARY", ROOT / ".build/debug/hy2scale"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("HY2SCALE_SCREENSHOTS", ROOT / ".build/webui-screenshots"))
NEW_PASSWORD = "correct horse battery"

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


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """A running `hy2scale serve` with its own config file and state directory."""

    def __init__(self, directory, host="127.0.0.1", config_extra="", netns=None):
        self.dir = Path(directory)
        self.port = free_port()
        self.host = host
        self.config = self.dir / "config.yaml"
        self.state = self.dir / "state"
        self.config.write_text(
            "# written by the browser tests\n"
            "name: webui-test\n"
            f"ui_listen: {host}:{self.port}\n"
            "server: null\n" + config_extra
        )
        command = [str(BINARY), "serve", "--config", str(self.config), "--state-dir", str(self.state),
                   "--log-level", "notice"]
        if netns:
            command = ["ip", "netns", "exec", netns] + command
        self.log = open(self.dir / "node.log", "wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://{host}:{self.port}/scale/"
        self.token = None
        self.password = None
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hy2scale exited: {(self.dir / 'node.log').read_text()}")
            try:
                urllib.request.urlopen(self.url + "api/build-id", timeout=1).read()
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError("hy2scale did not start listening within 30 s")

    @property
    def initial_password(self):
        return (self.state / "initial-admin-password").read_text().strip()

    def call(self, method, path, body=None, headers=None, raw=False):
        """One API call with this node's admin session; returns (status, parsed body, headers)."""
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "api/" + path, data=data, method=method, headers=headers or {})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None and not isinstance(body, bytes):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                status, answer_headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            text, status, answer_headers = error.read(), error.code, error.headers
        if raw:
            return status, text, answer_headers
        try:
            return status, json.loads(text), answer_headers
        except ValueError:
            return status, text.decode(errors="replace"), answer_headers

    def set_password(self, password=NEW_PASSWORD):
        """Changes the initial password through the API (for tests about something else)."""
        initial = sha256(self.initial_password)
        status, answer, _ = self.call("POST", "login", {"username": "admin", "password": initial})
        assert status == 200, answer
        self.token = answer["token"]
        status, answer, _ = self.call("PUT", "settings/password",
                                      {"current_password": initial, "new_password": sha256(password)})
        assert status == 200, answer
        status, answer, _ = self.call("POST", "login", {"username": "admin", "password": sha256(password)})
        assert status == 200, answer
        self.token = answer["token"]
        self.password = password

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


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
    page.get_by_role("navigation", name="Main").wait_for()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
