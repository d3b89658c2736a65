"""The idle timeout, with and without keepalive pings.

Routes (see InteropIdleTimeoutTests.swift), echo handlers with `idleTimeout` 0.5 s: `/silent`
(`sendsPings = false`) and `/pinging` (`sendsPings = true`).
"""

import asyncio
import time

from interop import (
    OP_PING, OP_PONG, OP_TEXT, RawClient, check, check_equal, connect, expect_closed_by_server, run,
    scenario_registry, within,
)

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
async def traffic_resets_timer(port):
    """Messages every 0.25 s keep the connection open past several timeouts."""
    async with connect(port, "/silent") as ws:
        for index in range(8):
            await asyncio.sleep(0.25)
            await ws.send(str(index))
            check_equal(await within(ws.recv()), str(index), "echo")
        started = time.monotonic()
        await expect_closed_by_server(ws, 1001)
        check(time.monotonic() - started <= 1.5, "closed once the traffic stopped")


@scenario
async def answered_pings_keep_connection(port):
    """With pings on, websockets answers them and 2 s of silence (4 timeouts) do not close it."""
    async with connect(port, "/pinging") as ws:
        await asyncio.sleep(2.0)
        check_equal(ws.state.name, "OPEN", "connection state after 2 s of silence")
        await ws.send("still there")
        check_equal(await within(ws.recv()), "still there", "echo after the silence")


@scenario
def unanswered_pings_close(port):
    """A client that does not answer: a ping after 0.5 s, then close 1001 after another 0.5 s."""
    client = RawClient(port, "/pinging")
    started = time.monotonic()
    client.expect_frame(OP_PING, b"")
    pinged = time.monotonic() - started
    client.expect_close(1001)
    closed = time.monotonic() - started
    print(f"pinged after {pinged:.3f} s, closed after {closed:.3f} s")
    check(0.4 <= pinged <= 1.0, f"pinged after {pinged:.3f} s")
    check(0.8 <= closed <= 2.0, f"closed after {closed:.3f} s")


@scenario
def raw_pong_keeps_connection(port):
    """Answering the server's pings by hand keeps the connection open as well."""
    client = RawClient(port, "/pinging")
    started = time.monotonic()
    for _ in range(4):
        ping = client.expect_frame(OP_PING)
        client.send(OP_PONG, ping.payload)
    check(time.monotonic() - started >= 1.5, "four pings take at least four timeouts")
    client.send(OP_TEXT, b"alive")
    client.expect_frame(OP_TEXT, b"alive")


if __name__ == "__main__":
    run(SCENARIOS)
