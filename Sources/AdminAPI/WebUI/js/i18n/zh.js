// Every string of the UI in this language, one file per area.
import common from "./zh/common.js";
import nodes from "./zh/nodes.js";
import users from "./zh/users.js";
import proxies from "./zh/proxies.js";
import rules from "./zh/rules.js";
import tls from "./zh/tls.js";
import settings from "./zh/settings.js";
import config from "./zh/config.js";

export default { ...common, ...nodes, ...users, ...proxies, ...rules, ...tls, ...settings, ...config };
