"""The node under test: its process, its admin API, and what /proc says about it."""

import asyncio
import json
import os
import resource
import signal
import subprocess
import time


class AdminClient:
    """A small HTTP/1.1 client for the admin API: one connection per request, JSON in and out."""

    def __init__(self, port, base="/scale/api"):
        self.port = port
        self.base = base
        self.token = None

    async def request(self, method, path, body=None, timeout=10.0):
        """(status, decoded JSON or text). Raises OSError or asyncio.TimeoutError."""
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), timeout)
        try:
            payload = json.dumps(body).encode() if body is not None else b""
            head = [f"{method} {self.base}{path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close",
                    f"Content-Length: {len(payload)}"]
            if body is not None:
                head.append("Content-Type: application/json")
            if self.token:
                head.append(f"Authorization: Bearer {self.token}")
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
            raw = await asyncio.wait_for(reader.read(), timeout)
        finally:
            writer.close()
        header, _, content = raw.partition(b"\r\n\r\n")
        status = int(header.split(b" ", 2)[1])
        if b"transfer-encoding: chunked" in header.lower():
            content = dechunk(content)
        try:
            return status, json.loads(content)
        except ValueError:
            return status, content.decode(errors="replace")

    async def login(self, username, digest):
        status, answer = await self.request("POST", "/login", {"username": username, "password": digest})
        if status != 200:
            raise RuntimeError(f"admin login answered {status}: {answer}")
        self.token = answer["token"]

    async def status(self):
        status, answer = await self.request("GET", "/status")
        if status != 200:
            raise RuntimeError(f"GET /api/status answered {status}: {answer}")
        return answer

    async def user_traffic(self, user_id):
        status, answer = await self.request("GET", "/users")
        if status != 200:
            raise RuntimeError(f"GET /api/users answered {status}: {answer}")
        users = answer if isinstance(answer, list) else answer.get("users", [])
        for user in users:
            if user.get("id") == user_id:
                return int(user.get("traffic_used", 0))
        raise RuntimeError(f"user {user_id} not in GET /api/users")


def dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2:]
    return bytes(out)


class NodeProcess:
    """`hy2scale serve` as a child, its log in a file.

    The child starts with a soft descriptor limit of 1024 (what systemd and most shells give),
    keeping the hard limit: holding thousands of flows then depends on the node raising its own
    soft limit, as it does at start.
    """

    def __init__(self, binary, config, state_dir, log_path, soft_nofile=1024):
        self.binary = binary
        self.config = config
        self.state_dir = state_dir
        self.log_path = log_path
        self.soft_nofile = soft_nofile
        self.process = None
        self.log = None

    def start(self):
        self.log = open(self.log_path, "ab")
        soft_nofile = self.soft_nofile

        def limits():
            _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft_nofile, hard), hard))

        self.process = subprocess.Popen(
            [self.binary, "serve", "--config", self.config, "--state-dir", self.state_dir, "--log-level", "info"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=limits)

    @property
    def pid(self):
        return self.process.pid

    def is_running(self):
        return self.process is not None and self.process.poll() is None

    def signal(self, number):
        if self.is_running():
            os.kill(self.process.pid, number)

    def kill(self):
        """SIGKILL, and reap."""
        self.signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self, timeout=60):
        """SIGTERM; returns the exit status (None if it had to be killed)."""
        self.signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self.log.close()
        return status

    def log_count(self, needle: str) -> int:
        with open(self.log_path, "rb") as f:
            return f.read().count(needle.encode())

    def log_tail(self, lines=30) -> str:
        with open(self.log_path, "rb") as f:
            return b"".join(f.read().splitlines(keepends=True)[-lines:]).decode(errors="replace")

    # -- /proc

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def rss_kib(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def open_files_limit(self) -> str:
        with open(f"/proc/{self.pid}/limits") as f:
            for line in f:
                if line.startswith("Max open files"):
                    soft, hard = line.split()[3:5]
                    return f"{soft}/{hard}"
        return "?"


class ResourceSampler:
    """Samples the node's descriptors and RSS once a second; keeps the peak."""

    def __init__(self, node):
        self.node = node
        self.peak_fds = 0
        self.peak_rss = 0
        self.task = None

    def sample(self):
        fds, rss = self.node.descriptors(), self.node.rss_kib()
        self.peak_fds = max(self.peak_fds, fds)
        self.peak_rss = max(self.peak_rss, rss)
        return fds, rss

    async def run(self):
        while self.node.is_running():
            try:
                self.sample()
            except OSError:
                pass
            await asyncio.sleep(1.0)

    def start(self):
        self.task = asyncio.ensure_future(self.run())

    def stop(self):
        if self.task:
            self.task.cancel()


async def wait_for(predicate, timeout, interval=0.1):
    """Polls an async predicate until it returns a true value; returns it, or None at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = await predicate()
        except (OSError, asyncio.TimeoutError, RuntimeError, ValueError):
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(interval)
