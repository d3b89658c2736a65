"""Shared helpers for the interoperability scenarios.

Each scenario script is run as `python3 <script>.py <scenario> <port>` by an XCTest case that has
started a Ringwire server on 127.0.0.1:<port>. A scenario raises (usually through `check`) to fail;
the script then prints the traceback and exits 1. Every wait is bounded, so a scenario either
passes, fails or times out on its own well before the XCTest's outer timeout.

Two clients are available: the independent `websockets` library (via `connect`), and `RawClient`,
a minimal blocking client that speaks frames byte by byte, for what `websockets` will not send
(protocol violations, unmasked frames) or hides (pings, exact frame boundaries, not reading).
"""

import asyncio
import base64
import hashlib
import inspect
import os
import signal
import socket
import struct
import sys
import time
import traceback

import websockets
from websockets.asyncio.client import connect as _connect

HOST = "127.0.0.1"
#: Bound on any single wait (a frame, a response, a close): generous for a loaded CI machine.
#: scripts/sanitizers raises it: under AddressSanitizer the debug server inflates 16 MiB in ~10 s.
WAIT = float(os.environ.get("RINGWIRE_INTEROP_WAIT", "5"))
#: Bound on a whole scenario, enforced with SIGALRM so a stuck scenario fails with a traceback.
SCENARIO_LIMIT = 30

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA


class ScenarioFailure(AssertionError):
    """A check that did not hold."""


def check(condition, message):
    """Fails the scenario with `message` unless `condition` holds."""
    if not condition:
        raise ScenarioFailure(message)


def check_equal(actual, expected, what):
    """Fails the scenario unless `actual == expected`; long values are abbreviated."""
    if actual != expected:
        raise ScenarioFailure(f"{what}: expected {abbreviate(expected)}, got {abbreviate(actual)}")


def abbreviate(value, limit=120):
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f" ({len(value)} items)" if hasattr(value, "__len__") else ""
    return text[:limit] + "..." + size


def connect(port, path="/", **options):
    """A `websockets` client connection with test-friendly defaults: no size limit, no keepalive
    pings of its own (so only the server's pings are in play), no proxy from the environment, and
    bounded handshake and close waits."""
    settings = dict(max_size=None, ping_interval=None, open_timeout=WAIT, close_timeout=WAIT, proxy=None)
    settings.update(options)
    return _connect(f"ws://{HOST}:{port}{path}", **settings)


async def within(awaitable, seconds=WAIT):
    """Awaits `awaitable`, failing the scenario if it takes more than `seconds`."""
    return await asyncio.wait_for(awaitable, seconds)


async def expect_closed_by_server(ws, code, reason=None):
    """Waits for the server's close frame on a `websockets` connection (discarding messages that
    were still in flight) and checks its code, and its reason when given."""
    try:
        for _ in range(100_000):
            await within(ws.recv())
        raise ScenarioFailure("the server never closed the connection")
    except websockets.ConnectionClosed:
        pass
    received = ws.protocol.close_rcvd
    check(received is not None, f"no close frame received (we sent {ws.protocol.close_sent!r})")
    check_equal(received.code, code, f"close code (reason {received.reason!r})")
    if reason is not None:
        check_equal(received.reason, reason, "close reason")


def text_of_size(size):
    """A text message of exactly `size` UTF-8 bytes, mostly multi-byte characters so the server's
    UTF-8 validation sees 2-, 3- and 4-byte sequences."""
    pattern = "héllo wörld € 😀 "
    unit = len(pattern.encode())
    return pattern * (size // unit) + "a" * (size % unit)


# MARK: Raw frames


def encode_frame(opcode, payload=b"", fin=True, mask=True, rsv=0, length=None):
    """One frame as bytes. `rsv` is the 3-bit RSV1..3 field; `length` overrides the declared
    payload length (to declare more than is sent)."""
    declared = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if mask else 0
    if declared < 126:
        head += bytes([mask_bit | declared])
    elif declared < 65536:
        head += bytes([mask_bit | 126]) + struct.pack("!H", declared)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", declared)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + apply_mask(payload, key)


def apply_mask(payload, key):
    if not payload:
        return b""
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


class Frame:
    def __init__(self, fin, rsv, opcode, payload):
        self.fin, self.rsv, self.opcode, self.payload = fin, rsv, opcode, payload

    @property
    def close_code(self):
        return struct.unpack("!H", self.payload[:2])[0] if len(self.payload) >= 2 else None

    @property
    def close_reason(self):
        return self.payload[2:]

    def __repr__(self):
        return f"Frame(fin={self.fin}, rsv={self.rsv}, opcode={self.opcode:#x}, payload={abbreviate(self.payload, 60)})"


class RawClient:
    """A blocking WebSocket client that sends and reads individual frames, with every read bounded
    by `WAIT`. Nothing is read unless a method asks, which lets a scenario play a stalled client."""

    def __init__(self, port, path="/", headers=(), timeout=WAIT):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        # Unread bytes are buffer[offset:]; consumed bytes are dropped in large steps so reading
        # hundreds of MiB stays linear.
        self.buffer = bytearray()
        self.offset = 0
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: {HOST}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            *headers,
        ]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status, self.response_headers = self._read_head()
        check_equal(status, 101, "handshake status")
        expected = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        check_equal(self.response_headers.get("sec-websocket-accept"), expected, "Sec-WebSocket-Accept")

    def _read_head(self):
        while (end := self.buffer.find(b"\r\n\r\n", self.offset)) < 0:
            self._fill()
        head = self._take(end + 4 - self.offset)[:-4]
        status_line, *fields = head.decode("latin-1").split("\r\n")
        headers = {}
        for field in fields:
            name, _, value = field.partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split(" ")[1]), headers

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise EOFError("connection closed by the server")
        self.buffer += chunk

    def _take(self, count):
        while len(self.buffer) - self.offset < count:
            self._fill()
        data = bytes(self.buffer[self.offset : self.offset + count])
        self.offset += count
        if self.offset >= 1 << 20:
            del self.buffer[: self.offset]
            self.offset = 0
        return data

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, opcode, payload=b"", **options):
        self.sock.sendall(encode_frame(opcode, payload, **options))

    def read_frame(self):
        first, second = self._take(2)
        check(second & 0x80 == 0, "a server frame was masked")
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._take(8))[0]
        return Frame(bool(first & 0x80), (first >> 4) & 0x7, first & 0x0F, self._take(length))

    def expect_frame(self, opcode, payload=None):
        frame = self.read_frame()
        check_equal(frame.opcode, opcode, f"opcode of {frame!r}")
        if payload is not None:
            check_equal(frame.payload, payload, "payload")
        return frame

    def expect_close(self, code):
        """Reads the next frame, which must be a close with `code`; answers it and checks that the
        server then ends the TCP connection. Returns the close reason."""
        frame = self.read_frame()
        check_equal(frame.opcode, OP_CLOSE, f"opcode of {frame!r}")
        check_equal(frame.close_code, code, f"close code (reason {frame.close_reason!r})")
        try:
            self.send(OP_CLOSE, frame.payload[:2])
        except OSError:
            pass  # The server may already have closed; its close frame is what matters.
        self.expect_eof()
        return frame.close_reason

    def expect_eof(self):
        check(len(self.buffer) == self.offset, f"unexpected bytes after the close frame: {abbreviate(bytes(self.buffer[self.offset:]))}")
        try:
            while True:
                self._fill()
                check(False, f"unexpected bytes after the close frame: {abbreviate(bytes(self.buffer[self.offset:]))}")
        except (EOFError, ConnectionResetError):
            pass

    def close(self):
        self.sock.close()


def http_exchange(port, request):
    """Sends a raw HTTP request and returns (status, lowercase headers, body) of the response,
    reading the body by Content-Length."""
    with socket.create_connection((HOST, port), timeout=WAIT) as sock:
        sock.sendall(request.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            check(chunk, f"connection closed before a full response head: {data!r}")
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        status_line, *fields = head.decode("latin-1").split("\r\n")
        headers = {}
        for field in fields:
            name, _, value = field.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            check(chunk, "connection closed before the full body")
            body += chunk
        return int(status_line.split(" ")[1]), headers, body


# MARK: Running


def run(scenarios):
    """Runs the scenario named by argv[1] against the port in argv[2]; exits 0 on success."""
    if len(sys.argv) != 3 or sys.argv[1] not in scenarios:
        print(f"usage: {sys.argv[0]} <{'|'.join(scenarios)}> <port>", file=sys.stderr)
        sys.exit(2)
    name, port = sys.argv[1], int(sys.argv[2])

    def timed_out(signum, frame):
        raise TimeoutError(f"scenario {name} exceeded {SCENARIO_LIMIT} s")

    signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(SCENARIO_LIMIT)
    started = time.monotonic()
    try:
        result = scenarios[name](port)
        if inspect.iscoroutine(result):
            asyncio.run(result)
    except BaseException:
        traceback.print_exc()
        print(f"FAIL {name} after {time.monotonic() - started:.2f} s", flush=True)
        sys.exit(1)
    print(f"ok {name} ({time.monotonic() - started:.2f} s)", flush=True)


def scenario_registry():
    """A dict and a decorator that adds functions to it under their name."""
    scenarios = {}

    def register(function):
        scenarios[function.__name__] = function
        return function

    return scenarios, register
