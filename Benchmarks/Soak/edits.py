"""Edits of the config file while the node carries load: valid, invalid, renamed and half-written.

Every edit is written, then waited on until the node has taken it in, then checked:

* a valid edit must become the revision in force with nothing refused or failed, and do what it
  says (a new user can log in, a new proxy accepts, a removed one refuses);
* an invalid edit must be refused as a whole: the revision in force stays the last valid one,
  `GET /api/status` lists the problems, and the canaries it carries (a new user and a new proxy
  on a fresh port, both valid on their own) are nowhere to be seen: the user cannot log in and
  the port refuses connections;
* a partial write (truncate, write half, then the rest) first leaves a half file that ends inside
  a quoted scalar; the node is made to read it (its close, or a SIGHUP while it is held open),
  must refuse it and keep the last valid revision, and then gets the whole file.
"""

import asyncio
import os
import random
import signal
import socket
import time

import config_model
import flows
from node import wait_for

VALID_KINDS = ["user-add", "user-remove", "user-toggle", "proxy-add", "proxy-remove", "proxy-toggle",
               "rule-add", "rule-remove", "rule-toggle"]
INVALID_KINDS = ["yaml-syntax", "bad-port", "unknown-key", "bad-type"]
WRITE_MODES = ["in-place", "rename", "partial-reopen", "partial-held-open"]
REFUSED = "config refused;"
OUTCOME_TIMEOUT = 30.0


class PortPool:
    """Free loopback TCP ports, each handed out once."""

    def __init__(self):
        self.used = set()

    def take(self):
        while True:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if port not in self.used:
                self.used.add(port)
                return port


class EditFailure(Exception):
    pass


class EditEngine:
    def __init__(self, path, model, node, admin, socks_proxy, ports, timeline, rng, with_rules, log):
        self.path = path
        self.model = model
        self.node = node
        self.admin = admin
        self.socks_proxy = socks_proxy
        self.ports = ports
        self.timeline = timeline          # list of (monotonic time, what) the report correlates drops with
        self.rng = rng
        self.with_rules = with_rules      # rules need nftables: only inside the soak's own namespace
        self.log = log
        self.last_valid = config_model.revision(model.render("start"))
        self.serial = 0
        self.resets = 0                   # edits back to the starting config (not among the counted)
        self.refusals_before = 0
        self.counts = {}                  # (kind, outcome) -> n
        self.modes = {}                   # write mode -> n
        self.half_files_refused = 0
        self.failures = []                # what went wrong, for the report

    # -- public

    async def write_initial(self):
        text = self.model.render("start")
        self.write_whole(text)
        self.last_valid = config_model.revision(text)

    async def adopt_file(self):
        """Takes up what the node itself wrote (the admin password salted at first login)."""
        with open(self.path) as f:
            for line in f:
                if line.startswith("web_password:"):
                    self.model.web_password = line.split(":", 1)[1].strip().strip('"')
        await self.apply_valid_text(self.model.render("after login"), "baseline")

    async def run_edit(self):
        self.serial += 1
        valid = self.rng.random() < 0.6
        kinds = [k for k in VALID_KINDS if self.with_rules or not k.startswith("rule-")] if valid else INVALID_KINDS
        kind = self.rng.choice(kinds)
        mode = self.rng.choice(WRITE_MODES)
        self.modes[mode] = self.modes.get(mode, 0) + 1
        try:
            if valid:
                await self.valid_edit(kind, mode)
            else:
                await self.invalid_edit(kind, mode)
        except EditFailure as failure:
            self.count(kind, "FAILED")
            self.failures.append(f"edit {self.serial} ({kind}, {mode}): {failure}")
            self.log(f"edit {self.serial} ({kind}, {mode}) failed: {failure}")
            await self.restore()

    async def reset_churn(self):
        """A last valid edit that removes every churn user, proxy and rule: the node is back to the
        configuration it started with, so its descriptors can be compared with the baseline."""
        self.serial += 1
        self.resets += 1
        self.model.churn_users, self.model.churn_proxies, self.model.churn_rules = [], [], []
        self.model.extra_top_level, self.model.extra_user_lines = [], []
        await self.apply_valid_text(self.model.render(f"edit {self.serial} (back to the start)"), "reset")

    async def restore(self):
        """Puts the model's text back, so one failed edit does not spoil the ones after it."""
        text = self.model.render(f"edit {self.serial} restore")
        self.write_whole(text)
        if await self.wait_revision(config_model.revision(text)):
            self.last_valid = config_model.revision(text)

    async def apply_valid_text(self, text, label):
        self.write_whole(text)
        rev = config_model.revision(text)
        status = await self.wait_revision(rev)
        if not status:
            raise EditFailure(f"{label}: revision {rev[:12]} never came in force")
        self.last_valid = rev

    # -- valid edits

    async def valid_edit(self, kind, mode):
        candidate = self.model.copy()
        check = self.mutate_valid(candidate, kind)
        text = candidate.render(f"edit {self.serial} ({kind}, {mode})")
        await self.write(text, mode)
        rev = config_model.revision(text)
        status = await self.wait_revision(rev)
        if not status:
            raise EditFailure(f"valid edit never came in force (revision {rev[:12]})")
        if status.get("problems") or status.get("failures"):
            raise EditFailure(f"valid edit in force with problems {status.get('problems')} failures {status.get('failures')}")
        self.last_valid = rev
        self.model = candidate
        self.timeline.append((time.monotonic(), f"valid edit {self.serial} ({kind}, {mode})"))
        if check:
            reason = await check()
            if reason:
                raise EditFailure(f"valid edit not in effect: {reason}")
        self.count(kind, "applied")

    def mutate_valid(self, c, kind):
        """Changes `c` as `kind` says; returns a check of the effect (or None)."""
        n = self.serial
        if kind == "user-add" or (kind in ("user-remove", "user-toggle") and not c.churn_users):
            user = {"id": f"churn-{n}", "password": f"churn-password-{n}", "enabled": True}
            c.churn_users.append(user)
            return lambda: self.expect_login(user["id"], user["password"], accepted=True)
        if kind == "user-remove":
            user = c.churn_users.pop(self.rng.randrange(len(c.churn_users)))
            return lambda: self.expect_login(user["id"], user["password"], accepted=False)
        if kind == "user-toggle":
            user = self.rng.choice(c.churn_users)
            user["enabled"] = not user["enabled"]
            return lambda: self.expect_login(user["id"], user["password"], accepted=user["enabled"])
        if kind == "proxy-add" or (kind in ("proxy-remove", "proxy-toggle") and not c.churn_proxies):
            port = self.ports.take()
            proxy = {"id": f"churn-{n}", "protocol": self.rng.choice(["socks5", "http"]),
                     "listen": f"127.0.0.1:{port}", "enabled": True}
            c.churn_proxies.append(proxy)
            return lambda: self.expect_port(port, listening=True)
        if kind == "proxy-remove":
            proxy = c.churn_proxies.pop(self.rng.randrange(len(c.churn_proxies)))
            port = int(proxy["listen"].rsplit(":", 1)[1])
            return lambda: self.expect_port(port, listening=False)
        if kind == "proxy-toggle":
            proxy = self.rng.choice(c.churn_proxies)
            proxy["enabled"] = not proxy["enabled"]
            port = int(proxy["listen"].rsplit(":", 1)[1])
            return lambda: self.expect_port(port, listening=proxy["enabled"])
        if kind == "rule-add" or not c.churn_rules:
            # 198.51.100.0/24 is TEST-NET-2 (RFC 5737): nothing is ever sent there.
            c.churn_rules.append({"id": f"churn-{n}", "target": f"198.51.100.{n % 250 + 1}/32",
                                  "enabled": self.rng.random() < 0.5})
            return None
        if kind == "rule-remove":
            c.churn_rules.pop(self.rng.randrange(len(c.churn_rules)))
            return None
        rule = self.rng.choice(c.churn_rules)
        rule["enabled"] = not rule["enabled"]
        return None

    # -- invalid edits

    async def invalid_edit(self, kind, mode):
        candidate = self.model.copy()
        n = self.serial
        canary_user = {"id": f"canary-{n}", "password": f"canary-password-{n}", "enabled": True}
        canary_port = self.ports.take()
        candidate.churn_users.append(canary_user)
        candidate.churn_proxies.append({"id": f"canary-{n}", "protocol": "socks5",
                                        "listen": f"127.0.0.1:{canary_port}", "enabled": True})
        self.mutate_invalid(candidate, kind)
        text = candidate.render(f"edit {n} ({kind}, {mode})")
        await self.write(text, mode)
        await self.expect_refusal(text, "invalid edit")
        self.timeline.append((time.monotonic(), f"invalid edit {n} ({kind}, {mode})"))
        reason = (await self.expect_login(canary_user["id"], canary_user["password"], accepted=False)
                  or await self.expect_port(canary_port, listening=False))
        if reason:
            raise EditFailure(f"invalid edit applied in part: {reason}")
        self.count(kind, "refused")

    def mutate_invalid(self, c, kind):
        n = self.serial
        if kind == "yaml-syntax":
            c.extra_top_level.append(self.rng.choice([
                f"soak_list_{n}: [unclosed, list\n",                # flow sequence never closed
                f"  stray_indent_{n}: x\n   worse: y\n",             # indentation that maps nowhere
                f"soak_quote_{n}: \"never ends\n",                  # unterminated quoted scalar
                f"- a sequence entry in a mapping {n}\n",
            ]))
        elif kind == "bad-port":
            c.churn_proxies.append({"id": f"badport-{n}", "protocol": "socks5",
                                    "listen": f"127.0.0.1:{70000 + n}", "enabled": True})
        elif kind == "unknown-key":
            if self.rng.random() < 0.5:
                c.extra_top_level.append(f"lisen_{n}: 127.0.0.1:1\n")
            else:
                c.extra_user_lines.append(f"    pasword_{n}: typo\n")
        elif kind == "bad-type":
            c.extra_user_lines.append(self.rng.choice([
                "    traffic_limit_gb: lots\n",
                "    expiry: 2025-13-01\n",
            ]))

    async def expect_refusal(self, text, what):
        """Waits for the node to refuse the file it was just given; checks the last valid one stays."""
        before = self.refusals_before
        refused = await wait_for(lambda: self.async_value(self.node.log_count(REFUSED) > before), OUTCOME_TIMEOUT)
        if not refused:
            raise EditFailure(f"{what} was never refused (revision {config_model.revision(text)[:12]})")
        # The refusal is logged before the run ends and its report is published.
        status = await wait_for(self.status_with_problems, OUTCOME_TIMEOUT)
        if not status:
            raise EditFailure(f"{what} refused, yet GET /api/status shows no problems")
        if status.get("revision") != self.last_valid:
            raise EditFailure(f"{what}: revision in force is {str(status.get('revision'))[:12]}, "
                              f"not the last valid {self.last_valid[:12]}")

    # -- writing

    async def write(self, text, mode):
        self.refusals_before = self.node.log_count(REFUSED)
        if mode == "in-place":
            self.write_in_place(text)
        elif mode == "rename":
            self.write_whole(text)
        else:
            await self.write_partially(text, held_open=(mode == "partial-held-open"))

    def write_in_place(self, text):
        """As `cat > config.yaml` does: truncate, write, close (the close is what the node sees)."""
        with open(self.path, "w") as f:
            f.write(text)

    def write_whole(self, text):
        """As editors and git do: a temporary file beside it, fsync, rename over."""
        temporary = f"{self.path}.soak-{self.serial}.tmp"
        with open(temporary, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.rename(temporary, self.path)

    async def write_partially(self, text, held_open):
        cut = self.cut_point(text)
        half, rest = text[:cut], text[cut:]
        self.refusals_before = self.node.log_count(REFUSED)
        f = open(self.path, "w")
        try:
            f.write(half)
            f.flush()
            os.fsync(f.fileno())
            if held_open:
                # Nothing tells the node while the file is open; a reload request makes it read it.
                self.node.signal(signal.SIGHUP)
            else:
                f.close()
            await self.expect_refusal(half, "half-written file")
            self.half_files_refused += 1
            self.refusals_before = self.node.log_count(REFUSED)  # the whole file's outcome comes next
            if f.closed:
                f = open(self.path, "a")
            f.write(rest)
        finally:
            f.close()

    def cut_point(self, text):
        """Just after an opening quote near the middle: the half ends inside a quoted scalar."""
        middle = len(text) // 2
        quotes = [i for i in range(len(text)) if text.startswith(': "', i)]
        best = min(quotes, key=lambda i: abs(i - middle))
        return best + 3

    # -- waiting and checking

    @staticmethod
    async def async_value(value):
        return value

    async def status_with_problems(self):
        status = await self.admin.status()
        return status if status.get("problems") else None

    async def wait_revision(self, rev):
        async def in_force():
            status = await self.admin.status()
            return status if status.get("revision") == rev and not status.get("problems") else None
        return await wait_for(in_force, OUTCOME_TIMEOUT)

    async def expect_login(self, username, password, accepted):
        refused = await flows.login_refused(self.socks_proxy, username, password)
        if refused == accepted:
            return f"user {username} {'refused' if refused else 'accepted'} on the SOCKS5 proxy"
        return None

    async def expect_port(self, port, listening):
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
            writer.close()
            is_listening = True
        except (OSError, asyncio.TimeoutError):
            is_listening = False
        if is_listening != listening:
            return f"port {port} {'accepts' if is_listening else 'refuses'} connections"
        return None

    def count(self, kind, outcome):
        self.counts[(kind, outcome)] = self.counts.get((kind, outcome), 0) + 1
