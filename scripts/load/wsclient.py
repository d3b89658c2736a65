"""A minimal RFC 6455 client over asyncio streams, written for load scripts: it holds thousands of
connections per process cheaply (no keepalive task, no per-connection buffers beyond the stream's),
binds each socket to a chosen source address, and lets the caller check every byte the server sends."""

import asyncio
import base64
import hashlib
import os
import socket
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA

# Linux's IP_BIND_ADDRESS_NO_PORT: bind() picks the source address only and connect() picks the port
# by the whole 4-tuple, so one source address is not limited to one connection per ephemeral port
# across all destinations (Python 3.11's socket module lacks the constant).
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)


class ProtocolError(Exception):
    """The server answered something a correct RFC 6455 server would not."""


def encode_frame(opcode, payload=b"", fin=True):
    """A client frame: always masked (RFC 6455 §5.3)."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    length = len(payload)
    if length < 126:
        head.append(0x80 | length)
    elif length < 1 << 16:
        head.append(0x80 | 126)
        head += struct.pack("!H", length)
    else:
        head.append(0x80 | 127)
        head += struct.pack("!Q", length)
    mask = os.urandom(4)
    head += mask
    if not payload:
        return bytes(head)
    # XOR with the mask repeated, done as one big integer: far faster in Python than a byte loop.
    repeated = (mask * (length // 4 + 1))[:length]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(length, "big")
    return bytes(head) + masked


class WebSocketClient:
    """One client connection. Use `connect`, then `send`/`receive`; `close_handshake` ends it cleanly."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, host, port, path="/", source=None, receive_buffer=None, read_limit=2**16,
                      extra_headers=()):
        """Connects from `source` (an address on this host, any port) and completes the upgrade;
        raises ProtocolError unless the answer is 101 with the right Sec-WebSocket-Accept.
        `read_limit` bounds what the stream reads ahead of the caller (asyncio pauses at twice it)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if receive_buffer is not None:
                # Before connect, so the window the client advertises starts small.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
            if source is not None:
                sock.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
                sock.bind((source, 0))
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (host, port))
            reader, writer = await asyncio.open_connection(sock=sock, limit=read_limit)
        except BaseException:
            sock.close()
            raise
        client = cls(reader, writer)
        try:
            await client._upgrade(host, port, path, extra_headers)
        except BaseException:
            client.abort()
            raise
        return client

    async def _upgrade(self, host, port, path, extra_headers):
        key = base64.b64encode(os.urandom(16))
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key.decode()}", "Sec-WebSocket-Version: 13", *extra_headers]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status, *fields = head.decode("latin-1").split("\r\n")
        if not status.startswith("HTTP/1.1 101"):
            raise ProtocolError(f"upgrade answered {status!r}")
        expected = base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()
        accept = [f.split(":", 1)[1].strip() for f in fields if f.lower().startswith("sec-websocket-accept:")]
        if accept != [expected]:
            raise ProtocolError(f"Sec-WebSocket-Accept {accept!r}, expected {expected!r}")

    def send(self, opcode, payload=b""):
        self.writer.write(encode_frame(opcode, payload))

    async def receive(self):
        """The next frame as (opcode, payload); a server frame must be unmasked and final
        (the demo handlers never fragment)."""
        b0, b1 = await self.reader.readexactly(2)
        if b1 & 0x80:
            raise ProtocolError("server frame is masked")
        if not b0 & 0x80:
            raise ProtocolError("server frame is fragmented")
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return b0 & 0x0F, await self.reader.readexactly(length)

    async def receive_data(self):
        """The next data or close frame; pings met on the way are answered (RFC 6455 §5.5.2), as a
        server with an idle timeout expects of a client that only listens."""
        while True:
            opcode, payload = await self.receive()
            if opcode == PING:
                self.send(PONG, payload)
            elif opcode != PONG:
                return opcode, payload

    async def ping(self, payload):
        """Sends a ping and waits for its pong; raises ProtocolError if anything else arrives first."""
        self.send(PING, payload)
        opcode, answer = await self.receive()
        if (opcode, answer) != (PONG, payload):
            raise ProtocolError(f"ping {payload!r} answered by opcode {opcode} {answer[:32]!r}")

    async def close_handshake(self, code=1000):
        """Sends a close frame, skips data frames still in flight, checks the server's close frame
        echoes `code`, then waits for the server to end TCP (it closes first, RFC 6455 §7.1.1)."""
        self.send(CLOSE, struct.pack("!H", code))
        while True:
            opcode, payload = await self.receive()
            if opcode == CLOSE:
                break
        if payload[:2] != struct.pack("!H", code):
            raise ProtocolError(f"close answered with {payload!r}")
        if await self.reader.read(1) != b"":
            raise ProtocolError("bytes after the close frame")
        self.abort()

    def abort(self):
        """Drops the connection at once (no close frame)."""
        self.writer.transport.abort()
