"""Half-open and slowloris clients against every listener, and whether the node reaps them.

TCP listeners (SOCKS5, HTTP, Shadowsocks, the admin API) each get clients that
* connect and send nothing (silent),
* send part of a handshake or request and stop (partial),
* send one byte every few seconds for as long as the node lets them (drip),
* send part of a handshake and half-close (half-close),
* and, on the admin API, make one keep-alive request and then sit idle (idle-keepalive), or send
  a whole request head and then its body a byte every few seconds (drip-body).
A client is reaped when the node closes it; one still open at the cap was not, and counts
against the node (a listener that never lets go of such clients can be exhausted by them).

The Hysteria 2 UDP port gets junk datagrams and QUIC Initials that never go further (which leave
nothing to observe but the node's health), a QUIC connection that completes its handshake, never
logs in and keeps itself alive with PINGs (the node must close it), and a logged-in connection
whose proxy request arrives a byte every few seconds (the node must reset the stream).
"""

import asyncio
import os
import random
import socket
import time

from aioquic.asyncio.client import connect
from aioquic.quic.connection import QuicConnection

import hy2

TCP_BEHAVIOURS = ["silent", "partial", "drip", "half-close"]


def opening_bytes(listener: str) -> bytes:
    """A plausible start of what each listener expects, long enough to drip for a while."""
    if listener == "socks5":
        return b"\x05\x01\x02\x01\x04soak\x12soak-user-password\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50"
    if listener == "http":
        return b"CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nProxy-Authorization: Basic c29hazp4\r\n\r\n"
    if listener == "admin":
        return b"GET /scale/api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nAccept: */*\r\n\r\n"
    return os.urandom(96)  # Shadowsocks: a salt and a chunk, as random as the real thing


class SlowClientResults:
    def __init__(self):
        self.started = {}      # (listener, behaviour) -> n
        self.reaped = {}       # (listener, behaviour) -> [seconds until the node closed it]
        self.held = {}         # (listener, behaviour) -> n still open at the cap
        self.notes = {}        # what was sent where nothing can be observed

    def add(self, table, key, value=1):
        if table is self.reaped:
            table.setdefault(key, []).append(value)
        else:
            table[key] = table.get(key, 0) + value

    @property
    def total_started(self):
        return sum(self.started.values())

    @property
    def total_reaped(self):
        return sum(len(v) for v in self.reaped.values())

    @property
    def total_held(self):
        return sum(self.held.values())


async def tcp_client(listener, address, behaviour, cap, drip_interval, results):
    key = (listener, behaviour)
    results.add(results.started, key)
    started = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(*address), 10)
    except (OSError, asyncio.TimeoutError):
        results.add(results.reaped, key, 0.0)  # refused outright: nothing held
        return
    data = opening_bytes(listener)
    if behaviour == "drip-body":
        body = b'{"username": "soak-admin", "password": "' + b"0" * 64 + b'"}'
        writer.write(b"POST /scale/api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        data, behaviour = body, "drip"
    try:
        if behaviour == "partial":
            writer.write(data[:len(data) // 2])
        elif behaviour == "half-close":
            writer.write(data[:len(data) // 2])
            await writer.drain()
            writer.write_eof()
        elif behaviour == "idle-keepalive":
            writer.write(data)
            await writer.drain()
            await read_http_response(reader, cap)
        deadline = started + cap
        position = 0
        while time.monotonic() < deadline:
            wait = drip_interval if behaviour == "drip" else deadline - time.monotonic()
            try:
                chunk = await asyncio.wait_for(reader.read(4096), max(0.05, min(wait, deadline - time.monotonic())))
                if not chunk:
                    results.add(results.reaped, key, time.monotonic() - started)
                    return
                continue  # an answer (an error page, a refusal) is fine; waiting for the close
            except asyncio.TimeoutError:
                pass
            if behaviour == "drip":
                writer.write(data[position % len(data):position % len(data) + 1])
                position += 1
                await writer.drain()
        results.add(results.held, key)
    except (ConnectionError, OSError):
        results.add(results.reaped, key, time.monotonic() - started)
    finally:
        writer.close()


async def read_http_response(reader, timeout):
    """Reads one response with a Content-Length body."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if length:
        await asyncio.wait_for(reader.readexactly(length), timeout)


# -- Hysteria 2 (UDP)


def junk_datagrams(address, count):
    """Random datagrams of random sizes, some shaped like QUIC long headers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(count):
            size = random.choice([1, 7, 40, 600, 1200, 1350])
            packet = bytearray(os.urandom(size))
            if i % 2 and size >= 7:
                packet[0] = 0xC0 | (packet[0] & 0x0F)           # long header, Initial
                packet[1:5] = (1).to_bytes(4, "big")            # QUIC v1
            s.sendto(bytes(packet), address)


def abandoned_initials(address, count):
    """A real client Initial each, from a fresh socket that then goes away."""
    for _ in range(count):
        connection = QuicConnection(configuration=hy2.client_configuration())
        connection.connect(address, now=time.monotonic())
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for data, _ in connection.datagrams_to_send(now=time.monotonic()):
                s.sendto(data, address)


async def no_login_client(address, cap, results):
    """Completes the QUIC handshake, never logs in, keeps the connection alive with PINGs."""
    key = ("hy2", "no-login")
    results.add(results.started, key)
    started = time.monotonic()
    try:
        async with connect(*address, configuration=hy2.client_configuration(),
                           create_protocol=hy2.HysteriaClient) as client:
            while time.monotonic() - started < cap:
                if client.terminated.done():
                    results.add(results.reaped, key, time.monotonic() - started)
                    return
                try:
                    await asyncio.wait_for(client.ping(), 3)
                except (asyncio.TimeoutError, ConnectionError):
                    pass
                await asyncio.wait([client.terminated], timeout=3)
            results.add(results.held, key)
    except (ConnectionError, OSError) as error:
        results.notes.setdefault("hy2 no-login errors", []).append(str(error))
        results.add(results.reaped, key, time.monotonic() - started)


async def slow_request_client(address, credential, target, cap, drip_interval, results):
    """Logs in, then drips a proxy request; the node must reset the stream."""
    key = ("hy2", "slow-request")
    results.add(results.started, key)
    started = time.monotonic()
    try:
        async with connect(*address, configuration=hy2.client_configuration(),
                           create_protocol=hy2.HysteriaClient) as client:
            if await client.login(credential) != hy2.AUTH_OK:
                results.notes.setdefault("hy2 slow-request", []).append("login refused")
                return
            stream, rest = client.send_partial_request(target, 1)
            for byte in rest:
                if stream.ended or time.monotonic() - started > cap:
                    break
                await asyncio.sleep(drip_interval)
                if stream.ended:
                    break
                stream.send(bytes([byte]))
            if stream.ended:
                results.add(results.reaped, key, stream.ended[0] - started)
            else:
                results.add(results.held, key)
    except (ConnectionError, OSError, asyncio.TimeoutError) as error:
        results.notes.setdefault("hy2 slow-request errors", []).append(str(error))


async def wave(listeners, hy2_address, hy2_credential, echo_target, per_kind, cap, drip_interval, results):
    """One wave: `per_kind` clients of every behaviour at every listener, concurrently."""
    jobs = []
    for listener, address in listeners.items():
        behaviours = TCP_BEHAVIOURS + (["idle-keepalive", "drip-body"] if listener == "admin" else [])
        for behaviour in behaviours:
            for _ in range(per_kind):
                jobs.append(tcp_client(listener, address, behaviour, cap, drip_interval, results))
    for _ in range(per_kind):
        jobs.append(no_login_client(hy2_address, cap, results))
        jobs.append(slow_request_client(hy2_address, hy2_credential, echo_target, cap, drip_interval, results))
    junk = per_kind * 20
    junk_datagrams(hy2_address, junk)
    abandoned_initials(hy2_address, per_kind * 2)
    results.notes["hy2 junk datagrams"] = results.notes.get("hy2 junk datagrams", 0) + junk
    results.notes["hy2 abandoned Initials"] = results.notes.get("hy2 abandoned Initials", 0) + per_kind * 2
    await asyncio.gather(*jobs)
