#!/usr/bin/env python3
"""How evenly the two connection distributions spread long-lived connections over workers.

Starts `ringwire --workers W --distribution MODE` for each mode, opens C connections from one
client (loopback only), reads the per-worker counts from `/stats`, and repeats R times.
Usage: Benchmarks/distribution.py [path/to/ringwire] [--workers 2] [--connections 100] [--runs 20]
"""

import argparse
import json
import socket
import subprocess
import time
import urllib.request


def one_run(binary, mode, workers, connections, port=19801):
    server = subprocess.Popen([binary, "--workers", str(workers), "--host", "127.0.0.1", "--http-port", str(port),
                               "--ws-port", str(port + 1), "--distribution", mode, "--log-level", "error"])
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
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(connections)]
        time.sleep(0.3)
        stats = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5).read())
        for s in sockets:
            s.close()
        # The /stats request itself is one more connection on some worker.
        return stats["workers"]
    finally:
        server.terminate()
        server.wait(timeout=15)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=".build/release/ringwire")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for mode in ("reusePort", "acceptor"):
        spreads = []
        for _ in range(args.runs):
            counts = one_run(args.binary, mode, args.workers, args.connections)
            spreads.append(max(counts) - min(counts))
        spreads.sort()
        print(f"{mode:10} {args.connections} connections on {args.workers} workers, {args.runs} runs: "
              f"busiest minus idlest worker: median {spreads[len(spreads) // 2]}, worst {spreads[-1]}")


if __name__ == "__main__":
    main()
