"""Echo at every frame-length boundary up to the 16 MiB default limit, and the 1009 beyond it.

Routes (see InteropEchoTests.swift): `/echo` with default limits (16 MiB, inclusive), `/small`
with a 1,000-byte message limit.
"""

import os

import websockets

from interop import (
    OP_BINARY, OP_CONTINUATION, OP_TEXT, RawClient, check_equal, connect, expect_closed_by_server, run,
    scenario_registry, text_of_size, within,
)

SCENARIOS, scenario = scenario_registry()

MIB = 1024 * 1024
SIZES = [0, 1, 125, 126, 65535, 65536, MIB, 16 * MIB]


@scenario
async def sizes(port):
    """Text and binary of each size come back identical and with the same type."""
    async with connect(port, "/echo") as ws:
        for size in SIZES:
            text = text_of_size(size)
            await ws.send(text)
            echoed = await within(ws.recv())
            check_equal(type(echoed), str, f"type of the {size}-byte text echo")
            check_equal(len(echoed.encode()), size, "text echo size")
            check_equal(echoed == text, True, f"{size}-byte text echo is identical")
            data = os.urandom(size)
            await ws.send(data)
            echoed = await within(ws.recv())
            check_equal(type(echoed), bytes, f"type of the {size}-byte binary echo")
            check_equal(len(echoed), size, "binary echo size")
            check_equal(echoed == data, True, f"{size}-byte binary echo is identical")


@scenario
async def over_default_limit(port):
    """A 16 MiB + 1 byte message (one frame) gets close 1009."""
    # Not `async with`: its exit would close again a connection the server already ended, which
    # websockets 17 mishandles when the server reset it (it stopped reading the oversized frame).
    ws = await connect(port, "/echo")
    try:
        await ws.send(os.urandom(16 * MIB + 1))
    except websockets.ConnectionClosed:
        pass  # The server may stop reading before the whole frame is written.
    await expect_closed_by_server(ws, 1009)


@scenario
def over_default_limit_declared(port):
    """A frame header declaring 16 MiB + 1 bytes is refused with 1009 before its payload is sent."""
    client = RawClient(port, "/echo")
    client.send_raw(b"\x82\xff" + (16 * MIB + 1).to_bytes(8, "big") + os.urandom(4))
    client.expect_close(1009)


@scenario
async def configured_limit(port):
    """On `/small`, 1,000 bytes pass and 1,001 get 1009."""
    async with connect(port, "/small") as ws:
        await ws.send(b"x" * 1000)
        check_equal(len(await within(ws.recv())), 1000, "echo at the limit")
        await ws.send(b"x" * 1001)
        await expect_closed_by_server(ws, 1009)


@scenario
def configured_limit_fragmented(port):
    """On `/small`, fragments under the limit whose sum exceeds it get 1009."""
    client = RawClient(port, "/small")
    client.send(OP_TEXT, b"a" * 600, fin=False)
    client.send(OP_CONTINUATION, b"b" * 401, fin=True)
    client.expect_close(1009)


@scenario
def raw_binary_echo(port):
    """The raw client's own framing (16- and 64-bit lengths) is understood and echoed as one frame."""
    client = RawClient(port, "/echo")
    for size in (0, 125, 126, 65535, 65536, 200_000):
        payload = os.urandom(size)
        client.send(OP_BINARY, payload)
        frame = client.expect_frame(OP_BINARY)
        check_equal(frame.fin, True, "FIN of the echo")
        check_equal(frame.payload == payload, True, f"{size}-byte echo is identical")


if __name__ == "__main__":
    run(SCENARIOS)
