"""The idle timeout, with and without keepalive pings, against the websockets library (the exact
timings, traffic resetting the timer and unanswered pings are harness tests: WebSocketIdleTimeoutTests).

Routes (see InteropIdleTimeoutTests.swift), echo handlers with `idleTimeout` 0.5 s: `/silent`
(`sendsPings = false`) and `/pinging` (`sendsPings = true`).
"""

import asyncio
import time

from interop import check, check_equal, connect, expect_closed_by_server, run, scenario_registry, within

SCENARIOS, scenario = scenario_registry()


@scenario
async def closes_silent_connection(port):
    """Without pings, 0.5 s of silence closes the connection with 1001."""
    ws = await connect(port, "/silent")
    started = time.monotonic()
    await expect_closed_by_server(ws, 1001)
    elapsed = time.monotonic() - started
    print(f"closed after {elapsed:.3f} s")
    check(0.4 <= elapsed <= 1.5, f"closed after {elapsed:.3f} s, expected about 0.5 s")


@scenario
async def answered_pings_keep_connection(port):
    """With pings on, websockets answers them and 2 s of silence (4 timeouts) do not close it."""
    async with connect(port, "/pinging") as ws:
        await asyncio.sleep(2.0)
        check_equal(ws.state.name, "OPEN", "connection state after 2 s of silence")
        await ws.send("still there")
        check_equal(await within(ws.recv()), "still there", "echo after the silence")


if __name__ == "__main__":
    run(SCENARIOS)
