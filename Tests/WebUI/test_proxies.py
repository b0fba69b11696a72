"""The Proxies page: WireGuard set up in the browser, a peer added, its .conf downloaded."""

from conftest import free_port, login, wait_for


def test_wireguard_peer_conf_download(page, node):
    node.set_password()
    login(page, node)
    page.get_by_role("link", name="Proxies").click()
    page.get_by_role("tab", name="WireGuard").click()
    settings = page.get_by_role("form", name="WireGuard settings")
    settings.get_by_label("Enabled").check()
    settings.get_by_label("UDP port").fill(str(free_port()))
    settings.get_by_label("Server address").fill("10.77.0.1/24")
    settings.get_by_role("button", name="Save").click()
    wait_for(lambda: "wireguard:" in node.config.read_text(), "the WireGuard section in the file")

    page.get_by_role("button", name="Add peer").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("phone")
    dialog.get_by_role("button", name="Generate key pair").click()
    dialog.get_by_role("button", name="Add", exact=True).click()
    download_button = page.get_by_role("button", name="Download phone.conf")
    download_button.wait_for()
    wait_for(lambda: "name: phone" in node.config.read_text(), "the peer in the file")
    assert "10.77.0.2" in node.config.read_text()

    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename == "phone.conf"
    conf = open(download.path()).read()
    assert "[Interface]" in conf and "PrivateKey" in conf and "Address = 10.77.0.2" in conf
    assert "[Peer]" in conf and "Endpoint" in conf

    # Stored secrets are hidden until asked for.
    key = page.get_by_role("form", name="WireGuard settings").get_by_label("Server private key", exact=True)
    assert key.get_attribute("type") == "password" and key.input_value()
    page.get_by_role("button", name="Show Server private key").click()
    assert key.get_attribute("type") == "text"
