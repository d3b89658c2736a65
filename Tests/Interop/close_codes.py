"""The close handshake and the exact close code for each protocol violation.

Route (see InteropCloseTests.swift): `/close`, which echoes messages, except that the text
"close <code> <reason>" makes the server close with that code and reason, and records every
`onClose` for the Swift side to check.
"""

from interop import (
    OP_BINARY, OP_CLOSE, OP_PING, OP_TEXT, RawClient, check_equal, close_payload, connect, encode_frame,
    expect_closed_by_server, run, scenario_registry, within,
)

SCENARIOS, scenario = scenario_registry()


@scenario
async def client_close_codes(port):
    """The server answers the client's close with the same code (1000, 3000, 4999)."""
    for code in (1000, 3000, 4999):
        async with connect(port, "/close") as ws:
            await ws.send("hello")
            check_equal(await within(ws.recv()), "hello", "echo before closing")
            await within(ws.close(code, f"client {code}"))
            check_equal(ws.protocol.close_rcvd.code, code, "echoed close code")


@scenario
async def server_close(port):
    """`socket.close(code:reason:)` reaches the client with that code and reason."""
    ws = await connect(port, "/close")
    await ws.send("close 4001 bye now")
    await expect_closed_by_server(ws, 4001, "bye now")
    await within(ws.wait_closed())


@scenario
async def server_close_long_reason(port):
    """A reason too long for a control frame is cut to 123 bytes, not inside a character."""
    ws = await connect(port, "/close")
    await ws.send("close 4002 " + "é" * 100)
    await expect_closed_by_server(ws, 4002, "é" * 61)


@scenario
def server_close_raw(port):
    """The server's close frame, byte for byte; the server ends TCP after the client's answer."""
    client = RawClient(port, "/close")
    client.send(OP_TEXT, b"close 1000 done")
    check_equal(client.expect_close(1000), b"done", "close reason")


def violation(payload_frames, code, path="/close"):
    def scenario_function(port):
        client = RawClient(port, path)
        for frame in payload_frames:
            client.send_raw(frame)
        client.expect_close(code)

    return scenario_function


VIOLATIONS = {
    "unmasked_frame": ([encode_frame(OP_TEXT, b"hi", mask=False)], 1002),
    "reserved_opcode_3": ([encode_frame(0x3, b"x")], 1002),
    "reserved_opcode_11": ([encode_frame(0xB, b"")], 1002),
    "reserved_bit_without_extension": ([encode_frame(OP_TEXT, b"x", rsv=4)], 1002),
    "rsv2": ([encode_frame(OP_BINARY, b"x", rsv=2)], 1002),
    "invalid_utf8_text": ([encode_frame(OP_TEXT, b"ok \xff\xfe")], 1007),
    "overlong_utf8_text": ([encode_frame(OP_TEXT, b"\xc0\xaf")], 1007),
    "surrogate_utf8_text": ([encode_frame(OP_TEXT, b"\xed\xa0\x80")], 1007),
    "truncated_utf8_text": ([encode_frame(OP_TEXT, "€".encode()[:2])], 1007),
    "close_code_1005": ([encode_frame(OP_CLOSE, close_payload(1005))], 1002),
    "close_code_1006": ([encode_frame(OP_CLOSE, close_payload(1006))], 1002),
    "close_code_999": ([encode_frame(OP_CLOSE, close_payload(999))], 1002),
    "close_code_1016": ([encode_frame(OP_CLOSE, close_payload(1016))], 1002),
    "close_code_5000": ([encode_frame(OP_CLOSE, close_payload(5000))], 1002),
    "close_one_byte": ([encode_frame(OP_CLOSE, b"\x03")], 1002),
    "close_invalid_utf8_reason": ([encode_frame(OP_CLOSE, close_payload(1000, b"\xff"))], 1007),
    "oversized_ping": ([encode_frame(OP_PING, b"p" * 126)], 1002),
    "oversized_close": ([encode_frame(OP_CLOSE, close_payload(1000, b"r" * 124))], 1002),
}

for _name, (_frames, _code) in VIOLATIONS.items():
    SCENARIOS[_name] = violation(_frames, _code)


@scenario
def close_without_code(port):
    """An empty close frame is answered with an empty close (no code to echo)."""
    client = RawClient(port, "/close")
    client.send(OP_CLOSE, b"")
    answer = client.read_frame()
    check_equal(answer.opcode, OP_CLOSE, "opcode")
    check_equal(answer.payload, b"", "close payload")
    client.expect_eof()


@scenario
def data_after_close_is_ignored(port):
    """Once the client's close is sent, a data frame behind it gets no echo."""
    client = RawClient(port, "/close")
    client.send_raw(encode_frame(OP_CLOSE, close_payload(1000)) + encode_frame(OP_TEXT, b"too late"))
    client.expect_close(1000)


if __name__ == "__main__":
    run(SCENARIOS)
