// Every string of the UI in this language, one file per area.
import common from "./en/common.js";
import nodes from "./en/nodes.js";
import users from "./en/users.js";
import proxies from "./en/proxies.js";
import rules from "./en/rules.js";
import tls from "./en/tls.js";
import settings from "./en/settings.js";
import config from "./en/config.js";

export default { ...common, ...nodes, ...users, ...proxies, ...rules, ...tls, ...settings, ...config };
