"""A running `hy2scale serve` with its own config file and state directory, for the browser
tests and the web UI benchmark (scripts/webui-bench)."""

import hashlib
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("HY2SCALE_BINARY", ROOT / ".build/debug/hy2scale"))
NEW_PASSWORD = "correct horse battery"


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """A running `hy2scale serve` with its own config file and state directory."""

    def __init__(self, directory, host="127.0.0.1", config_extra="", netns=None):
        self.dir = Path(directory)
        self.port = free_port()
        self.host = host
        self.config = self.dir / "config.yaml"
        self.state = self.dir / "state"
        self.config.write_text(
            "# written by the browser tests\n"
            "name: webui-test\n"
            f"ui_listen: {host}:{self.port}\n"
            "server: null\n" + config_extra
        )
        command = [str(BINARY), "serve", "--config", str(self.config), "--state-dir", str(self.state),
                   "--log-level", "notice"]
        if netns:
            command = ["ip", "netns", "exec", netns] + command
        self.log = open(self.dir / "node.log", "wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://{host}:{self.port}/scale/"
        self.token = None
        self.password = None
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hy2scale exited: {(self.dir / 'node.log').read_text()}")
            try:
                urllib.request.urlopen(self.url + "api/build-id", timeout=1).read()
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError("hy2scale did not start listening within 30 s")

    @property
    def initial_password(self):
        return (self.state / "initial-admin-password").read_text().strip()

    def call(self, method, path, body=None, headers=None, raw=False):
        """One API call with this node's admin session; returns (status, parsed body, headers)."""
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "api/" + path, data=data, method=method, headers=headers or {})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None and not isinstance(body, bytes):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                status, answer_headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            text, status, answer_headers = error.read(), error.code, error.headers
        if raw:
            return status, text, answer_headers
        try:
            return status, json.loads(text), answer_headers
        except ValueError:
            return status, text.decode(errors="replace"), answer_headers

    def set_password(self, password=NEW_PASSWORD):
        """Changes the initial password through the API (for tests about something else)."""
        initial = sha256(self.initial_password)
        status, answer, _ = self.call("POST", "login", {"username": "admin", "password": initial})
        assert status == 200, answer
        self.token = answer["token"]
        status, answer, _ = self.call("PUT", "settings/password",
                                      {"current_password": initial, "new_password": sha256(password)})
        assert status == 200, answer
        status, answer, _ = self.call("POST", "login", {"username": "admin", "password": sha256(password)})
        assert status == 200, answer
        self.token = answer["token"]
        self.password = password

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
