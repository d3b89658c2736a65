#!/usr/bin/env python3
"""Server CPU per chat `say`, next to the same load on the echo route (the floor: framing and I/O).

Starts `ringwire --workers W` on loopback, opens C connections, each joins a room of its own (so every
`say` comes back once, to its sender), and sends N says per connection in batches of B, waiting for
the batch's messages. The server's user+system CPU (from /proc/PID/stat) over the sending phase,
divided by the number of says, is the figure; then the same bytes go to the echo route.
Usage: Benchmarks/chat_say_cpu.py [path/to/ringwire] [--workers 2] [--connections 4] [--says 20000] [--batch 100]
"""

import argparse
import asyncio
import json
import os
import subprocess
import time
import urllib.request

import websockets

TEXT = "hello everyone, how is the benchmark going today? ✓"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def chat_client(port, index, says, batch, ready, go):
    async with websockets.connect(f"ws://127.0.0.1:{port}/chat", compression=None, max_size=None) as ws:
        await ws.send(json.dumps({"type": "join", "room": f"bench{index}", "name": f"user{index}"}))
        assert json.loads(await ws.recv())["type"] == "welcome"
        ready.release()
        await go.wait()
        say = json.dumps({"type": "say", "text": TEXT})
        for _ in range(says // batch):
            for _ in range(batch):
                await ws.send(say)
            for _ in range(batch):
                assert json.loads(await ws.recv())["text"] == TEXT


async def echo_client(port, says, batch, ready, go):
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", compression=None, max_size=None) as ws:
        ready.release()
        await go.wait()
        say = json.dumps({"type": "say", "text": TEXT})
        for _ in range(says // batch):
            for _ in range(batch):
                await ws.send(say)
            for _ in range(batch):
                await ws.recv()


async def measure(pid, clients):
    ready, go = asyncio.Semaphore(0), asyncio.Event()
    tasks = [asyncio.create_task(make(ready, go)) for make in clients]
    for _ in clients:
        await asyncio.wait_for(ready.acquire(), 10)
    before = cpu_seconds(pid)
    go.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 600)
    return cpu_seconds(pid) - before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=".build/release/ringwire")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--says", type=int, default=20000, help="per connection")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--port", type=int, default=19811)
    args = parser.parse_args()
    port = args.port
    server = subprocess.Popen([args.binary, "--workers", str(args.workers), "--host", "127.0.0.1",
                               "--http-port", str(port), "--ws-port", str(port + 1), "--log-level", "error"])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        total = args.connections * (args.says // args.batch) * args.batch
        chat = asyncio.run(measure(server.pid, [
            lambda ready, go, i=i: chat_client(port, i, args.says, args.batch, ready, go)
            for i in range(args.connections)]))
        echo = asyncio.run(measure(server.pid, [
            lambda ready, go: echo_client(port, args.says, args.batch, ready, go)
            for _ in range(args.connections)]))
        print(f"{total} says over {args.connections} connections, {args.workers} workers, batches of {args.batch}:")
        print(f"  chat say: {chat:.2f} s server CPU, {chat / total * 1e6:.1f} µs per say")
        print(f"  echo (same bytes on /ws): {echo:.2f} s server CPU, {echo / total * 1e6:.1f} µs per message")
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
