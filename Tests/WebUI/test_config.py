"""The Config page: the YAML itself, checked as it is typed, its plan reviewed before saving."""

from playwright.sync_api import expect

from conftest import login, wait_for


def open_editor(page, node):
    node.set_password()
    login(page, node)
    page.get_by_role("link", name="Config").click()
    editor = page.get_by_role("textbox", name="Configuration file")
    expect(editor).to_have_value(node.config.read_text())
    return editor


def test_edit_review_plan_and_save(page, node):
    editor = open_editor(page, node)
    text = node.config.read_text()
    edited = text + "proxies:\n  - id: socks-a\n    protocol: socks5\n    listen: 127.0.0.1:0\n    enabled: true\n"
    editor.fill(edited)
    page.get_by_role("button", name="Review").click()
    plan = page.get_by_role("region", name="Plan")
    expect(plan).to_contain_text("+ socks5 listener proxy/socks-a")
    assert node.config.read_text() == text, "Review writes nothing"
    page.get_by_role("button", name="Save").click()
    wait_for(lambda: node.config.read_text() == edited, "the edited text saved")


def test_problems_are_marked_at_their_line(page, node):
    editor = open_editor(page, node)
    lines = node.config.read_text().splitlines()
    editor.fill("\n".join(lines + ["users:", "  - id: a", "    username: a", "    expiry: 2025-13-01"]) + "\n")
    problem = page.get_by_role("button", name=f"Line {len(lines) + 4}")
    expect(problem.first).to_contain_text("not a date")
    before = node.config.read_text()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="not valid").first).to_be_visible()
    assert node.config.read_text() == before


def test_a_file_changed_elsewhere_is_not_overwritten(page, node):
    editor = open_editor(page, node)
    editor.fill(node.config.read_text() + "# mine\n")
    node.config.write_text(node.config.read_text() + "# theirs\n")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("changed elsewhere").first.wait_for()
    assert "# theirs" in node.config.read_text() and "# mine" not in node.config.read_text()


def test_an_unsaved_edit_survives_leaving_the_page(page, node):
    editor = open_editor(page, node)
    edited = node.config.read_text() + "# not saved yet\n"
    editor.fill(edited)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("heading", name="Users", level=1).wait_for()
    page.get_by_role("link", name="Config").click()
    expect(page.get_by_role("textbox", name="Configuration file")).to_have_value(edited)
    assert "# not saved yet" not in node.config.read_text()
