"""Every page: no serious or critical accessibility violation (axe-core), and a screenshot at
desktop width and at 390 px."""

import pytest

from conftest import login, open_page, screenshot

PAGES = ["nodes", "users", "proxies", "rules", "tls", "settings", "config"]
HEADINGS = {"nodes": "Nodes", "users": "Users", "proxies": "Proxies", "rules": "Rules", "tls": "TLS",
            "settings": "Settings", "config": "Config"}

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:
    Axe = None


def populate(node):
    """Something on every page, through the API as a script would."""
    node.set_password()
    for body in (
        {"id": "alice", "username": "alice", "password": "alice-password-1", "traffic_limit_gb": 50},
        {"id": "bob", "username": "bob", "password": "bob-password-22", "enabled": False},
    ):
        status, answer, _ = node.call("POST", "users", body)
        assert status in (200, 201), answer
    status, answer, _ = node.call("POST", "clients", {"name": "tokyo", "addr": "127.0.0.1:9", "password": "peer-password"})
    assert status in (200, 201), answer
    status, answer, _ = node.call("POST", "rules", {"name": "lan", "type": "ip", "targets": ["10.0.0.0/8"], "exit_via": "tokyo"})
    assert status in (200, 201), answer


def serious(results):
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_is_accessible_and_photographed(browser, node, width):
    populate(node)
    page = open_page(browser, width=width)
    page.emulate_media(color_scheme="light")
    login(page, node)
    problems = {}
    for name in PAGES:
        page.goto(node.url + f"#/{name}")
        page.get_by_role("heading", name=HEADINGS[name], level=1).wait_for()
        page.wait_for_load_state("networkidle")
        screenshot(page, f"{name}-{width}")
        if Axe is not None:
            found = serious(Axe().run(page))
            if found:
                problems[name] = found
    page.emulate_media(color_scheme="dark")
    page.goto(node.url + "#/nodes")
    page.get_by_role("heading", name="Nodes", level=1).wait_for()
    screenshot(page, f"nodes-{width}-dark")
    if Axe is not None:
        dark = serious(Axe().run(page))
        if dark:
            problems["nodes (dark)"] = dark
    errors = [e for e in page.console_errors if "Failed to load resource" not in e]
    page.context.close()
    assert not problems, problems
    assert not errors, errors


def test_login_page_is_accessible(page, node):
    page.goto(node.url)
    page.get_by_role("button", name="Log in").wait_for()
    screenshot(page, "login-1280")
    if Axe is None:
        pytest.skip("axe-playwright-python is not installed")
    assert not serious(Axe().run(page))
