"""Holds WebSocket connections from one source address, driven line by line over stdin; each command
is answered by one JSON line on stdout. Exits when stdin closes, so it never outlives its driver.

    open N    connect and upgrade N more connections (at most 64 handshakes in flight)
    ping      ping every connection; each pong must carry its own ping's payload
    close     close handshake on every connection, then wait for the server's TCP close
"""

import argparse
import asyncio
import json
import sys

from wsclient import WebSocketClient

HANDSHAKES_IN_FLIGHT = 64
STEP_TIMEOUT_SECONDS = 120


def report(**fields):
    print(json.dumps(fields), flush=True)


async def run_all(coroutines):
    """Runs them all, bounded in time; returns (successes, failures, first few error texts)."""
    results = await asyncio.wait_for(asyncio.gather(*coroutines, return_exceptions=True), STEP_TIMEOUT_SECONDS)
    errors = [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
    return len(results) - len(errors), len(errors), errors[:3]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--source", required=True, help="local address to connect from, e.g. 127.0.0.2")
    args = parser.parse_args()
    clients = []
    gate = asyncio.Semaphore(HANDSHAKES_IN_FLIGHT)

    async def open_one():
        async with gate:
            clients.append(await WebSocketClient.connect(args.host, args.port, "/", source=args.source))

    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        command, *operands = line.split()
        if command == "open":
            ok, failed, errors = await run_all(open_one() for _ in range(int(operands[0])))
            report(command=command, ok=ok, failed=failed, errors=errors, held=len(clients))
        elif command == "ping":
            ok, failed, errors = await run_all(
                c.ping(index.to_bytes(4, "big")) for index, c in enumerate(clients))
            report(command=command, ok=ok, failed=failed, errors=errors)
        elif command == "close":
            ok, failed, errors = await run_all(c.close_handshake() for c in clients)
            for client in clients:
                client.abort()
            clients.clear()
            report(command=command, ok=ok, failed=failed, errors=errors)
        else:
            report(command=command, error="unknown command")


if __name__ == "__main__":
    asyncio.run(main())
