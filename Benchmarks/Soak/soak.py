"""hy2scale soak test: the real `hy2scale serve` under load and faults, then checks. See --help."""

import argparse
import asyncio
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import config_model  # noqa: E402
import edits  # noqa: E402
import flows  # noqa: E402
import hy2  # noqa: E402
import report  # noqa: E402
import slow_clients  # noqa: E402
from flow_pool import FlowPool  # noqa: E402
from node import AdminClient, NodeProcess, ResourceSampler, wait_for  # noqa: E402

ADMIN_USER = "soak-admin"
ADMIN_PASSWORD = "soak-admin-password"
FLUSH_INTERVAL = 2.0  # TrafficFlusher.defaultInterval

DESCRIPTION = """\
Runs the real `hy2scale serve` on loopback with users, a SOCKS5 proxy, an HTTP proxy,
Shadowsocks and the Hysteria 2 server, against upstream servers of its own, and at the same time:
holds thousands of relayed SOCKS5 flows and hundreds of Hysteria 2 connections (each with a live
stream, all probed now and then), edits the config file again and again (valid edits of other
users, proxies and rules; invalid ones: YAML syntax, bad port, unknown key, wrong type; written in
place, by rename, and half at a time), sends bursts of SIGHUP, sends flows to an upstream that
resets or closes them at random, and points half-open and slowloris clients at every listener.

Then it checks, prints a summary, and exits 1 if any check failed:
  - a fresh flow through each inbound (SOCKS5, HTTP, Shadowsocks, Hysteria 2) works and the admin
    API answers;
  - no flow that must stay up was dropped (edits never touch them);
  - no invalid edit was applied, even in part (the revision in force stays the last valid one,
    GET /api/status lists the problems, and a user and a proxy added by the invalid edit do not
    exist);
  - every slow client was closed by the node;
  - the node's descriptors and RSS come back to their baseline once the load is gone;
  - across a kill -9, a user's traffic counters lose at most one flush interval (2 s) of traffic.
"""

EPILOG = """\
modes:
  full (default)   5000 SOCKS5 flows, 500 Hysteria 2 connections, 200 edits; about 8 minutes.
  --brief          300 SOCKS5 flows, 50 Hysteria 2 connections, 20 edits; a minute or two.
  Any size option given explicitly overrides the mode's value.

files:
  The run's directory (config.yaml, state/, node.log) is removed at the end unless --keep is
  given or a check failed; its path is printed.

exit status:
  0 every check passed; 1 a check failed; 2 the run could not be set up.

The driver needs Python 3 with aioquic and cryptography (scripts/install-deps --with-test-tools).
Run it through scripts/soak, which builds the binary, raises the descriptor limit and, as root,
runs everything inside a network namespace of its own.
"""

FULL = dict(socks=5000, hy2=500, http=100, ss=100, dropping=250, edits=200, hold=360,
            sighup_bursts=12, sighup_burst_size=50, slow_waves=3, slow_per_kind=4,
            socks_probe_interval=30.0, hy2_probe_interval=8.0, meter_seconds=8.0, slow_cap=75.0)
BRIEF = dict(socks=300, hy2=50, http=20, ss=20, dropping=30, edits=20, hold=45,
             sighup_bursts=3, sighup_burst_size=30, slow_waves=1, slow_per_kind=2,
             socks_probe_interval=10.0, hy2_probe_interval=8.0, meter_seconds=7.0, slow_cap=45.0)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/soak", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brief", action="store_true", help="the small CI-sized run")
    parser.add_argument("--binary", metavar="PATH",
                        help="the hy2scale binary (scripts/soak builds and passes .build/release/hy2scale)")
    sizes = parser.add_argument_group("sizes and durations (defaults: full mode's; --brief's are smaller)")
    sizes.add_argument("--socks", type=int, metavar="N", help="SOCKS5 flows held open (full: 5000)")
    sizes.add_argument("--hy2", type=int, metavar="N", help="Hysteria 2 connections held open, one stream each (full: 500)")
    sizes.add_argument("--http", type=int, metavar="N", help="HTTP CONNECT flows held open (full: 100)")
    sizes.add_argument("--ss", type=int, metavar="N", help="Shadowsocks flows held open (full: 100)")
    sizes.add_argument("--dropping", type=int, metavar="N",
                       help="flows kept open towards the upstream that drops them (full: 250)")
    sizes.add_argument("--edits", type=int, metavar="N", help="config file edits (full: 200)")
    sizes.add_argument("--hold", type=float, metavar="SECONDS",
                       help="least time the load is held while edits and faults go on (full: 360)")
    sizes.add_argument("--sighup-bursts", type=int, metavar="N", help="SIGHUP storms (full: 12)")
    sizes.add_argument("--sighup-burst-size", type=int, metavar="N", help="signals per storm (full: 50)")
    sizes.add_argument("--slow-waves", type=int, metavar="N", help="waves of slow clients (full: 3)")
    sizes.add_argument("--slow-per-kind", type=int, metavar="N",
                       help="slow clients per listener and behaviour in each wave (full: 4)")
    sizes.add_argument("--slow-cap", type=float, metavar="SECONDS",
                       help="how long a slow client waits to be closed before it counts as held (full: 75)")
    sizes.add_argument("--socks-probe-interval", type=float, metavar="SECONDS",
                       help="seconds between two probes of one proxy flow (full: 30)")
    sizes.add_argument("--hy2-probe-interval", type=float, metavar="SECONDS",
                       help="seconds between two probes of one Hysteria 2 stream (full: 8)")
    sizes.add_argument("--meter-seconds", type=float, metavar="SECONDS",
                       help="how long the metered traffic before the kill -9 runs (full: 8)")
    parser.add_argument("--meter-rate", type=int, default=4 << 20, metavar="BYTES",
                        help="metered traffic rate before the kill -9, bytes/s each way (4 MiB)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time); printed")
    parser.add_argument("--work-dir", metavar="DIR",
                        help="where the run's files go (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the run's directory")
    parser.add_argument("--no-rules", action="store_true",
                        help="no rule edits (set by scripts/soak outside a network namespace: rules need nftables)")
    args = parser.parse_args(argv)
    mode = BRIEF if args.brief else FULL
    for key, value in mode.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.seed is None:
        args.seed = int(time.time())
    return args


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.results = report.Results()
        self.timeline = []
        self.pools = []
        self.fleet = None
        self.upstream = None
        self.node = None

    # -- set-up

    async def set_up(self):
        a = self.args
        self.work = a.work_dir or tempfile.mkdtemp(prefix="hy2scale-soak-")
        os.makedirs(self.work, exist_ok=True)
        self.config_path = os.path.join(self.work, "config.yaml")
        self.state_dir = os.path.join(self.work, "state")
        log(f"run directory {self.work}, seed {a.seed}")
        self.upstream = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "upstream.py"), "--seed", str(a.seed),
             "--drop-min", "3" if a.brief else "5", "--drop-max", "20" if a.brief else "60"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.upstream.stdout.readline())
        self.echo = ("127.0.0.1", ready["echo_port"])
        self.dropper = ("127.0.0.1", ready["drop_port"])
        self.ports = edits.PortPool()
        p = {name: self.ports.take() for name in ("socks", "http", "ss", "api")}
        p["hy2"] = free_udp_port()
        self.port_map = p
        digest = hashlib.sha256(ADMIN_PASSWORD.encode()).hexdigest()
        self.admin_digest = digest
        model = config_model.SoakConfig(p, ADMIN_USER, digest)
        self.admin = AdminClient(p["api"])
        self.node = NodeProcess(a.binary, self.config_path, self.state_dir, os.path.join(self.work, "node.log"))
        self.editor = edits.EditEngine(self.config_path, model, self.node, self.admin, ("127.0.0.1", p["socks"]),
                                       self.ports, self.timeline, self.rng, not a.no_rules, log)
        await self.editor.write_initial()
        self.node.start()
        if not await wait_for(self.try_login, 90, interval=0.3):
            raise SystemExit(f"the node did not come up; its log:\n{self.node.log_tail()}")
        await self.editor.adopt_file()
        log(f"node up (pid {self.node.pid}, descriptor limit soft/hard {self.node.open_files_limit()})")
        self.results.nofile_limit = self.node.open_files_limit()

    async def try_login(self):
        await self.admin.login(ADMIN_USER, self.admin_digest)
        return True

    # -- load

    def proxy(self, name):
        return ("127.0.0.1", self.port_map[name])

    async def open_load(self):
        a = self.args
        credentials = ("soak", "soak-user-password")
        self.steady = [
            FlowPool("socks5", "socks5", self.proxy("socks"), credentials, self.echo, True, 1),
            FlowPool("http", "http", self.proxy("http"), credentials, self.echo, True, 1_000_000),
            FlowPool("ss", "ss", self.proxy("ss"), credentials, self.echo, True, 2_000_000),
        ]
        self.dropping = FlowPool("dropping", "socks5", self.proxy("socks"), credentials, self.dropper, False, 3_000_000)
        started = time.monotonic()
        for pool, count in zip(self.steady, (a.socks, a.http, a.ss)):
            await pool.open(count, concurrency=200)
            log(f"{pool.name}: {pool.open_count} flows open "
                f"({len(pool.open_failures)} could not be opened, {pool.open_retries} retries)")
        self.results.open_seconds = time.monotonic() - started
        self.fleet = self.start_fleet()
        ready = await asyncio.get_running_loop().run_in_executor(None, self.fleet.stdout.readline)
        ready = json.loads(ready)
        log(f"hy2: {ready['open']} connections open with a stream each ({ready['seconds']:.1f} s)")
        self.results.hy2_opened = ready["opened"]
        await self.dropping.open(a.dropping, concurrency=100)
        self.dropping.refill = True

    def start_fleet(self):
        a = self.args
        return subprocess.Popen(
            [sys.executable, os.path.join(HERE, "hy2.py"), "fleet", "--port", str(self.port_map["hy2"]),
             "--auth", "soak:soak-user-password", "--target", "%s:%d" % self.echo, "--count", str(a.hy2),
             "--interval", str(a.hy2_probe_interval)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    # -- faults

    async def run_edits(self, deadline):
        a = self.args
        for i in range(a.edits):
            remaining = max(0.0, deadline - time.monotonic())
            pause = remaining / max(1, a.edits - i) * self.rng.uniform(0.2, 1.0)
            await asyncio.sleep(pause * 0.5)
            await self.editor.run_edit()
            if (i + 1) % max(1, a.edits // 10) == 0:
                log(f"edits: {i + 1}/{a.edits} ({len(self.editor.failures)} failed)")
        try:
            await self.editor.reset_churn()
        except edits.EditFailure as failure:
            self.editor.failures.append(f"going back to the starting config: {failure}")

    async def sighup_storms(self, deadline):
        a = self.args
        for i in range(a.sighup_bursts):
            await asyncio.sleep(max(0.0, (deadline - time.monotonic()) / (a.sighup_bursts - i)) * self.rng.uniform(0.3, 1.0))
            self.timeline.append((time.monotonic(), f"SIGHUP storm {i + 1}"))
            for _ in range(a.sighup_burst_size):
                self.node.signal(signal.SIGHUP)
                self.results.sighups += 1
                await asyncio.sleep(0.002)

    async def slow_waves(self):
        a = self.args
        listeners = {"socks5": self.proxy("socks"), "http": self.proxy("http"), "ss": self.proxy("ss"),
                     "admin": self.proxy("api")}
        for i in range(a.slow_waves):
            log(f"slow clients: wave {i + 1}/{a.slow_waves}")
            await slow_clients.wave(listeners, self.proxy("hy2"), "soak:soak-user-password", "%s:%d" % self.echo,
                                    a.slow_per_kind, a.slow_cap, 3.0, self.results.slow)

    async def hold(self):
        a = self.args
        started = time.monotonic()
        deadline = started + a.hold
        probers = [asyncio.ensure_future(p.probe_forever(a.socks_probe_interval, 30.0))
                   for p in self.steady + [self.dropping]]
        self.sampler_log = asyncio.ensure_future(self.log_progress())
        await asyncio.gather(self.run_edits(deadline), self.sighup_storms(deadline), self.slow_waves())
        remaining = deadline - time.monotonic()
        if remaining > 0:
            await asyncio.sleep(remaining)
        self.results.hold_seconds = time.monotonic() - started
        self.dropping.refill = False
        # Every flow that must stay up answers one more probe now.
        for pool in self.steady:
            failed = await pool.probe_all(30.0)
            if failed:
                log(f"{pool.name}: {failed} flows failed their last probe")
        for prober in probers:
            prober.cancel()
        self.sampler_log.cancel()

    async def log_progress(self):
        while True:
            await asyncio.sleep(30)
            fds, rss = self.sampler.sample()
            log(f"node: {fds} descriptors, RSS {rss // 1024} MiB; "
                + ", ".join(f"{p.name} {p.open_count} open" for p in self.steady + [self.dropping])
                + f"; {self.editor.serial} edits, {self.results.sighups} SIGHUPs")

    async def fleet_command(self, command):
        self.fleet.stdin.write(command + "\n")
        self.fleet.stdin.flush()
        line = await asyncio.get_running_loop().run_in_executor(None, self.fleet.stdout.readline)
        return json.loads(line)

    # -- release and checks

    async def release(self):
        r = self.results
        stats = await self.fleet_command("close")
        r.hy2_held = stats["open"]
        r.hy2_drops = [(e["t"], "hy2 #%d" % e["id"], e["reason"]) for e in stats["ended"]]
        r.hy2_probes = stats["probes_ok"]
        self.fleet.wait(60)
        for pool in self.steady:
            r.held[pool.name] = pool.open_count
            r.opened[pool.name] = len(pool.flows)
            r.open_failures[pool.name] = pool.open_failures
            r.drops += [(t, f"{pool.name} #{i}", why) for t, i, why in pool.ended]
            r.probes += pool.probes_ok
        r.dropping_ended = len(self.dropping.ended)
        r.dropping_opened = len(self.dropping.flows)
        for pool in self.steady + [self.dropping]:
            await pool.close()

    async def second_cycle(self):
        """The same flows again, each probed once, then closed. Freed memory that the allocator
        keeps is reused by it, so RSS stays put; memory that leaked per flow shows as RSS that
        grows by about the first cycle's growth again."""
        a = self.args
        credentials = ("soak", "soak-user-password")
        pools = [FlowPool(p.name, p.inbound, p.proxy, credentials, self.echo, True, 5_000_000 * (i + 1))
                 for i, p in enumerate(self.steady)]
        for pool, count in zip(pools, (a.socks, a.http, a.ss)):
            await pool.open(count, concurrency=200)
        self.fleet = self.start_fleet()
        ready = json.loads(await asyncio.get_running_loop().run_in_executor(None, self.fleet.stdout.readline))
        failed = sum([await pool.probe_all(30.0) for pool in pools])
        fds, rss = self.sampler.sample()
        log(f"second cycle: {sum(p.open_count for p in pools)} proxy flows and {ready['open']} Hysteria 2 "
            f"connections open, {failed} probes failed; node: {fds} descriptors, RSS {rss // 1024} MiB")
        await self.fleet_command("close")
        self.fleet.wait(60)
        for pool in pools:
            await pool.close()
        self.upstream.stdin.close()
        self.results.upstream = json.loads(self.upstream.stdout.readline())
        self.upstream.wait(30)

    async def settle(self):
        """Descriptors come back once the peers' closes are processed, memory once the node trims
        its heap after the drop (HeapTrim looks every 30 s): waits for both (a minute and a half
        at most), then samples descriptors and RSS."""
        fds, rss = self.results.fds[0], self.results.rss[0]

        async def settled():
            return self.node.descriptors() <= fds and self.node.rss_kib() <= rss + report.RSS_SLACK
        await wait_for(settled, 90, interval=1.0)
        await asyncio.sleep(2)
        return self.sampler.sample()

    def describe_descriptors(self):
        """What the node's descriptors are, by kind: for the report when they did not come back."""
        kinds = {}
        for fd in os.listdir(f"/proc/{self.node.pid}/fd"):
            try:
                target = os.readlink(f"/proc/{self.node.pid}/fd/{fd}")
            except OSError:
                continue
            kind = target.split(":")[0] if ":" in target else ("file " + target)
            kinds[kind] = kinds.get(kind, 0) + 1
        return ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))

    async def fresh_flows(self):
        credentials = ("soak", "soak-user-password")
        r = self.results
        for name, inbound in (("socks", "socks5"), ("http", "http"), ("ss", "ss")):
            r.fresh[inbound] = await flows.round_trip(inbound, self.proxy(name), credentials, self.echo_fresh)
        r.fresh["hysteria2"] = await hy2.round_trip(self.proxy("hy2"), "soak:soak-user-password",
                                                     "%s:%d" % self.echo_fresh)
        try:
            status = await self.admin.status()
            r.fresh["admin API"] = None if status.get("applied") else f"GET /api/status: {status}"
        except Exception as error:  # any failure is the finding
            r.fresh["admin API"] = f"{type(error).__name__}: {error}"

    async def start_fresh_upstream(self):
        """The load's upstream is gone by now; a small echo server in this process serves the fresh flows."""
        async def echo(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except ConnectionError:
                pass
            finally:
                writer.close()
        self.fresh_server = await asyncio.start_server(echo, "127.0.0.1", 0)
        self.echo_fresh = ("127.0.0.1", self.fresh_server.sockets[0].getsockname()[1])

    async def counters_across_kill(self):
        """Metered traffic for user `meter`, kill -9 right after it, restart, compare the counters."""
        a, r = self.args, self.results
        before = await self.admin.user_traffic("meter")
        flow = await flows.open_flow(9, "socks5", self.proxy("socks"), ("meter", "meter-user-password"),
                                     self.echo_fresh)
        chunk = 32 << 10
        period = chunk / a.meter_rate
        echoed = []  # (time, bytes) of every chunk that came back
        start = time.monotonic()
        while time.monotonic() - start < a.meter_seconds:
            t = time.monotonic()
            await asyncio.wait_for(flow.start_probe(chunk), 10)
            echoed.append((time.monotonic(), chunk))
            await asyncio.sleep(max(0.0, period - (time.monotonic() - t)))
        counted = await self.admin.user_traffic("meter")
        killed_at = time.monotonic()
        self.node.kill()
        flow.close()
        sent = 2 * sum(n for _, n in echoed)  # up and down
        last_interval = 2 * sum(n for t, n in echoed if t >= killed_at - FLUSH_INTERVAL)
        self.node.start()
        if not await wait_for(self.try_login, 90, interval=0.3):
            raise SystemExit(f"the node did not come back after kill -9; its log:\n{self.node.log_tail()}")
        after = await self.admin.user_traffic("meter")
        r.meter = dict(before=before, sent=sent, counted=counted - before, after=after - before,
                       loss=before + sent - after, interval=last_interval,
                       db=self.read_state_db("meter"))

    def read_state_db(self, user):
        try:
            with sqlite3.connect(f"file:{self.state_dir}/state.db?mode=ro", uri=True) as db:
                row = db.execute("SELECT bytes_up, bytes_down FROM traffic WHERE user = ?", (user,)).fetchone()
                return row
        except sqlite3.Error as error:
            return str(error)

    # -- the run

    async def run(self):
        a, r = self.args, self.results
        run_started = time.monotonic()
        await self.set_up()
        self.sampler = ResourceSampler(self.node)
        await asyncio.sleep(2)
        r.fds[0], r.rss[0] = self.sampler.sample()
        log(f"baseline: {r.fds[0]} descriptors, RSS {r.rss[0] // 1024} MiB")
        self.sampler.start()
        try:
            await self.open_load()
            await self.hold()
            await self.release()
        finally:
            self.sampler.stop()
        r.fds[1], r.rss[1] = self.sampler.peak_fds, self.sampler.peak_rss
        r.edits = self.editor
        r.timeline = self.timeline
        r.fds[2], r.rss[2] = await self.settle()
        r.descriptors_after = self.describe_descriptors()
        log(f"load gone: {r.fds[2]} descriptors ({r.descriptors_after}), RSS {r.rss[2] // 1024} MiB")
        await self.second_cycle()
        r.fds[3], r.rss[3] = await self.settle()
        log(f"second cycle gone: {r.fds[3]} descriptors, RSS {r.rss[3] // 1024} MiB")
        await self.start_fresh_upstream()
        await self.fresh_flows()
        await self.counters_across_kill()
        r.exit_status = self.node.stop()
        r.node_alive = True
        r.wall_seconds = time.monotonic() - run_started
        r.log_path = self.node.log_path
        self.fresh_server.close()


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if not args.binary or not os.access(args.binary, os.X_OK):
        print(f"scripts/soak: no hy2scale binary at {args.binary}", file=sys.stderr)
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    needed = args.socks + args.http + args.ss + args.dropping + 1000
    if hard < needed:
        print(f"scripts/soak: the descriptor limit ({hard}) is below what {args.socks} flows need ({needed})",
              file=sys.stderr)
        return 2
    soak = Soak(args)
    try:
        asyncio.run(soak.run())
    except SystemExit as failure:
        print(failure, file=sys.stderr)
        cleanup(soak)
        return 2
    except BaseException:
        cleanup(soak)
        raise
    ok = report.print_summary(soak.results, args)
    cleanup(soak, keep=args.keep or not ok)
    return 0 if ok else 1


def cleanup(soak, keep=True):
    for process in (soak.fleet, soak.upstream):
        if process and process.poll() is None:
            process.kill()
    if soak.node and soak.node.is_running():
        soak.node.kill()
    if getattr(soak, "work", None):
        if keep:
            print(f"run directory kept: {soak.work}")
        else:
            shutil.rmtree(soak.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
