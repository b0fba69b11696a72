"""The login, the forced change of the initial password, the language switch, the layout."""

import gzip
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import NEW_PASSWORD, ROOT, Node, login, open_page, sha256

WEBUI = ROOT / "Sources/AdminAPI/WebUI"


def change_initial_password(page, node):
    page.goto(node.url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill(node.initial_password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Change the password").wait_for()
    page.get_by_label("Current password").fill(node.initial_password)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()


def test_initial_password_must_be_changed_before_anything_opens(page, node):
    initial = node.initial_password
    page.goto(node.url)
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("invalid credentials").wait_for()

    change_initial_password(page, node)
    page.get_by_role("navigation", name="Main").wait_for()
    page.get_by_role("heading", name="Nodes", level=1).wait_for()
    assert initial not in node.config.read_text()
    assert not (node.state / "initial-admin-password").exists(), "the initial password is forgotten once changed"

    # The new password is the one in force: log out, log in with it.
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in").wait_for()
    login(page, node, NEW_PASSWORD)


def test_a_session_with_the_initial_password_sees_only_the_change_form(page, node):
    page.goto(node.url)
    page.get_by_label("Password", exact=True).fill(node.initial_password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Change the password").wait_for()
    page.goto(node.url + "#/users")
    page.get_by_role("heading", name="Change the password").wait_for()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Current password").fill(node.initial_password)
    page.get_by_label("Repeat the new password").fill("short")
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_label("New password", exact=True).get_attribute("aria-invalid") == "true"


def test_language_switch_is_remembered(page, node):
    node.set_password()
    login(page, node)
    page.get_by_label("Language").select_option("zh")
    page.get_by_role("link", name="用户").wait_for()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.reload()
    page.get_by_role("link", name="用户").wait_for()
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录").wait_for()
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="Log in").wait_for()


def test_narrow_screen_uses_a_drawer(browser, node):
    node.set_password()
    page = open_page(browser, width=390, height=800)
    login(page, node)
    navigation = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    users = page.locator("#sidebar").get_by_text("Users")
    assert not users.is_visible(), "a closed drawer is out of sight and out of the tab order"
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    navigation.get_by_role("link", name="Users").click()
    page.get_by_role("heading", name="Users", level=1).wait_for()
    page.context.close()


@pytest.fixture
def netns_node():
    """A node in its own network namespace, reached over a veth pair at 10.87.0.2 from the host:
    a plain-HTTP, non-loopback address, where the page is not a secure context."""
    if shutil.which("ip") is None or subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip() != "0":
        pytest.skip("needs root and iproute2 to make a network namespace")
    namespace = f"webui{Path(tempfile.mktemp()).name[-6:]}"
    host_side = f"wh{namespace[-6:]}"
    commands = [
        ["ip", "netns", "add", namespace],
        ["ip", "link", "add", host_side, "type", "veth", "peer", "name", "eth0", "netns", namespace],
        ["ip", "addr", "add", "10.87.0.1/30", "dev", host_side],
        ["ip", "link", "set", host_side, "up"],
        ["ip", "-n", namespace, "addr", "add", "10.87.0.2/30", "dev", "eth0"],
        ["ip", "-n", namespace, "link", "set", "eth0", "up"],
        ["ip", "-n", namespace, "link", "set", "lo", "up"],
    ]
    for command in commands:
        subprocess.run(command, check=True)
    directory = tempfile.mkdtemp(prefix="hy2scale-webui-")
    try:
        running = Node(directory, host="10.87.0.2", netns=namespace)
        yield running
        running.stop()
    finally:
        subprocess.run(["ip", "link", "del", host_side], capture_output=True)
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


def test_login_over_plain_http_at_a_lan_address(page, netns_node):
    """No WebCrypto there: the UI's own SHA-256 must hash the password the server checks."""
    page.goto(netns_node.url)
    assert page.evaluate("window.isSecureContext") is False
    assert page.evaluate("typeof crypto.subtle") == "undefined"
    change_initial_password(page, netns_node)
    page.get_by_role("navigation", name="Main").wait_for()
    # The stored hash is of the password typed, hashed in the page.
    netns_node.token = None
    status, _, _ = netns_node.call("POST", "login", {"username": "admin", "password": sha256(NEW_PASSWORD)})
    assert status == 200


def test_javascript_passes_the_lint():
    oxlint = shutil.which("oxlint")
    if oxlint is None:
        pytest.skip("oxlint is not installed (scripts/install-deps --with-test-tools)")
    result = subprocess.run([oxlint, "--deny-warnings", "-c", str(WEBUI / ".oxlintrc.json"), str(WEBUI)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_whole_ui_fits_the_budget():
    files = [f for f in WEBUI.rglob("*") if f.is_file() and not f.name.startswith(".")]
    compressed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    print(f"web UI: {len(files)} files, {sum(f.stat().st_size for f in files)} bytes, {compressed} bytes gzip")
    assert compressed <= 150 * 1024


def dictionary_keys(path):
    return set(re.findall(r'^\s*"([^"]+)":', path.read_text(), re.MULTILINE))


def test_every_string_is_in_both_languages():
    english, chinese = WEBUI / "js/i18n/en", WEBUI / "js/i18n/zh"
    areas = sorted(p.name for p in english.glob("*.js"))
    assert areas == sorted(p.name for p in chinese.glob("*.js"))
    known = set()
    for area in areas:
        en, zh = dictionary_keys(english / area), dictionary_keys(chinese / area)
        assert en == zh, f"{area}: only in English {sorted(en - zh)}, only in Chinese {sorted(zh - en)}"
        known |= en
    code = " ".join(p.read_text() for p in (WEBUI / "js").rglob("*.js") if "i18n" not in p.parts)
    used = set(re.findall(r'\bt\("([a-z][A-Za-z0-9]*\.[A-Za-z0-9.]+)"', code))
    assert used and used <= known, f"strings used but not defined: {sorted(used - known)}"
