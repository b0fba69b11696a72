"""The Users page edits the file as a person would expect: one entry per add, one line per
toggle, a refused value at its field, and no silent overwrite of a hand edit."""

import difflib

from playwright.sync_api import expect

from conftest import login, wait_for


def changed_lines(before, after):
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def add_user(page, name, password, expiry=""):
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="Username", exact=True).fill(name)
    dialog.get_by_role("textbox", name="Password", exact=True).fill(password)
    if expiry:
        dialog.get_by_role("textbox", name="Expiry").fill(expiry)
    dialog.get_by_role("button", name="Add user").click()
    return dialog


def test_add_toggle_refuse_and_conflict(page, node):
    node.set_password()
    login(page, node)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("heading", name="Users", level=1).wait_for()

    # Adding a user adds one entry to the file, and nothing else changes.
    before = node.config.read_text()
    dialog = add_user(page, "alice", "alice-password-1")
    expect(dialog).to_be_hidden()
    wait_for(lambda: "alice" in node.config.read_text(), "alice in the file")
    added = changed_lines(before, node.config.read_text())
    assert all(line.startswith("+") for line in added), added
    assert any("username: alice" in line for line in added), added
    assert sum(1 for line in added if line.lstrip("+ ").startswith("- ")) == 1, f"one list entry: {added}"

    # A toggle is a one-line diff.
    switch = page.get_by_role("checkbox", name="Enabled: alice")
    was_enabled = switch.is_checked()
    before = node.config.read_text()
    switch.click()
    wait_for(lambda: node.config.read_text() != before, "the toggle written")
    toggled = changed_lines(before, node.config.read_text())
    assert len(toggled) == 2 and "enabled" in toggled[0] and "enabled" in toggled[1], toggled
    expect(switch).to_be_checked(checked=not was_enabled)

    # A value the config refuses is shown at its field, and nothing is written.
    before = node.config.read_text()
    dialog = add_user(page, "bob", "bob-password-22", expiry="2025-13-01")
    expiry = dialog.get_by_role("textbox", name="Expiry")
    expect(expiry).to_have_attribute("aria-invalid", "true")
    described = expiry.get_attribute("aria-describedby").split()
    messages = " ".join(page.locator(f"[id='{i}']").inner_text() for i in described)
    assert "not a date" in messages, messages
    assert node.config.read_text() == before
    dialog.get_by_role("button", name="Close").click()

    # A hand edit underneath: the next toggle is refused as "changed elsewhere", not applied.
    node.config.write_text(node.config.read_text() + "# edited by hand\n")
    before = node.config.read_text()
    switch.click()
    page.get_by_text("changed elsewhere").first.wait_for()
    assert node.config.read_text() == before


def test_bulk_disable_and_delete(page, node):
    node.set_password()
    for name in ("carol", "dave"):
        status, answer, _ = node.call("POST", "users", {"id": name, "username": name, "password": f"{name}-password-1",
                                                         "enabled": True})
        assert status in (200, 201), answer
    login(page, node)
    page.get_by_role("link", name="Users").click()
    for name in ("carol", "dave"):
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.get_by_role("button", name="Disable", exact=True).click()
    wait_for(lambda: node.config.read_text().count("enabled: false") == 2, "both users disabled")
    for name in ("carol", "dave"):
        expect(page.get_by_role("checkbox", name=f"Enabled: {name}")).not_to_be_checked()
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    wait_for(lambda: "carol" not in node.config.read_text() and "dave" not in node.config.read_text(), "both users deleted")
