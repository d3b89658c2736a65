"""Fragmented messages are reassembled; control frames may arrive between fragments.

Route (see InteropFragmentationTests.swift): `/echo`, an echo handler.
"""

import os

from interop import (
    OP_BINARY, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT, RawClient, check_equal, connect, run,
    scenario_registry, within,
)

SCENARIOS, scenario = scenario_registry()


@scenario
async def websockets_fragments(port):
    """websockets sends an iterable as one fragmented message; the echo is the whole message."""
    async with connect(port, "/echo") as ws:
        await ws.send(["frag", "men", "ted ", "tëxt €"])
        check_equal(await within(ws.recv()), "fragmented tëxt €", "text echo")
        await ws.send([b"\x00\x01", b"", b"\x02\x03"])
        check_equal(await within(ws.recv()), b"\x00\x01\x02\x03", "binary echo")
        pieces = [os.urandom(1000) for _ in range(200)]
        await ws.send(pieces)
        check_equal(await within(ws.recv()) == b"".join(pieces), True, "200-fragment echo is identical")

        async def generated():
            for index in range(50):
                yield f"{index},"

        await ws.send(generated())
        check_equal(await within(ws.recv()), "".join(f"{index}," for index in range(50)), "async fragments")


@scenario
def utf8_split_across_fragments(port):
    """A text message cut inside multi-byte characters at every possible point is still valid."""
    client = RawClient(port, "/echo")
    text = "a€😀é".encode()
    for cut in range(len(text) + 1):
        client.send(OP_TEXT, text[:cut], fin=False)
        client.send(OP_CONTINUATION, text[cut:], fin=True)
        client.expect_frame(OP_TEXT, text)


@scenario
def ping_between_fragments(port):
    """A ping between two fragments is answered at once; the message is then echoed whole."""
    client = RawClient(port, "/echo")
    client.send(OP_TEXT, b"Hel", fin=False)
    client.send(OP_PING, b"in between")
    client.expect_frame(OP_PONG, b"in between")
    client.send(OP_CONTINUATION, b"lo, ", fin=False)
    client.send(OP_PONG, b"unsolicited")  # A pong between fragments is allowed too, and ignored.
    client.send(OP_CONTINUATION, b"world", fin=True)
    client.expect_frame(OP_TEXT, b"Hello, world")
    client.send(OP_BINARY, b"", fin=False)
    client.send(OP_PING, b"")
    client.expect_frame(OP_PONG, b"")
    client.send(OP_CONTINUATION, b"", fin=True)
    client.expect_frame(OP_BINARY, b"")


@scenario
def continuation_without_message(port):
    """A continuation frame with no message open is a protocol error (1002)."""
    client = RawClient(port, "/echo")
    client.send(OP_CONTINUATION, b"orphan", fin=True)
    client.expect_close(1002)


@scenario
def new_message_inside_fragmented_one(port):
    """A text frame while a fragmented message is open is a protocol error (1002)."""
    client = RawClient(port, "/echo")
    client.send(OP_TEXT, b"first", fin=False)
    client.send(OP_TEXT, b"second", fin=True)
    client.expect_close(1002)


@scenario
def fragmented_ping(port):
    """Control frames must not be fragmented (1002)."""
    client = RawClient(port, "/echo")
    client.send(OP_PING, b"half", fin=False)
    client.expect_close(1002)


if __name__ == "__main__":
    run(SCENARIOS)
