"""permessage-deflate (RFC 7692) against websockets' implementation.

Routes (see InteropDeflateTests.swift), all echo handlers with compression enabled: `/deflate`
(defaults), `/shared` (`sharedCompressor = true`), `/small` (1 MiB message limit), and `/plain`
(compression disabled).
"""

import asyncio
import os
import zlib

from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

from interop import (
    OP_BINARY, OP_TEXT, RawClient, check, check_equal, connect, expect_closed_by_server, run,
    scenario_registry, within,
)

SCENARIOS, scenario = scenario_registry()

MIB = 1024 * 1024


def compressible_text(size):
    record = '{"user":"alice","room":"general","text":"hello, world","seq":%d},'
    text = "[" + "".join(record % index for index in range(size // 60 + 1))
    return text[:size]


async def exchange(ws, rounds=3):
    """Echoes compressible text, random binary, and a short message, several times so context
    takeover (or its absence) spans messages."""
    for round_index in range(rounds):
        for message in (compressible_text(100_000 + round_index), os.urandom(50_000), "tiny", b"", compressible_text(70)):
            await ws.send(message)
            echoed = await within(ws.recv())
            check_equal(type(echoed), type(message), "echo type")
            check(echoed == message, f"echo differs from the {len(message)}-unit message of round {round_index}")


def negotiated(ws):
    return ws.response.headers.get("Sec-WebSocket-Extensions")


def offer(**parameters):
    return [ClientPerMessageDeflateFactory(**parameters)]


CASES = {
    # name: (route, client factory parameters or None for websockets' default, expected answer)
    "default_offer": ("/deflate", None, "permessage-deflate"),
    "server_no_context_takeover": (
        "/deflate", dict(server_no_context_takeover=True), "permessage-deflate; server_no_context_takeover"),
    "client_no_context_takeover": (
        "/deflate", dict(client_no_context_takeover=True), "permessage-deflate; client_no_context_takeover"),
    "server_max_window_bits_10": (
        "/deflate", dict(server_max_window_bits=10), "permessage-deflate; server_max_window_bits=10"),
    "client_max_window_bits_10": (
        "/deflate", dict(client_max_window_bits=10), "permessage-deflate; client_max_window_bits=10"),
    "client_max_window_bits_true": ("/deflate", dict(client_max_window_bits=True), "permessage-deflate"),
    "client_max_window_bits_absent": ("/deflate", dict(client_max_window_bits=None), "permessage-deflate"),
    "all_parameters": (
        "/deflate",
        dict(server_no_context_takeover=True, client_no_context_takeover=True, server_max_window_bits=9,
             client_max_window_bits=9),
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; "
        "client_max_window_bits=9"),
    "shared_compressor": ("/shared", None, "permessage-deflate; server_no_context_takeover"),
    # The worker's one compressor uses a 15-bit window: a client that can only inflate 10 bits is
    # declined, and the connection runs uncompressed.
    "shared_compressor_small_window": ("/shared", dict(server_max_window_bits=10), None),
    "disabled": ("/plain", None, None),
}


def negotiation_scenario(path, parameters, expected):
    async def scenario_function(port):
        extensions = None if parameters is None else offer(**parameters)
        async with connect(port, path, extensions=extensions, compression="deflate") as ws:
            check_equal(negotiated(ws), expected, "Sec-WebSocket-Extensions answer")
            await exchange(ws)

    return scenario_function


for _name, (_path, _parameters, _expected) in CASES.items():
    SCENARIOS[_name] = negotiation_scenario(_path, _parameters, _expected)


@scenario
async def shared_compressor_interleaved(port):
    """Two connections on the worker's shared compressor, their messages interleaved: each must
    inflate on its own (no context may leak from one connection's message into the other's)."""
    async with connect(port, "/shared") as first, connect(port, "/shared") as second:
        for index in range(20):
            for ws, name in ((first, "first"), (second, "second")):
                message = compressible_text(5_000 + index) + name
                await ws.send(message)
                check(await within(ws.recv()) == message, f"{name} connection, message {index}")
        await asyncio.gather(*(ws.send(compressible_text(200_000) + str(i)) for i, ws in enumerate((first, second))))
        for index, ws in enumerate((first, second)):
            check(await within(ws.recv()) == compressible_text(200_000) + str(index), "concurrent large echo")


@scenario
async def sixteen_mib_compressed(port):
    """16 MiB (the default limit, inclusive) inflated from a small compressed frame is accepted."""
    async with connect(port, "/deflate") as ws:
        message = compressible_text(16 * MIB)
        await ws.send(message)
        check(await within(ws.recv(), 20) == message, "16 MiB compressed echo")


@scenario
async def decompression_bomb(port):
    """16 MiB + 1 of zeros, a few KiB on the wire, inflates past the default limit: 1009."""
    ws = await connect(port, "/deflate")
    await ws.send(bytes(16 * MIB + 1))
    await expect_closed_by_server(ws, 1009)


@scenario
async def decompression_bomb_configured_limit(port):
    """On `/small` (1 MiB), exactly 1 MiB inflated passes and one byte more is refused with 1009."""
    ws = await connect(port, "/small")
    await ws.send(bytes(MIB))
    check_equal(len(await within(ws.recv())), MIB, "echo at the limit")
    await ws.send(bytes(MIB + 1))
    await expect_closed_by_server(ws, 1009)


def deflate_raw(data, compressor):
    compressed = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    check(compressed.endswith(b"\x00\x00\xff\xff"), "sync flush marker")
    return compressed[:-4]


@scenario
def raw_compressed_frames(port):
    """Frame-level view: the server sets RSV1 on compressed messages (and inflating them gives the
    echo), leaves messages under 64 bytes uncompressed, and inflates the client's RSV1 frames,
    including a compressed message split into fragments (RSV1 on the first only)."""
    client = RawClient(port, "/deflate", headers=["Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover"])
    check_equal(
        client.response_headers.get("sec-websocket-extensions"),
        "permessage-deflate; client_no_context_takeover", "extension answer")
    inflater = zlib.decompressobj(-15)
    for message in (compressible_text(10_000).encode(), b"short", compressible_text(100_000).encode()):
        compressed = deflate_raw(message, zlib.compressobj(wbits=-15))
        client.send(OP_TEXT, compressed, rsv=4)
        frame = client.expect_frame(OP_TEXT)
        if len(message) < 64:
            check_equal(frame.rsv, 0, "RSV bits of a short echo")
            check_equal(frame.payload, message, "short echo")
        else:
            check_equal(frame.rsv, 4, "RSV1 on a compressed echo")
            check(len(frame.payload) < len(message) // 4, f"{len(message)} bytes compressed to {len(frame.payload)}")
            inflated = inflater.decompress(frame.payload + b"\x00\x00\xff\xff")
            check(inflated == message, "inflated echo")
    compressed = deflate_raw(b"fragmented and compressed " * 100, zlib.compressobj(wbits=-15))
    client.send(OP_BINARY, compressed[:10], fin=False, rsv=4)
    client.send(0x0, compressed[10:], fin=True)
    frame = client.expect_frame(OP_BINARY)
    check_equal(inflater.decompress(frame.payload + b"\x00\x00\xff\xff"), b"fragmented and compressed " * 100, "echo")


def inflate_with_small_output(data, wbits):
    """Inflates 64 bytes at a time, as a memory-frugal client would: zlib then only remembers its
    window, so a back-reference beyond it fails as it would in such a client (one large output
    buffer would hide it, since zlib also accepts references into the output it already holds)."""
    inflater = zlib.decompressobj(wbits)
    output = b""
    for _ in range(1_000_000):
        output += inflater.decompress(data, 64)
        data = inflater.unconsumed_tail
        if not data:
            return output + inflater.flush()
    raise AssertionError("inflating did not finish")


@scenario
def raw_server_max_window_bits_8(port):
    """A client that can only inflate with a 256-byte window (server_max_window_bits=8, valid in RFC
    7692) must never see a back-reference farther than 256 bytes. zlib cannot deflate raw streams
    with an 8-bit window; with 9 bits its matches reach at most 512 - 262 = 250 bytes back, so
    that is a safe way to honour 8. Either way, the echo must inflate with an 8-bit window."""
    client = RawClient(port, "/deflate", headers=["Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=8"])
    answer = client.response_headers.get("sec-websocket-extensions")
    block = os.urandom(200)
    message = block * 6  # Repeats at distance 200, which a 256-byte window can reach.
    client.send(OP_BINARY, message)
    frame = client.expect_frame(OP_BINARY)
    # The server accepts 8 (PerMessageDeflateNegotiationTests), and a 1200-byte echo is compressed.
    check_equal(answer, "permessage-deflate; server_max_window_bits=8", "extension answer")
    check_equal(frame.rsv, 4, "the echo is compressed (RSV1)")
    check(len(frame.payload) < 1000, f"the server found repeats ({len(frame.payload)} compressed bytes)")
    try:
        inflated = inflate_with_small_output(frame.payload + b"\x00\x00\xff\xff", -8)
    except zlib.error as error:
        raise AssertionError(f"the echo does not inflate with the agreed 8-bit window: {error}")
    check(inflated == message, "inflated echo")


@scenario
def raw_invalid_compressed_data(port):
    """Garbage in an RSV1 frame is not valid deflate data: the server closes (1007, RFC 7692
    section 8.1 leaves the code open; invalid payload data is the usual choice)."""
    client = RawClient(port, "/deflate", headers=["Sec-WebSocket-Extensions: permessage-deflate"])
    client.send(OP_BINARY, b"\xff\xff\xff\xff\xff", rsv=4)
    client.expect_close(1007)


@scenario
def raw_many_deflate_streams(port):
    """32 KiB of data, then a million empty final blocks (`03 00`), each ending a DEFLATE stream
    (RFC 7692 7.2.3.4 lets a new one start in the same message): far more streams than a 2 MB
    message may hold, so the server closes with 1009 and says why. A connection on the same
    worker is answered afterwards."""
    headers = ["Sec-WebSocket-Extensions: permessage-deflate"]
    bystander = RawClient(port, "/deflate", headers=headers)
    client = RawClient(port, "/deflate", headers=headers)
    data = deflate_raw(os.urandom(32 * 1024), zlib.compressobj(wbits=-15)) + b"\x00\x00\xff\xff"
    client.send(OP_BINARY, data + b"\x03\x00" * 1_000_000, rsv=4)
    check_equal(client.expect_close(1009), b"too many deflate streams in one message", "close reason")
    bystander.send(OP_TEXT, b"still here")
    check_equal(bystander.expect_frame(OP_TEXT).payload, b"still here", "echo on the same worker")


@scenario
def raw_rsv1_on_continuation(port):
    """RSV1 on a continuation frame is a protocol error (1002), even with the extension on."""
    client = RawClient(port, "/deflate", headers=["Sec-WebSocket-Extensions: permessage-deflate"])
    client.send(OP_TEXT, b"plain ", fin=False)
    client.send(0x0, b"text", fin=True, rsv=4)
    client.expect_close(1002)


if __name__ == "__main__":
    run(SCENARIOS)
