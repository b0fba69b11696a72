"""The soak's config.yaml: a model of the parts it changes, rendered to text for each edit.

The flows under test use the user `soak`, the proxies `socks` and `web`, the `ss` section and the
Hysteria 2 `server`; no edit ever touches them. Edits change only the churn: users `churn-N`,
proxies `churn-N` on their own ports, and rules `churn-N` towards a documentation prefix that no
traffic goes to. Every rendering starts with a line naming its edit, so every file (and every
half file) has its own revision.
"""

import copy
import hashlib

# Passwords are quoted everywhere: a cut right after an opening quote leaves an unterminated
# scalar, which is how the partial writes make a half file that cannot be valid YAML.
USER_TEMPLATE = """\
  - id: {id}
    username: {id}
    password: "{password}"
    enabled: {enabled}
"""

PROXY_TEMPLATE = """\
  - id: {id}
    protocol: {protocol}
    listen: "{listen}"
    enabled: {enabled}
"""

RULE_TEMPLATE = """\
  - id: {id}
    type: ip
    targets: ["{target}"]
    exit_via: "nowhere"
    enabled: {enabled}
"""


def revision(text: str) -> str:
    """What the node reports as the revision of a file: hex SHA-256 of its bytes."""
    return hashlib.sha256(text.encode()).hexdigest()


class SoakConfig:
    """What the file declares. `render()` gives the text; the lists are the churn the edits change."""

    def __init__(self, ports, web_username, web_password):
        self.ports = ports                      # name -> port
        self.web_username = web_username
        self.web_password = web_password        # as it stands in the file (the node may salt it)
        self.flow_users = [("soak", "soak-user-password"), ("meter", "meter-user-password")]
        self.churn_users = []                   # dicts: id, password, enabled
        self.churn_proxies = []                 # dicts: id, protocol, listen, enabled
        self.churn_rules = []                   # dicts: id, target, enabled
        self.extra_top_level = []               # raw lines appended at the top level (invalid edits)
        self.extra_user_lines = []              # raw lines inside the last user (invalid edits)

    def copy(self):
        return copy.deepcopy(self)

    def render(self, label: str) -> str:
        p = self.ports
        out = [f"# soak test config, {label}\n",
               "name: soak\n",
               "exit_node: true\n",
               "hy2_user_auth: true\n",
               "server:\n",
               f"  listen: \"127.0.0.1:{p['hy2']}\"\n",
               "  password: \"soak-node-password-0123456789\"\n",
               "  tls_cert: \"\"\n",
               "  tls_key: \"\"\n",
               "clients: []\n",
               "peers: {}\n",
               "users:\n"]
        for user_id, password in self.flow_users:
            out.append(USER_TEMPLATE.format(id=user_id, password=password, enabled="true"))
        for user in self.churn_users:
            out.append(USER_TEMPLATE.format(id=user["id"], password=user["password"],
                                            enabled="true" if user["enabled"] else "false"))
        out.extend(self.extra_user_lines)
        out.append("proxies:\n")
        out.append(PROXY_TEMPLATE.format(id="socks", protocol="socks5", listen=f"127.0.0.1:{p['socks']}", enabled="true"))
        out.append(PROXY_TEMPLATE.format(id="web", protocol="http", listen=f"127.0.0.1:{p['http']}", enabled="true"))
        for proxy in self.churn_proxies:
            out.append(PROXY_TEMPLATE.format(id=proxy["id"], protocol=proxy["protocol"], listen=proxy["listen"],
                                             enabled="true" if proxy["enabled"] else "false"))
        out += ["ss:\n",
                f"  listen: \"127.0.0.1:{p['ss']}\"\n",
                "  enabled: true\n",
                "  method: aes-256-gcm\n"]
        if self.churn_rules:
            out.append("rules:\n")
            for rule in self.churn_rules:
                out.append(RULE_TEMPLATE.format(id=rule["id"], target=rule["target"],
                                                enabled="true" if rule["enabled"] else "false"))
        else:
            out.append("rules: []\n")
        out += [f"ui_listen: \"127.0.0.1:{p['api']}\"\n",
                "ui_base_path: /scale\n",
                f"web_username: {self.web_username}\n",
                f"web_password: \"{self.web_password}\"\n",
                "dns: 127.0.0.1\n"]
        out.extend(self.extra_top_level)
        return "".join(out)
