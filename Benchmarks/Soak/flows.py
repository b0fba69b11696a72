"""Relayed TCP flows through the node's SOCKS5, HTTP and Shadowsocks inbounds, probed now and then.

Each flow is one client connection that logs in, asks the node for the echo (or dropping)
upstream, and then stays open. A probe writes a few dozen random bytes and expects them back
unchanged within a deadline, so a flow that the node dropped or stalled is noticed even when
no close reaches the client. Flows are asyncio protocols, not tasks: thousands of them cost
one callback per event rather than one coroutine each.
"""

import asyncio
import base64
import os
import struct
import time

import shadowsocks

HANDSHAKE_TIMEOUT = 30.0


class FlowEnded(Exception):
    pass


class RelayedFlow(asyncio.Protocol):
    """One flow. `opened` resolves once the relay is up (or fails with the reason it is not)."""

    def __init__(self, flow_id, inbound, credentials, target, on_end=None):
        self.flow_id = flow_id
        self.inbound = inbound                  # "socks5", "http" or "ss"
        self.username, self.password = credentials
        self.target = target                    # (host, port) of the upstream
        self.on_end = on_end
        self.transport = None
        self.opened = asyncio.get_running_loop().create_future()
        self.opened.add_done_callback(lambda f: f.cancelled() or f.exception())  # may fail unawaited
        self.state = "connecting"               # connecting, handshake, open, ended
        self.buffer = bytearray()
        self.step = 0
        self.probe = None                       # (expected bytes, sent at, future)
        self.probes_ok = 0
        self.ended_at = None
        self.end_reason = None
        self.sealer = self.opener = None

    # -- asyncio.Protocol

    def connection_made(self, transport):
        self.transport = transport
        self.state = "handshake"
        if self.inbound == "socks5":
            transport.write(b"\x05\x01\x02")  # one method: username/password (RFC 1929)
        elif self.inbound == "http":
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            host, port = self.target
            transport.write((f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                             f"Proxy-Authorization: Basic {token}\r\n\r\n").encode())
        elif self.inbound == "ss":
            key = shadowsocks.master_key(self.password)
            self.sealer, self.opener = shadowsocks.Sealer(key), shadowsocks.Opener(key)
            transport.write(self.sealer.seal(shadowsocks.address_header(*self.target)))
            self._open()  # a Shadowsocks server answers nothing until the upstream does

    def data_received(self, data):
        if self.state == "handshake":
            self.buffer += data
            try:
                self._advance_handshake()
            except FlowEnded as refusal:
                self._fail(str(refusal))
            return
        if self.opener is not None:
            try:
                data = self.opener.feed(data)
            except Exception:
                self._fail("undecryptable reply")
                return
        self.buffer += data
        self._check_probe()

    def eof_received(self):
        return False

    def connection_lost(self, exc):
        reason = "reset" if isinstance(exc, ConnectionResetError) else ("error: %s" % exc if exc else "closed")
        self._end(reason)

    # -- handshakes

    def _advance_handshake(self):
        if self.inbound == "socks5":
            if self.step == 0 and len(self.buffer) >= 2:
                if bytes(self.buffer[:2]) != b"\x05\x02":
                    raise FlowEnded("socks5 method refused")
                del self.buffer[:2]
                user, password = self.username.encode(), self.password.encode()
                self.transport.write(b"\x01" + bytes([len(user)]) + user + bytes([len(password)]) + password)
                self.step = 1
            if self.step == 1 and len(self.buffer) >= 2:
                if self.buffer[1] != 0:
                    raise FlowEnded("socks5 login refused")
                del self.buffer[:2]
                host, port = self.target
                self.transport.write(b"\x05\x01\x00" + shadowsocks.address_header(host, port))
                self.step = 2
            if self.step == 2 and len(self.buffer) >= 10:
                if self.buffer[1] != 0:
                    raise FlowEnded("socks5 connect refused (reply %d)" % self.buffer[1])
                del self.buffer[:10]  # the reply carries an IPv4 bound address
                self._open()
        elif self.inbound == "http":
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                status = bytes(self.buffer[:end]).split(b"\r\n")[0]
                if b" 200" not in status:
                    raise FlowEnded("http connect refused: %s" % status.decode(errors="replace"))
                del self.buffer[:end + 4]
                self._open()

    def _open(self):
        self.state = "open"
        self.buffer.clear()
        if not self.opened.done():
            self.opened.set_result(self)

    def _fail(self, reason):
        if not self.opened.done():
            self.opened.set_exception(FlowEnded(reason))
        self.end_reason = reason
        if self.transport:
            self.transport.abort()

    def _end(self, reason):
        if self.state == "ended":
            return
        was_open = self.state == "open"
        self.state = "ended"
        self.ended_at = time.monotonic()
        self.end_reason = self.end_reason or reason
        if not self.opened.done():
            self.opened.set_exception(FlowEnded(self.end_reason))
        if self.probe and not self.probe[2].done():
            self.probe[2].set_exception(FlowEnded(self.end_reason))
        if was_open and self.on_end:
            self.on_end(self)

    # -- probes

    def send(self, payload: bytes):
        if self.sealer is not None:
            payload = self.sealer.seal(payload)
        self.transport.write(payload)

    def start_probe(self, size=48):
        """Writes random bytes; the returned future resolves with the round trip in seconds."""
        future = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        if self.state != "open":
            future.set_exception(FlowEnded(self.end_reason or "not open"))
            return future
        payload = struct.pack(">Q", self.flow_id) + os.urandom(size - 8)
        self.buffer.clear()
        self.probe = (payload, time.monotonic(), future)
        self.send(payload)
        return future

    def _check_probe(self):
        if not self.probe:
            self.buffer.clear()
            return
        expected, sent_at, future = self.probe
        if len(self.buffer) < len(expected):
            return
        if future.done():
            return
        if bytes(self.buffer[:len(expected)]) == expected:
            self.probes_ok += 1
            future.set_result(time.monotonic() - sent_at)
        else:
            future.set_exception(FlowEnded("probe echoed wrong bytes"))
        del self.buffer[:len(expected)]
        self.probe = None

    def close(self):
        if self.transport and not self.transport.is_closing():
            self.transport.close()


async def open_flow(flow_id, inbound, proxy, credentials, target, on_end=None, timeout=HANDSHAKE_TIMEOUT):
    """Connects to the inbound at `proxy` and completes the handshake; raises FlowEnded or OSError."""
    loop = asyncio.get_running_loop()
    transport, flow = await asyncio.wait_for(
        loop.create_connection(lambda: RelayedFlow(flow_id, inbound, credentials, target, on_end), *proxy),
        timeout)
    try:
        await asyncio.wait_for(flow.opened, timeout)
    except asyncio.TimeoutError:
        transport.abort()
        raise FlowEnded("handshake timed out")
    except BaseException:
        transport.abort()
        raise
    return flow


async def round_trip(inbound, proxy, credentials, target, size=4096, timeout=15.0):
    """One fresh flow: open, echo `size` bytes, close. Returns None when it worked, else the reason."""
    try:
        flow = await open_flow(0, inbound, proxy, credentials, target, timeout=timeout)
    except (FlowEnded, OSError, asyncio.TimeoutError) as error:
        return str(error) or type(error).__name__
    try:
        await asyncio.wait_for(flow.start_probe(size), timeout)
        return None
    except (FlowEnded, asyncio.TimeoutError) as error:
        return str(error) or "echo timed out"
    finally:
        flow.close()


async def login_refused(proxy, username, password, timeout=10.0):
    """True when the SOCKS5 inbound at `proxy` refuses this login (RFC 1929 status not 0)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(*proxy), timeout)
    except OSError:
        return True
    try:
        writer.write(b"\x05\x01\x02")
        if await asyncio.wait_for(reader.readexactly(2), timeout) != b"\x05\x02":
            return True
        user, secret = username.encode(), password.encode()
        writer.write(b"\x01" + bytes([len(user)]) + user + bytes([len(secret)]) + secret)
        reply = await asyncio.wait_for(reader.readexactly(2), timeout)
        return reply[1] != 0
    except (asyncio.IncompleteReadError, ConnectionError):
        return True
    finally:
        writer.close()
