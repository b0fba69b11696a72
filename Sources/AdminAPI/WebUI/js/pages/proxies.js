// The proxies page: one tab per inbound service. The open tab is kept in the route
// (`#/proxies?tab=wireguard`) so a reload or a shared link opens it again.

import { mount } from "../dom.js";
import { t } from "../i18n.js";
import { pageHeader, tabs } from "../ui.js";
import { loadTab } from "./proxies-common.js";
import { hy2Tab, listenersTab, shadowsocksTab } from "./proxies-listeners.js";
import { wireguardTab } from "./proxies-wireguard.js";
import { ikev2Tab, l2tpTab } from "./proxies-ipsec.js";

const TABS = [
  ["hy2", hy2Tab],
  ["socks5", (reload) => listenersTab("socks5", reload)],
  ["http", (reload) => listenersTab("http", reload)],
  ["ss", shadowsocksTab],
  ["wireguard", wireguardTab],
  ["ikev2", ikev2Tab],
  ["l2tp", l2tpTab],
];

export default {
  async render(main, { query }) {
    mount(main, pageHeader(t("nav.proxies")), tabs(
      TABS.map(([id, build]) => ({ id, label: t(`proxies.tab.${id}`), render: (panel) => loadTab(panel, build) })),
      {
        selected: query.get("tab"),
        label: t("proxies.tabs"),
        // replaceState fires no hashchange, so the page is not drawn again.
        onSelect: (id) => history.replaceState(null, "", `#/proxies?tab=${id}`),
      }));
  },
};
