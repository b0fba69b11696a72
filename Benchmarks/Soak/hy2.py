"""A Hysteria 2 client on aioquic, and the soak's fleet of them as a worker process.

Protocol (shared/spec/hysteria2-and-quic.md §1.2, §1.3): QUIC with ALPN h3; an HTTP/3
`POST /auth` with authority `hysteria` and a `hysteria-auth` header, answered by status 233;
then each proxied TCP connection is a new bidirectional stream that starts with a TCPRequest
(varint 0x401, address, padding) and gets a TCPResponse (status byte, message, padding) before
the relayed bytes. Stream data of proxy streams must not reach aioquic's H3Connection, which
would take 0x401 for an HTTP/3 frame type.

As a worker (`python3 hy2.py fleet ...`) it opens N connections, each with one relayed stream to
the echo upstream, probes each stream now and then, and talks to the driver in JSON lines:
it prints `ready` once all are open, and answers `stats` and `close` read from standard input.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import ssl
import string
import sys
import time

from aioquic.asyncio.client import connect
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.h3.connection import H3Connection
from aioquic.h3.events import HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import ConnectionTerminated, StreamDataReceived, StreamReset

TCP_REQUEST = 0x401
AUTH_OK = b"233"


def varint(value: int) -> bytes:
    """RFC 9000 §16."""
    if value < 1 << 6:
        return bytes([value])
    if value < 1 << 14:
        return (value | 0x4000).to_bytes(2, "big")
    if value < 1 << 30:
        return (value | 0x8000_0000).to_bytes(4, "big")
    return (value | 0xC000_0000_0000_0000).to_bytes(8, "big")


def read_varint(buffer: bytes, offset: int):
    """(value, next offset), or None when the buffer ends first."""
    if offset >= len(buffer):
        return None
    size = 1 << (buffer[offset] >> 6)
    if offset + size > len(buffer):
        return None
    value = int.from_bytes(buffer[offset:offset + size], "big") & ((1 << (8 * size - 2)) - 1)
    return value, offset + size


def padding(low: int, high: int) -> bytes:
    return "".join(random.choices(string.ascii_letters + string.digits, k=random.randrange(low, high))).encode()


def tcp_request(address: str) -> bytes:
    """spec §1.3: TCPRequest with 64..511 bytes of padding, as the official client sends."""
    pad = padding(64, 512)
    return varint(TCP_REQUEST) + varint(len(address)) + address.encode() + varint(len(pad)) + pad


def parse_tcp_response(buffer: bytes):
    """(ok, message, bytes used), or None until the whole TCPResponse is there."""
    if not buffer:
        return None
    status = buffer[0]
    field = read_varint(buffer, 1)
    if field is None:
        return None
    length, offset = field
    if offset + length > len(buffer):
        return None
    message = bytes(buffer[offset:offset + length])
    field = read_varint(buffer, offset + length)
    if field is None:
        return None
    pad, offset = field
    if offset + pad > len(buffer):
        return None
    return status == 0, message, offset + pad


def quiet_future():
    """A future whose exception nobody may wait for (a login or stream nobody is waiting on)."""
    future = asyncio.get_running_loop().create_future()
    future.add_done_callback(lambda f: f.cancelled() or f.exception())
    return future


def client_configuration() -> QuicConfiguration:
    configuration = QuicConfiguration(is_client=True, alpn_protocols=["h3"], server_name="hysteria",
                                      max_datagram_frame_size=1200, idle_timeout=60.0)
    configuration.verify_mode = ssl.CERT_NONE  # the node's default certificate is self-signed
    return configuration


class HysteriaClient(QuicConnectionProtocol):
    """One QUIC connection: login, then proxy streams (one probed stream in the soak)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.h3 = H3Connection(self._quic)
        self.auth = quiet_future()
        self.auth_stream = None
        self.streams = {}          # stream id -> ProxyStream
        self.terminated = quiet_future()

    async def login(self, credential: str, timeout=20.0):
        """Sends /auth; returns the status the server answered with."""
        self.auth_stream = self._quic.get_next_available_stream_id()
        self.h3.send_headers(self.auth_stream, [
            (b":method", b"POST"), (b":scheme", b"https"), (b":authority", b"hysteria"), (b":path", b"/auth"),
            (b"hysteria-auth", credential.encode()), (b"hysteria-cc-rx", b"0"),
            (b"hysteria-padding", padding(256, 2048)),
        ], end_stream=True)
        self.transmit()
        return await asyncio.wait_for(asyncio.shield(self.auth), timeout)

    async def open_stream(self, address: str, timeout=20.0):
        """Opens a proxy stream to `address` ("host:port") and waits for the TCPResponse."""
        stream_id = self._quic.get_next_available_stream_id()
        stream = ProxyStream(self, stream_id)
        self.streams[stream_id] = stream
        self._quic.send_stream_data(stream_id, tcp_request(address))
        self.transmit()
        await asyncio.wait_for(asyncio.shield(stream.opened), timeout)
        return stream

    def send_partial_request(self, address: str, count: int):
        """Writes only the first `count` bytes of a TCPRequest, for the slow-client tests."""
        stream_id = self._quic.get_next_available_stream_id()
        stream = ProxyStream(self, stream_id)
        self.streams[stream_id] = stream
        request = tcp_request(address)
        self._quic.send_stream_data(stream_id, request[:count])
        self.transmit()
        return stream, request[count:]

    def quic_event_received(self, event):
        if isinstance(event, ConnectionTerminated):
            for stream in self.streams.values():
                stream.end("connection closed (0x%x %s)" % (event.error_code, event.reason_phrase))
            if not self.auth.done():
                self.auth.set_exception(ConnectionError("connection closed before login"))
            if not self.terminated.done():
                self.terminated.set_result((event.error_code, event.reason_phrase))
            return
        stream_id = getattr(event, "stream_id", None)
        if stream_id in self.streams:
            stream = self.streams[stream_id]
            if isinstance(event, StreamDataReceived):
                stream.received(event.data, event.end_stream)
            elif isinstance(event, StreamReset):
                stream.end("stream reset (0x%x)" % event.error_code)
            return
        for h3_event in self.h3.handle_event(event):
            if isinstance(h3_event, HeadersReceived) and h3_event.stream_id == self.auth_stream:
                status = dict(h3_event.headers).get(b":status", b"")
                if not self.auth.done():
                    self.auth.set_result(status)


class ProxyStream:
    """One proxied TCP connection inside a Hysteria 2 connection."""

    def __init__(self, client: HysteriaClient, stream_id: int):
        self.client = client
        self.stream_id = stream_id
        self.opened = quiet_future()
        self.buffer = bytearray()
        self.probe = None
        self.ended = None
        self.is_open = False

    def received(self, data: bytes, end: bool):
        self.buffer += data
        if not self.is_open:
            response = parse_tcp_response(bytes(self.buffer))
            if response is not None:
                ok, message, used = response
                del self.buffer[:used]
                if ok:
                    self.is_open = True
                    if not self.opened.done():
                        self.opened.set_result(message)
                else:
                    self.end("refused: %s" % message.decode(errors="replace"))
        if self.is_open and self.probe:
            expected, sent_at, future = self.probe
            if len(self.buffer) >= len(expected) and not future.done():
                if bytes(self.buffer[:len(expected)]) == expected:
                    future.set_result(time.monotonic() - sent_at)
                else:
                    future.set_exception(ConnectionError("probe echoed wrong bytes"))
                del self.buffer[:len(expected)]
                self.probe = None
        if end:
            self.end("stream finished")

    def end(self, reason: str):
        if self.ended:
            return
        self.ended = (time.monotonic(), reason)
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(reason))
        if self.probe and not self.probe[2].done():
            self.probe[2].set_exception(ConnectionError(reason))

    def send(self, data: bytes, end=False):
        self.client._quic.send_stream_data(self.stream_id, data, end_stream=end)
        self.client.transmit()

    def start_probe(self, size=48):
        future = quiet_future()
        if self.ended:
            future.set_exception(ConnectionError(self.ended[1]))
            return future
        payload = os.urandom(size)
        self.buffer.clear()
        self.probe = (payload, time.monotonic(), future)
        self.send(payload)
        return future


async def round_trip(server, credential, target, size=4096, timeout=20.0):
    """One fresh connection and stream: login, echo `size` bytes. None when it worked, else why."""
    try:
        async with connect(*server, configuration=client_configuration(), create_protocol=HysteriaClient) as client:
            status = await client.login(credential, timeout)
            if status != AUTH_OK:
                return "login answered %s" % status.decode(errors="replace")
            stream = await client.open_stream(target, timeout)
            await asyncio.wait_for(stream.start_probe(size), timeout)
            client.close()
            return None
    except Exception as error:  # any failure is the answer here
        return "%s: %s" % (type(error).__name__, error)


# -- the fleet worker


class Member:
    """One connection of the fleet and its probed stream."""

    def __init__(self, index):
        self.index = index
        self.client = None
        self.stream = None
        self.done = asyncio.Event()
        self.ended = None           # (monotonic time, reason) of an unexpected end
        self.probes_ok = 0


async def hold(member, args, ready):
    try:
        async with connect(args.host, args.port, configuration=client_configuration(),
                           create_protocol=HysteriaClient) as client:
            member.client = client
            status = await client.login(args.auth)
            if status != AUTH_OK:
                raise ConnectionError("login answered %s" % status.decode(errors="replace"))
            member.stream = await client.open_stream(args.target)
            ready.release()
            await member.done.wait()
            member.stream.send(b"", end=True)
            client.close()
    except Exception as error:
        if member.stream is None:
            ready.release()
        if member.ended is None and not member.done.is_set():
            member.ended = (time.monotonic(), "%s: %s" % (type(error).__name__, error))


async def probe_loop(members, interval, timeout, stats):
    """Probes every stream once per `interval`, spread evenly; a failed probe ends the member."""
    tick = 0.25
    index = 0
    while True:
        await asyncio.sleep(tick)
        alive = [m for m in members if m.stream is not None and m.ended is None and not m.done.is_set()]
        if not alive:
            continue
        for _ in range(max(1, round(len(alive) * tick / interval))):
            member = alive[index % len(alive)]
            index += 1
            asyncio.ensure_future(probe_one(member, timeout, stats))


async def probe_one(member, timeout, stats):
    if member.stream.probe is not None:
        return
    try:
        await asyncio.wait_for(member.stream.start_probe(), timeout)
        member.probes_ok += 1
        stats["probes_ok"] += 1
    except Exception as error:
        if member.ended is None and not member.done.is_set():
            reason = member.stream.ended[1] if member.stream.ended else ("probe: %s" % (error or "timed out"))
            member.ended = (time.monotonic(), reason)


def report(members, stats, kind):
    ended = [{"id": m.index, "t": m.ended[0], "reason": m.ended[1]} for m in members if m.ended]
    opened = sum(1 for m in members if m.stream is not None)
    return {"event": kind, "opened": opened, "open": opened - len(ended),
            "ended": ended, "probes_ok": stats["probes_ok"]}


async def fleet(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    members = [Member(i) for i in range(args.count)]
    stats = {"probes_ok": 0}
    gate = asyncio.Semaphore(args.concurrency)
    ready = asyncio.Semaphore(0)
    tasks = []
    started = time.monotonic()

    async def start(member):
        async with gate:
            task = asyncio.ensure_future(hold(member, args, ready))
            tasks.append(task)
            await ready.acquire()

    await asyncio.gather(*(start(m) for m in members))
    message = report(members, stats, "ready")
    message["seconds"] = time.monotonic() - started
    print(json.dumps(message), flush=True)
    prober = asyncio.ensure_future(probe_loop(members, args.interval, args.timeout, stats))
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    while True:
        line = (await commands.readline()).decode().strip()
        if line == "stats":
            print(json.dumps(report(members, stats, "stats")), flush=True)
        elif line in ("close", ""):
            prober.cancel()
            final = report(members, stats, "closed")
            for member in members:
                member.done.set()
            await asyncio.wait(tasks, timeout=30)
            print(json.dumps(final), flush=True)
            return


def main():
    parser = argparse.ArgumentParser(description="Hysteria 2 client fleet for the soak test.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("fleet")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, required=True)
    run.add_argument("--auth", required=True, help="username:password")
    run.add_argument("--target", required=True, help="host:port of the echo upstream")
    run.add_argument("--count", type=int, default=500)
    run.add_argument("--concurrency", type=int, default=25, help="logins in progress at once")
    run.add_argument("--interval", type=float, default=8.0, help="seconds between probes of one stream")
    run.add_argument("--timeout", type=float, default=20.0, help="seconds a probe may take")
    args = parser.parse_args()
    asyncio.run(fleet(args))


if __name__ == "__main__":
    main()
