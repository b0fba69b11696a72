"""The Nodes page: the topology graph's layout is shared live between browsers."""

from playwright.sync_api import expect

from conftest import login, open_page


def graph_node(page, name):
    return page.get_by_role("group", name="Topology graph").get_by_role("button", name=name, exact=True)


def test_a_drag_in_one_browser_moves_the_node_in_another(browser, node):
    node.set_password()
    status, answer, _ = node.call("POST", "clients", {"name": "tokyo", "addr": "127.0.0.1:9", "password": "peer-password"})
    assert status in (200, 201), answer
    first, second = open_page(browser), open_page(browser)
    for page in (first, second):
        login(page, node)
        page.goto(node.url + "#/nodes?view=graph")
    dragged, watched = graph_node(first, "tokyo"), graph_node(second, "tokyo")
    watched.wait_for()
    before = watched.get_attribute("transform")
    assert dragged.get_attribute("transform") == before

    box = dragged.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    first.mouse.move(x, y)
    first.mouse.down()
    first.mouse.move(x + 60, y + 40, steps=6)
    first.mouse.move(x + 140, y + 90, steps=6)
    # The drop snaps the node to the grid and stores the layout: read its place once stored.
    with first.expect_response(lambda r: r.url.endswith("api/graph-layout") and r.request.method == "PUT"):
        first.mouse.up()

    moved = dragged.get_attribute("transform")
    assert moved != before
    expect(watched).to_have_attribute("transform", moved)
    status, layout, _ = node.call("GET", "graph-layout")
    assert status == 200 and "tokyo" in str(layout)

    # The keyboard moves a node too, and the other browser follows.
    dragged.focus()
    first.keyboard.press("ArrowRight")
    expect(watched).not_to_have_attribute("transform", moved)
    for page in (first, second):
        errors = [e for e in page.console_errors if "Failed to load resource" not in e]
        page.context.close()
        assert not errors, errors
