"""A client that stops reading: the server's send queue stays bounded, and drains when it reads.

Routes (see InteropBackpressureTests.swift): on the text "flood" the handler sends 64 KiB binary
messages in a bounded loop until `send` refuses one, and sends the text "drained" from `onDrain`.
`/drop` uses `.dropNewMessages`, `/close` the default `.close(.policyViolation)`; both have a
1 MiB `maxBackpressure`. The raw client is used because it reads nothing unless asked.
"""

import time

from interop import (
    OP_BINARY, OP_CLOSE, OP_TEXT, RawClient, check, check_equal, run, scenario_registry,
)

SCENARIOS, scenario = scenario_registry()

CHUNK = 64 * 1024


def read_flood(client, stop_opcode):
    """Reads 64 KiB binary messages until a frame of `stop_opcode`; returns (count, that frame)."""
    count = 0
    for _ in range(10_000):
        frame = client.read_frame()
        if frame.opcode == stop_opcode:
            return count, frame
        check_equal(frame.opcode, OP_BINARY, "flood frame opcode")
        check_equal(len(frame.payload), CHUNK, "flood message size")
        count += 1
    raise AssertionError("no end to the flood")


@scenario
def drop_then_drain(port):
    """The flood stops at the limit; once the client reads it all, `onDrain` says "drained"."""
    client = RawClient(port, "/drop")
    client.send(OP_TEXT, b"flood")
    time.sleep(1.0)  # Not reading: the handler's loop runs into the limit meanwhile.
    count, frame = read_flood(client, OP_TEXT)
    check_equal(frame.payload, b"drained", "text after the flood")
    print(f"received {count} messages of 64 KiB before 'drained'")
    # Far fewer than the 4,000 the handler would have sent without a limit.
    check(0 < count < 400, f"{count} messages got through")
    # The connection is still usable after draining.
    client.send(OP_TEXT, b"flood")
    count, frame = read_flood(client, OP_TEXT)
    check_equal(frame.payload, b"drained", "text after the second flood")


@scenario
def close_policy(port):
    """With the default policy the stalled connection is closed with 1008 behind what was queued."""
    client = RawClient(port, "/close")
    client.send(OP_TEXT, b"flood")
    time.sleep(1.0)
    count, frame = read_flood(client, OP_CLOSE)
    print(f"received {count} messages of 64 KiB before the close frame")
    check_equal(frame.close_code, 1008, f"close code (reason {frame.close_reason!r})")
    check(0 < count < 400, f"{count} messages got through")


if __name__ == "__main__":
    run(SCENARIOS)
