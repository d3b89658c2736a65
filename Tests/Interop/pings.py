"""Ping and pong in both directions.

Routes (see InteropPingTests.swift), both with a handler that echoes messages, pings the client
with "from server" on the text "ping me", reports pongs as "pong: <payload>" and (when
`deliversPings` is on) pings as "ping: <payload>": `/pings` (default) and `/delivered`
(`deliversPings = true`).
"""

from interop import (
    OP_PING, OP_PONG, OP_TEXT, RawClient, check, check_equal, connect, run, scenario_registry, within,
)

SCENARIOS, scenario = scenario_registry()


@scenario
async def websockets_ping(port):
    """websockets' ping is answered (it matches the pong's payload itself)."""
    async with connect(port, "/pings") as ws:
        for payload in (b"", b"x", b"hello", bytes(range(125))):
            latency = await within(await ws.ping(payload))
            check(latency < 1.0, f"pong after {latency:.3f} s")


@scenario
def pong_echoes_payload(port):
    """The pong carries exactly the ping's payload, up to the 125-byte maximum."""
    client = RawClient(port, "/pings")
    for payload in (b"", b"\x00", b"ping payload", bytes(range(125))):
        client.send(OP_PING, payload)
        client.expect_frame(OP_PONG, payload)
    # Not delivered on this route: the next frame is the echo, not a "ping:" message.
    client.send(OP_TEXT, b"after")
    client.expect_frame(OP_TEXT, b"after")


@scenario
def server_ping_reaches_client(port):
    """`socket.ping` reaches the client; its pong reaches `onPong`."""
    client = RawClient(port, "/pings")
    client.send(OP_TEXT, b"ping me")
    ping = client.expect_frame(OP_PING, b"from server")
    client.send(OP_PONG, ping.payload)
    client.expect_frame(OP_TEXT, b"pong: from server")


@scenario
async def server_ping_answered_by_websockets(port):
    """websockets answers the server's ping by itself; the handler sees that pong."""
    async with connect(port, "/pings") as ws:
        await ws.send("ping me")
        check_equal(await within(ws.recv()), "pong: from server", "onPong report")


@scenario
def delivered_pings(port):
    """With `deliversPings`, `onPing` sees each ping after the pong was queued."""
    client = RawClient(port, "/delivered")
    for payload in (b"one", b"", b"three"):
        client.send(OP_PING, payload)
        client.expect_frame(OP_PONG, payload)
        client.expect_frame(OP_TEXT, b"ping: " + payload)


@scenario
async def delivered_pings_websockets(port):
    async with connect(port, "/delivered") as ws:
        await within(await ws.ping(b"abc"))
        check_equal(await within(ws.recv()), "ping: abc", "onPing report")


if __name__ == "__main__":
    run(SCENARIOS)
