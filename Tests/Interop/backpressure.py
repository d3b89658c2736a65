"""A client that stops reading: the server's send queue stays bounded, and drains when it reads.

Routes (see InteropBackpressureTests.swift), both with a 1 MiB `maxBackpressure`: on the text
"flood" the handler starts sending 4,000 numbered 64 KiB binary messages (256 MiB), each burst
until `send` refuses one, resuming from `onDrain`, and sends the text "drained" from the
`onDrain` after the last one; on "measure" it records its memory and send queue for the Swift
side. `/drop` uses `.dropNewMessages` (a refused message is sent again later), `/close` the
default `.close(.policyViolation)`. The raw client is used because it reads nothing unless asked.
"""

import struct
import time

from interop import (
    OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, RawClient, check, check_equal, run, scenario_registry,
)

SCENARIOS, scenario = scenario_registry()

CHUNK = 64 * 1024
TOTAL = 4000


@scenario
def drop_then_drain(port):
    """Stalled for a second, the flood waits; reading, the client gets all 4,000 messages in order
    (none lost to `.dropped`: the handler sends them again), a pong for the ping it sent while
    stalled, then "drained"."""
    client = RawClient(port, "/drop")
    client.send(OP_TEXT, b"flood")
    time.sleep(1.0)  # Not reading: kernel buffers fill, then the server's queue goes over 1 MiB.
    client.send(OP_TEXT, b"measure")
    client.send(OP_PING, b"stalled")
    time.sleep(0.2)
    started = time.monotonic()
    expected, pongs = 0, 0
    for _ in range(TOTAL + 10):
        frame = client.read_frame()
        if frame.opcode == OP_PONG:
            check_equal(frame.payload, b"stalled", "pong payload")
            pongs += 1
            continue
        if frame.opcode == OP_TEXT:
            check_equal(frame.payload, b"drained", "text after the flood")
            break
        check_equal(frame.opcode, OP_BINARY, "flood frame opcode")
        check_equal(len(frame.payload), CHUNK, "flood message size")
        check_equal(struct.unpack("!I", frame.payload[:4])[0], expected, "message number")
        expected += 1
    check_equal(expected, TOTAL, "messages received before 'drained'")
    check_equal(pongs, 1, "pongs (control frames are never dropped)")
    print(f"read {TOTAL} messages in {time.monotonic() - started:.2f} s")


@scenario
def close_policy(port):
    """With the default policy, a handler that sends past the limit gets its connection closed
    with 1008, behind what was already queued."""
    client = RawClient(port, "/close")
    client.send(OP_TEXT, b"flood")
    time.sleep(0.5)
    count = 0
    for _ in range(TOTAL + 1):
        frame = client.read_frame()
        if frame.opcode == OP_CLOSE:
            break
        check_equal(frame.opcode, OP_BINARY, "flood frame opcode")
        count += 1
    check_equal(frame.opcode, OP_CLOSE, "the last frame")
    check_equal(frame.close_code, 1008, f"close code (reason {frame.close_reason!r})")
    check(0 < count < 100, f"{count} messages of 64 KiB before the close")
    print(f"{count} messages of 64 KiB before the close")
    client.send(OP_CLOSE, frame.payload[:2])
    client.expect_eof()


if __name__ == "__main__":
    run(SCENARIOS)
