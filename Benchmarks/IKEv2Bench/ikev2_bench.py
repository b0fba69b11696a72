#!/usr/bin/env python3
"""IKEv2 gateway benchmark: hy2scale's IKEv2 server next to the same strongSwan tunnel, routed.

The same strongSwan client (charon-systemd + swanctl in namespace `alice`, PSK authentication,
a virtual IP from the pool 10.77.0.0/24 and a full tunnel) runs iperf3 (TCP) to the same
target (`iperf3 -s` in namespace `web`, which only the gateway namespace `gw` can reach), twice
in one invocation:

  node      `hy2scale serve` in gw with `ikev2: {mode: psk}`: the node's own charon ends the
            tunnel and the node captures the decrypted flows (TPROXY) and relays them to web
            itself. gw does not forward (net.ipv4.ip_forward=0).
  baseline  a plain strongSwan server in gw (charon-systemd, a configuration of its own, the
            connection the node loads: version 2, encap, PSK, local_ts 0.0.0.0/0, the same
            pool), and gw routes the decrypted packets (net.ipv4.ip_forward=1).

Each is measured alice -> web (upload) and web -> alice (download, iperf3 -R); the figure is
iperf3's sum_received, the median of the rounds. The ratios node / baseline follow (1.0 means
the node's capture and relay cost nothing over plain routing; they are above 1.0 when
terminating TCP in gw does better than forwarding it).

    alice 10.88.1.10 -- 10.88.1.1 gw 10.88.3.1 -- 10.88.3.3 web        pool 10.77.0.0/24

ESP follows the node: where the kernel has no ESP, the node's charon carries it in userspace
(kernel-libipsec) and so does the baseline's; where it has, both use the kernel's in gw. The
client always uses kernel-libipsec. The output says which.

The namespaces (named ikb<pid>-*) and every process are removed at the end, on failure and on
Ctrl-C too; only processes this run started are signalled. The node's charon keeps its pid file
at /run/charon.pid, one per machine: while another node's charon holds it, the benchmark waits
(up to 5 minutes) before the node's run.

Needs root, iproute2, iperf3 (apt-get install iperf3), strongSwan's charon-systemd and swanctl
(strongswan-charon, strongswan-swanctl, charon-systemd, libcharon-extra-plugins and
libcharon-extauth-plugins), and a built hy2scale (scripts/ikev2-bench builds it).
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TAG = f"ikb{os.getpid() % 100000}"
NS = {name: f"{TAG}-{name}" for name in ("alice", "gw", "web")}
CHARON = "/usr/sbin/charon-systemd"
NODE_CHARON = "/usr/lib/ipsec/charon"
PSK = "bench-psk"
TARGET = "10.88.3.3"
CHILD = "bench"
REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE_LABEL = "hy2scale (node)"
BASELINE_LABEL = "strongSwan, routed (baseline)"

_libc = ctypes.CDLL("libc.so.6", use_errno=True)


class Failure(Exception):
    """A run that could not be measured; the message says why."""


def _die_with_parent():
    # PR_SET_PDEATHSIG: the child gets SIGTERM when this script dies, even by SIGKILL.
    _libc.prctl(1, signal.SIGTERM)


def _interrupted(_number, _frame):
    raise KeyboardInterrupt


def run(*args, ns=None, check=True, timeout=60):
    command = (["ip", "netns", "exec", NS[ns]] if ns else []) + [str(a) for a in args]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, preexec_fn=_die_with_parent)
    except subprocess.TimeoutExpired:
        raise Failure(f"{' '.join(command)}: no answer within {timeout} s") from None
    if check and result.returncode != 0:
        raise Failure(f"{' '.join(command)}: {(result.stderr or result.stdout).strip()[-2000:]}")
    return result


def spawn(*args, ns, log, env=None):
    """Starts a process in a namespace (`ip netns exec` execs it: the pid is the program's)."""
    output = open(log, "a")
    try:
        return subprocess.Popen(["ip", "netns", "exec", NS[ns]] + [str(a) for a in args], stdin=subprocess.DEVNULL,
                                stdout=output, stderr=subprocess.STDOUT, env=env, preexec_fn=_die_with_parent)
    finally:
        output.close()


def stop(*processes, grace=20):
    """SIGTERM, so charon and the node remove their devices and routes; SIGKILL after `grace` s."""
    for process in processes:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        if process is None:
            continue
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def namespace_pids(host):
    """Processes in one of this run's namespaces: all of them descend from this run."""
    result = subprocess.run(["ip", "netns", "pids", NS[host]], capture_output=True, text=True)
    return [int(pid) for pid in result.stdout.split() if pid.isdigit() and int(pid) != os.getpid()]


def clear_namespace(host, grace=10):
    """Ends what is left in `host` (the node's charon, say), SIGTERM first."""
    pids = namespace_pids(host)
    for number in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, number)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while pids and time.monotonic() < deadline:
            time.sleep(0.1)
            pids = namespace_pids(host)
        if not pids:
            return


def topology():
    for host, name in NS.items():
        run("ip", "netns", "add", name)
        run("ip", "link", "set", "lo", "up", ns=host)
    links = [("alice", "10.88.1.10/24", "gw", "10.88.1.1/24"), ("gw", "10.88.3.1/24", "web", "10.88.3.3/24")]
    for index, (a, address_a, b, address_b) in enumerate(links):
        left, right = f"{TAG}a{index}", f"{TAG}b{index}"
        run("ip", "link", "add", left, "type", "veth", "peer", "name", right)
        run("ip", "link", "set", left, "netns", NS[a])
        run("ip", "link", "set", right, "netns", NS[b])
        run("ip", "addr", "add", address_a, "dev", left, ns=a)
        run("ip", "addr", "add", address_b, "dev", right, ns=b)
        run("ip", "link", "set", left, "up", ns=a)
        run("ip", "link", "set", right, "up", ns=b)
    # The baseline's replies to the pool are routed back by gw; the node's relay leaves from
    # 10.88.3.1 and needs no route.
    run("ip", "route", "add", "10.77.0.0/24", "via", "10.88.3.1", ns="web")


def teardown():
    for host, name in NS.items():
        if subprocess.run(["ip", "netns", "pids", name], capture_output=True).returncode == 0:
            clear_namespace(host, grace=5)
        subprocess.run(["ip", "netns", "delete", name], capture_output=True)


def kernel_has_esp():
    """Whether the kernel carries ESP: iproute2 adds an ESP state in web (deleted with it)."""
    return run("ip", "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x2000",
               "enc", "cbc(aes)", "0x00112233445566778899aabbccddeeff", ns="web", check=False).returncode == 0


def strongswan_conf(path, socket, log, userspace_esp, server):
    """A strongswan.conf of its own: the node's plugin list (kernel-libipsec, when used, before
    kernel-netlink), its VICI socket and a file log; nothing from /etc/strongswan.d is read."""
    plugins = ("random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints aes sha1 sha2 hmac kdf gcm "
               + ("kernel-libipsec " if userspace_esp else "") + "kernel-netlink socket-default vici eap-identity eap-mschapv2")
    with open(path, "w") as f:
        f.write(f"""charon {{
    load_modular = no
    load = {plugins}
{"    install_virtual_ip = no" if server else ""}
    plugins {{
        vici {{
            socket = unix://{socket}
        }}
    }}
    filelog {{
        charon {{
            path = {log}
            default = 1
            append = yes
            flush_line = yes
        }}
    }}
}}
charon-systemd {{
    journal {{
        default = -1
    }}
}}
""")


CLIENT_SWANCTL = f"""connections {{
    {CHILD} {{
        version = 2
        remote_addrs = 10.88.1.1
        vips = 0.0.0.0
        encap = yes
        local {{
            auth = psk
            id = alice@psk
        }}
        remote {{
            auth = psk
        }}
        children {{
            {CHILD} {{
                remote_ts = 0.0.0.0/0
            }}
        }}
    }}
}}
secrets {{
    ike-{CHILD} {{
        secret = "{PSK}"
    }}
}}
"""

# What the node loads over VICI in psk mode (IPsecRequests): IKEv2, the pool after the
# server's own address with the node's DNS, a full tunnel, UDP encapsulation.
SERVER_SWANCTL = f"""connections {{
    {CHILD} {{
        version = 2
        pools = {CHILD}
        encap = yes
        send_certreq = no
        local {{
            auth = psk
        }}
        remote {{
            auth = psk
        }}
        children {{
            {CHILD} {{
                local_ts = 0.0.0.0/0
            }}
        }}
    }}
}}
pools {{
    {CHILD} {{
        addrs = 10.77.0.2-10.77.0.254
        dns = {TARGET}
    }}
}}
secrets {{
    ike-{CHILD} {{
        secret = "{PSK}"
    }}
}}
"""

NODE_CONFIG = f"""name: gw
dns: {TARGET}
ikev2:
  enabled: true
  mode: psk
  psk: {PSK}
  pool: 10.77.0.1/24
"""


class Charon:
    """charon-systemd in a namespace with its own strongswan.conf and VICI socket, driven by swanctl."""

    def __init__(self, work, name, host, swanctl, userspace_esp, server):
        self.host = host
        self.socket = os.path.join(work, f"{name}.vici")
        self.log = os.path.join(work, f"{name}.log")
        self.conf = os.path.join(work, f"{name}.strongswan.conf")
        self.swanctl = os.path.join(work, f"{name}.swanctl.conf")
        strongswan_conf(self.conf, self.socket, self.log, userspace_esp, server)
        with open(self.swanctl, "w") as f:
            f.write(swanctl)
        self.process = spawn(CHARON, ns=host, log=self.log, env=dict(os.environ, STRONGSWAN_CONF=self.conf))
        self.uri = f"unix://{self.socket}"

    def load(self, within=10):
        deadline = time.monotonic() + within
        while True:
            result = run("swanctl", "--load-all", "--file", self.swanctl, "--uri", self.uri, ns=self.host, check=False)
            if result.returncode == 0:
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise Failure(f"{self.host}'s charon did not take its configuration: {result.stdout.strip()[-500:]}"
                              f"{result.stderr.strip()[-500:]}")
            time.sleep(0.2)

    def initiate(self, within):
        """Brings the child up, retrying until `within` s have passed (the server may still be starting)."""
        deadline = time.monotonic() + within
        while True:
            left = max(3, int(deadline - time.monotonic()))
            result = run("swanctl", "--initiate", "--child", CHILD, "--timeout", min(left, 15), "--uri", self.uri,
                         ns=self.host, check=False, timeout=left + 10)
            if result.returncode == 0:
                return True
            # A half-open attempt must not linger beside the next one.
            run("swanctl", "--terminate", "--ike", CHILD, "--force", "--timeout", "2", "--uri", self.uri,
                ns=self.host, check=False)
            if self.process.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(1)

    def esp(self):
        """The child SA's ESP algorithms, as swanctl lists them."""
        listing = run("swanctl", "--list-sas", "--ike", CHILD, "--uri", self.uri, ns=self.host, check=False).stdout
        found = re.search(r"ESP:(\S+)", listing)
        return found.group(1) if found else "?"


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as error:
        return f"({error})\n"


def charon_pid_holder():
    """The live process that holds /run/charon.pid (another node's charon), if any."""
    try:
        with open("/run/charon.pid") as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return pid if pid > 0 and os.path.exists(f"/proc/{pid}") else None


def wait_for_charon_pid_file(within=300):
    holder = charon_pid_holder()
    if holder is None:
        return
    print(f"  waiting for another charon (pid {holder}, /run/charon.pid) to exit: the node's charon needs the pid file",
          flush=True)
    deadline = time.monotonic() + within
    while charon_pid_holder() is not None:
        if time.monotonic() > deadline:
            raise Failure(f"/run/charon.pid is still held by pid {charon_pid_holder()} after {within} s; "
                          "the node's charon cannot start beside it")
        time.sleep(1)


def iperf(seconds, reverse, timeout=None):
    """One iperf3 TCP test alice -> web (web -> alice when `reverse`); Mbit/s received."""
    args = ["iperf3", "-c", TARGET, "-t", seconds, "-J", "--connect-timeout", "3000"] + (["-R"] if reverse else [])
    result = run(*args, ns="alice", check=False, timeout=timeout or seconds + 40)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise Failure(f"iperf3: {(result.stderr or result.stdout).strip()[-500:]}") from None
    if "error" in report:
        raise Failure(f"iperf3: {report['error']}")
    return report["end"]["sum_received"]["bits_per_second"] / 1e6


def wait_reachable(within=20):
    """A one-second iperf3 through the tunnel, until one passes (it warms the path up too);
    `None`, or the last attempt's error."""
    deadline = time.monotonic() + within
    while True:
        try:
            iperf(1, False, timeout=10)
            return None
        except Failure as failure:
            if time.monotonic() > deadline:
                return str(failure)
            time.sleep(0.5)


def measure(label, seconds, rounds, esp):
    upload, download = [], []
    for _ in range(rounds):
        upload.append(iperf(seconds, False))
        download.append(iperf(seconds, True))
    result = statistics.median(upload), statistics.median(download)
    spread = "" if rounds == 1 else (f"   (rounds: {' '.join(f'{v:.0f}' for v in upload)} / "
                                     f"{' '.join(f'{v:.0f}' for v in download)})")
    print(f"  {label:<32}{result[0]:10.1f} {result[1]:14.1f}     {esp}{spread}", flush=True)
    return result


def established(label, client, server_log, server_name):
    if not client.initiate(within=30):
        raise Failure(f"{label}: the tunnel did not come up within 30 s\n"
                      f"--- alice's charon ({client.log}), last lines:\n{tail(client.log)}"
                      f"--- {server_name} ({server_log}), last lines:\n{tail(server_log)}")
    error = wait_reachable()
    if error:
        raise Failure(f"{label}: the tunnel is up but iperf3 to {TARGET}:5201 does not get through it ({error})\n"
                      f"--- alice's charon, last lines:\n{tail(client.log)}"
                      f"--- {server_name}, last lines:\n{tail(server_log)}")


def node_run(node, work, args, userspace_esp, children):
    config = os.path.join(work, "gw.yaml")
    with open(config, "w") as f:
        f.write(NODE_CONFIG)
    checked = run(node, "validate", "--config", config, check=False)
    if checked.returncode != 0:
        raise Failure(f"hy2scale validate refuses the node's configuration:\n{checked.stdout}{checked.stderr}")
    run("sysctl", "-qw", "net.ipv4.ip_forward=0", ns="gw")
    wait_for_charon_pid_file()
    log = os.path.join(work, "node.log")
    server = spawn(node, "serve", "--config", config, "--state-dir", os.path.join(work, "state"),
                   "--api", "127.0.0.1:8081", ns="gw", log=log)
    children.append(server)
    client = Charon(work, "client-node", "alice", CLIENT_SWANCTL, userspace_esp=True, server=False)
    children.append(client.process)
    try:
        client.load()
        established(NODE_LABEL, client, log, "gw's node and its charon")
        if server.poll() is not None:
            raise Failure(f"the node exited ({server.returncode})\n{tail(log)}")
        return measure(NODE_LABEL, args.seconds, args.rounds, client.esp())
    finally:
        stop(client.process, server, grace=30)
        # The node stops its charon; what is left in gw is ended here, so Run B starts clean.
        clear_namespace("gw")
        deadline = time.monotonic() + 5
        while run("ip", "link", "show", "ipsec0", ns="gw", check=False).returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.1)


def baseline_run(work, args, userspace_esp, children):
    run("sysctl", "-qw", "net.ipv4.ip_forward=1", ns="gw")
    server = Charon(work, "server-baseline", "gw", SERVER_SWANCTL, userspace_esp=userspace_esp, server=True)
    children.append(server.process)
    client = Charon(work, "client-baseline", "alice", CLIENT_SWANCTL, userspace_esp=True, server=False)
    children.append(client.process)
    try:
        server.load()
        client.load()
        established(BASELINE_LABEL, client, server.log, "gw's charon")
        return measure(BASELINE_LABEL, args.seconds, args.rounds, client.esp())
    finally:
        stop(client.process, server.process)
        run("sysctl", "-qw", "net.ipv4.ip_forward=0", ns="gw", check=False)


def missing_tools(node):
    missing = [tool for tool in ("ip", "iperf3", "swanctl", "sysctl") if shutil.which(tool) is None]
    if not os.access(CHARON, os.X_OK):
        missing.append(f"{CHARON} (apt-get install charon-systemd)")
    if not os.access(NODE_CHARON, os.X_OK):
        missing.append(f"{NODE_CHARON} (apt-get install strongswan-charon)")
    if not os.access(node, os.X_OK):
        missing.append(f"{node} (build it: swift build -c release --product hy2scale, or give --node)")
    return missing


def main():
    parser = argparse.ArgumentParser(
        prog="ikev2-bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""exit status:
  0  both runs measured
  1  a run failed: a tunnel did not come up (the last lines of both charons' logs are
     printed), the target was not reachable through it, or iperf3 failed
  2  bad options, not root, or a program missing (iperf3: apt-get install iperf3)

examples:
  scripts/ikev2-bench                         10 s tests, median of 3 rounds
  scripts/ikev2-bench --seconds 5 --rounds 1
  scripts/ikev2-bench --brief                 2 s, 1 round (CI)
  scripts/ikev2-bench --node /usr/bin/hy2scale""")
    parser.add_argument("--seconds", type=int, default=10, metavar="N",
                        help="length of each iperf3 test, per direction (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, metavar="N",
                        help="tests per direction and run; the median is printed (default %(default)s)")
    parser.add_argument("--node", metavar="PATH", default=os.path.join(REPOSITORY, ".build/release/hy2scale"),
                        help="the hy2scale binary (default: .build/release/hy2scale of this checkout)")
    parser.add_argument("--brief", action="store_true", help="2 s tests, 1 round: a quick check (sets --seconds and --rounds)")
    args = parser.parse_args()
    if args.brief:
        args.seconds, args.rounds = 2, 1
    if args.seconds < 1 or args.rounds < 1:
        parser.error("--seconds and --rounds must be at least 1")
    if os.geteuid() != 0:
        print("ikev2-bench: needs root (network namespaces)", file=sys.stderr)
        return 2
    node = os.path.realpath(args.node)
    missing = missing_tools(node)
    if missing:
        print("ikev2-bench: missing " + "; ".join(missing), file=sys.stderr)
        return 2
    # SIGTERM and SIGINT (ignored in a background job otherwise) end it like Ctrl-C: cleaned up.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    work = tempfile.mkdtemp(prefix="ikev2-bench-")
    children = []
    try:
        topology()
        children.append(spawn("iperf3", "-s", "-B", TARGET, ns="web", log=os.path.join(work, "iperf3.log")))
        userspace_esp = not kernel_has_esp()
        print(f"IKEv2 gateway: iperf3 TCP, {args.seconds} s per test, median of {args.rounds} round(s); "
              f"the same strongSwan client (PSK) and target", flush=True)
        if userspace_esp:
            print("ESP: kernel-libipsec on both sides (this kernel has no ESP)", flush=True)
        else:
            print("ESP: the kernel's in gw for both runs (the client's is kernel-libipsec)", flush=True)
        print(f"  {'':<32}{'alice->web':>10} {'web->alice':>14}     ESP", flush=True)
        print(f"  {'':<32}{'Mbit/s':>10} {'Mbit/s':>14}", flush=True)
        ours = node_run(node, work, args, userspace_esp, children)
        theirs = baseline_run(work, args, userspace_esp, children)
        print(f"  {'ratio node / baseline':<32}{ours[0] / theirs[0]:10.2f} {ours[1] / theirs[1]:14.2f}", flush=True)
        return 0
    except Failure as failure:
        print(f"ikev2-bench: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ikev2-bench: interrupted", file=sys.stderr)
        return 130
    finally:
        stop(*children)
        teardown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
