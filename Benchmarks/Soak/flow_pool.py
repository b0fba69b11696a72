"""Sets of relayed flows: opened with bounded concurrency, probed in turn, their ends recorded."""

import asyncio
import time

import flows


class FlowPool:
    """Flows of one inbound towards one upstream.

    `steady` pools must keep every flow to the end: any end is a drop. Other pools (towards the
    dropping upstream) expect their flows to end and, while `refill` is set, open a new one for
    each that does, so the node sees upstream failures all along.
    """

    def __init__(self, name, inbound, proxy, credentials, target, steady, first_id):
        self.name = name
        self.inbound = inbound
        self.proxy = proxy
        self.credentials = credentials
        self.target = target
        self.steady = steady
        self.next_id = first_id
        self.flows = []
        self.ended = []            # (monotonic time, flow id, reason) of flows that ended while open
        self.open_failures = []    # reasons flows could not be opened
        self.open_retries = 0
        self.refill = False
        self.closing = False
        self.probes_ok = 0
        self.refill_tasks = set()

    @property
    def open_count(self):
        return sum(1 for f in self.flows if f.state == "open")

    def _on_end(self, flow):
        if self.closing:
            return
        self.ended.append((flow.ended_at, flow.flow_id, flow.end_reason))
        if self.refill:
            task = asyncio.ensure_future(self.open_one(retries=3))
            self.refill_tasks.add(task)
            task.add_done_callback(self.refill_tasks.discard)

    async def open_one(self, retries=5):
        flow_id = self.next_id
        self.next_id += 1
        for attempt in range(retries + 1):
            try:
                flow = await flows.open_flow(flow_id, self.inbound, self.proxy, self.credentials, self.target,
                                             on_end=self._on_end)
                self.flows.append(flow)
                return True
            except (flows.FlowEnded, OSError, asyncio.TimeoutError) as error:
                if attempt == retries:
                    self.open_failures.append(str(error) or type(error).__name__)
                    return False
                self.open_retries += 1
                await asyncio.sleep(0.2 * (attempt + 1))

    async def open(self, count, concurrency):
        gate = asyncio.Semaphore(concurrency)

        async def one():
            async with gate:
                await self.open_one()

        await asyncio.gather(*(one() for _ in range(count)))

    async def probe_forever(self, interval, timeout):
        """Probes every open flow once per `interval`, spread evenly; a probe that fails ends the flow."""
        tick = 0.25
        index = 0
        while True:
            await asyncio.sleep(tick)
            alive = [f for f in self.flows if f.state == "open" and f.probe is None]
            if not alive:
                continue
            for _ in range(max(1, round(len(alive) * tick / interval))):
                flow = alive[index % len(alive)]
                index += 1
                asyncio.ensure_future(self.probe(flow, timeout))

    async def probe(self, flow, timeout):
        try:
            await asyncio.wait_for(flow.start_probe(), timeout)
            self.probes_ok += 1
            return True
        except (flows.FlowEnded, asyncio.TimeoutError) as error:
            if flow.state == "open":  # a stall: the flow is still open but nothing came back
                flow.end_reason = "probe: %s" % (str(error) or "no echo within %.0f s" % timeout)
                flow.transport.abort()
            return False

    async def probe_all(self, timeout, concurrency=500):
        """One more probe of every flow still open; returns how many failed."""
        gate = asyncio.Semaphore(concurrency)

        async def one(flow):
            async with gate:
                while flow.probe is not None and flow.state == "open":
                    await asyncio.sleep(0.05)
                if flow.state != "open":
                    return True  # its end is already recorded
                return await self.probe(flow, timeout)

        results = await asyncio.gather(*(one(f) for f in self.flows))
        return sum(1 for ok in results if not ok)

    async def close(self):
        self.refill = False
        self.closing = True
        for task in list(self.refill_tasks):
            task.cancel()
        for flow in self.flows:
            flow.close()
        await asyncio.sleep(0)


def attribute(moment, timeline, window=15.0):
    """The last event of the timeline within `window` seconds before `moment`, or None."""
    before = [(t, what) for t, what in timeline if t <= moment + 0.5 and moment - t <= window]
    return before[-1][1] if before else None


def seconds_since(start):
    return time.monotonic() - start
