"""The soak's upstream servers, run as a process of their own.

Two TCP servers on loopback:

* the echo server, which sends every byte back and never closes first: the target of the flows
  that must survive the whole run;
* the dropping server, which echoes too but ends each connection after a random time, half of
  them with a reset (SO_LINGER 0) and half with a plain close: the target of the flows that are
  expected to end, so the node's handling of an upstream that goes away is exercised all along.

A separate process keeps these sockets (one per relayed flow) out of the driver's descriptor
table and puts their work on the other core. It prints one JSON line when both servers listen
(their ports), and one with its counts when it gets SIGTERM or its standard input closes.
"""

import argparse
import asyncio
import json
import random
import resource
import signal
import socket
import struct
import sys


class EchoProtocol(asyncio.Protocol):
    """Sends back what it receives; a half-close from the client is answered with a close."""

    def __init__(self, stats):
        self.stats = stats
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.stats["accepted"] += 1
        self.stats["open"] += 1

    def data_received(self, data):
        self.transport.write(data)

    def eof_received(self):
        return False  # close our side too

    def connection_lost(self, exc):
        self.stats["open"] -= 1


class DroppingProtocol(EchoProtocol):
    """Echoes, then ends the connection after a random delay: reset or close, at random."""

    def __init__(self, stats, rng, lifetime):
        super().__init__(stats)
        self.rng = rng
        self.lifetime = lifetime
        self.timer = None

    def connection_made(self, transport):
        super().connection_made(transport)
        delay = self.rng.uniform(*self.lifetime)
        self.timer = asyncio.get_running_loop().call_later(delay, self.drop)

    def drop(self):
        if self.transport.is_closing():
            return
        if self.rng.random() < 0.5:
            sock = self.transport.get_extra_info("socket")
            # Linger 0: close() sends RST instead of FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.stats["reset"] += 1
            self.transport.abort()
        else:
            self.stats["closed"] += 1
            self.transport.close()

    def connection_lost(self, exc):
        if self.timer:
            self.timer.cancel()
        super().connection_lost(exc)


def raise_descriptor_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def serve(args):
    raise_descriptor_limit()
    loop = asyncio.get_running_loop()
    rng = random.Random(args.seed)
    echo_stats = {"accepted": 0, "open": 0}
    drop_stats = {"accepted": 0, "open": 0, "reset": 0, "closed": 0}
    lifetime = (args.drop_min, args.drop_max)
    echo = await loop.create_server(lambda: EchoProtocol(echo_stats), args.host, args.echo_port, backlog=4096)
    dropping = await loop.create_server(lambda: DroppingProtocol(drop_stats, rng, lifetime),
                                        args.host, args.drop_port, backlog=4096)
    print(json.dumps({"event": "ready",
                      "echo_port": echo.sockets[0].getsockname()[1],
                      "drop_port": dropping.sockets[0].getsockname()[1]}), flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(4096) else None)
    await stop.wait()
    echo.close()
    dropping.close()
    print(json.dumps({"event": "stats", "echo": echo_stats, "dropping": drop_stats}), flush=True)


def main():
    parser = argparse.ArgumentParser(description="Echo and connection-dropping upstreams for the soak test.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--echo-port", type=int, default=0)
    parser.add_argument("--drop-port", type=int, default=0)
    parser.add_argument("--drop-min", type=float, default=5.0, help="shortest life of a dropped connection (s)")
    parser.add_argument("--drop-max", type=float, default=60.0, help="longest life of a dropped connection (s)")
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
