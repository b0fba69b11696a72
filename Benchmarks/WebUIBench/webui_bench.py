"""Web UI benchmark (scripts/webui-bench): the figures behind the UI's budget.

- login: from navigation to a usable login form (the Log in button attached and enabled),
  median of --runs fresh page loads, over loopback;
- graph: from opening the Nodes page's graph view to every node of a 200-peer mesh drawn;
- drag: the intervals between animation frames while a node is dragged across the graph
  (median and 95th percentile; 16.7 ms is 60 frames per second).
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests/WebUI"))
from webui_node import ROOT, Node  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

FRAME_PROBE = """() => new Promise((resolve) => {
  const gaps = []; let last = performance.now();
  function tick(now) { gaps.push(now - last); last = now; if (gaps.length < 120) requestAnimationFrame(tick); else resolve(gaps); }
  requestAnimationFrame(tick);
})"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--node", default=str(ROOT / ".build/release/hy2scale"), help="the hy2scale binary (default: the release build)")
    parser.add_argument("--peers", type=int, default=200, help="peers in the graph (default 200)")
    parser.add_argument("--runs", type=int, default=7, help="login page loads to time (default 7)")
    args = parser.parse_args()

    peers = "clients:\n" + "".join(
        f"  - name: p{i:03}\n    addr: 127.0.{1 + i // 200}.{1 + i % 200}:9\n    password: bench-password\n" for i in range(args.peers))
    import webui_node
    webui_node.BINARY = Path(args.node)
    node = Node(tempfile.mkdtemp(prefix="hy2scale-webui-bench-"), config_extra=peers)
    try:
        node.set_password()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            timings = []
            for _ in range(args.runs):
                page.goto("about:blank")
                page.goto(node.url)
                page.get_by_role("button", name="Log in").wait_for()
                timings.append(page.evaluate("performance.now()"))
            print(f"login page usable: median {statistics.median(timings):.0f} ms over {args.runs} loads "
                  f"(min {min(timings):.0f}, max {max(timings):.0f})")

            page.get_by_label("Password", exact=True).fill(node.password)
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("navigation", name="Main").wait_for()
            started = page.evaluate("performance.now()")
            page.goto(node.url + "#/nodes?view=graph")
            graph = page.get_by_role("group", name="Topology graph")
            graph.locator("[data-node]").nth(args.peers).wait_for()
            drawn = page.evaluate("performance.now()") - started
            print(f"graph of {args.peers + 1} nodes drawn in {drawn:.0f} ms")

            target = graph.get_by_role("button", name="p000", exact=True)
            box = target.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            probe = page.evaluate_handle(FRAME_PROBE)
            for step in range(120):
                page.mouse.move(x + step * 3, y + (step % 40) * 2)
            page.mouse.up()
            gaps = sorted(probe.json_value()[1:])
            print(f"drag frames: median {statistics.median(gaps):.1f} ms, 95th percentile "
                  f"{gaps[int(len(gaps) * 0.95)]:.1f} ms, worst {gaps[-1]:.1f} ms over {len(gaps)} frames")
            browser.close()
    finally:
        node.stop()


if __name__ == "__main__":
    main()
