"""Drives scripts/connections-at-fd-limit: holder processes open `--connections` WebSocket connections
to a running server in `--steps` equal steps, each holder from its own 127.0.0.x source address; after
each step the server's descriptors must equal its baseline plus the connections, and its RSS and the
kernel's slab caches are sampled. Then every connection is pinged (every pong checked), all are closed
with a close handshake, and the server's descriptors must return to the baseline exactly and its RSS
to within a tolerance. A second round must end where the first did (closer tolerance): what the first
leaves is a high-water mark (tables, allocator), not a leak. Prints the figures; exits 1 on failure."""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

import probe

HERE = os.path.dirname(os.path.abspath(__file__))
# Caches that grow with TCP connections; `both` ends of a loopback connection own one object each,
# `client` ones only the Python clients (epoll), `server` ones only the server (io_uring requests).
SLAB_CACHES = {"TCP": "both", "sock_inode_cache": "both", "filp": "both", "dentry": "both",
               "eventpoll_epi": "client", "eventpoll_pwq": "client", "io_kiocb": "server"}
# Other caches are listed when they grow by this much per connection (smaller slopes are noise from
# the rest of the machine).
OTHER_CACHE_REPORT_BYTES = 32
# The worker gives idle buffer pages and free heap back after 500 ms without work; sampling 1 s after
# a step measures what the connections themselves hold, not the handshakes' transient buffers.
SETTLE_SECONDS = 1.0


def slope(points):
    """Least-squares slope of y over x."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    return (sum((x - mean_x) * (y - mean_y) for x, y in points)
            / sum((x - mean_x) ** 2 for x, _ in points))


class Holders:
    """The client processes, one per source address, each driven over its stdin/stdout."""

    def __init__(self, count, port):
        self.processes = [
            subprocess.Popen([sys.executable, os.path.join(HERE, "holder.py"), "--port", str(port),
                              "--source", f"127.0.0.{2 + index}"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for index in range(count)]

    def command(self, texts):
        """Sends one command to each holder (all at once, so they work in parallel) and returns their answers."""
        for process, text in zip(self.processes, texts):
            process.stdin.write(text + "\n")
            process.stdin.flush()
        answers = []
        for process in self.processes:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"holder {process.pid} exited (status {process.wait()})")
            answers.append(json.loads(line))
        return answers

    def stop(self):
        for process in self.processes:
            process.stdin.close()
        for process in self.processes:
            process.wait(timeout=30)


def check(answers, expected_ok, what):
    ok = sum(a["ok"] for a in answers)
    failed = sum(a["failed"] for a in answers)
    errors = [e for a in answers for e in a["errors"]]
    if ok != expected_ok or failed:
        raise RuntimeError(f"{what}: {ok} of {expected_ok} succeeded, {failed} failed; first errors: {errors}")


def worker_counts(http_port):
    """Connections per worker from the server's /stats (whose own request counts too)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/stats", timeout=10) as response:
        return json.load(response)["workers"]


def sample(pid, connections):
    return {"connections": connections, "rss": probe.rss_bytes(pid), "fds": probe.open_fds(pid),
            "slab": probe.slab_bytes(), "slab_total": probe.meminfo_bytes("Slab"),
            "tcp_buffers": probe.tcp_buffer_bytes()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--port", type=int, required=True, help="the server's WebSocket port")
    parser.add_argument("--http-port", type=int, required=True, help="the server's HTTP port (for /stats)")
    parser.add_argument("--connections", type=int, default=19500)
    parser.add_argument("--holders", type=int, default=4)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--rss-tolerance-bytes", type=int, required=True,
                        help="RSS above the starting baseline allowed after the first round")
    parser.add_argument("--repeat-rss-tolerance-bytes", type=int, required=True,
                        help="RSS above the previous round's end allowed after each later round")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    started = time.monotonic()
    holders = Holders(args.holders, args.port)
    try:
        first = None
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}", flush=True)
            tolerance = args.rss_tolerance_bytes if round_number == 1 else args.repeat_rss_tolerance_bytes
            samples = run_round(holders, args, tolerance)
            first = first or samples
    finally:
        holders.stop()
    report(first)
    print(f"passed in {time.monotonic() - started:.0f} s")


def run_round(holders, args, rss_tolerance):
    """Opens, pings and closes every connection once; returns the samples taken while opening."""
    pid = args.server_pid
    baseline = sample(pid, 0)
    baseline["rss"] = probe.settled_rss_bytes(pid)
    print(f"baseline: server RSS {baseline['rss'] / 2**20:.1f} MiB, {baseline['fds']} fds", flush=True)
    samples = [baseline]
    held = 0
    for step in range(1, args.steps + 1):
        target = args.connections * step // args.steps
        shares = [(target - held) // args.holders + (1 if i < (target - held) % args.holders else 0)
                  for i in range(args.holders)]
        step_started = time.monotonic()
        check(holders.command([f"open {n}" for n in shares]), target - held, f"step {step}: upgrades")
        held = target
        if not probe.wait_until(lambda: probe.open_fds(pid) == baseline["fds"] + held, timeout=30):
            raise RuntimeError(f"server holds {probe.open_fds(pid)} fds, expected {baseline['fds'] + held}")
        time.sleep(SETTLE_SECONDS)
        samples.append(sample(pid, held))
        print(f"{held:6} connections upgraded in {time.monotonic() - step_started:5.1f} s: "
              f"server RSS {samples[-1]['rss'] / 2**20:6.1f} MiB, {samples[-1]['fds']} fds, "
              f"per worker {worker_counts(args.http_port)}", flush=True)

    ping_started = time.monotonic()
    check(holders.command(["ping"] * args.holders), held, "pings")
    print(f"{held:6} pings answered with their own payload in {time.monotonic() - ping_started:.1f} s", flush=True)

    close_started = time.monotonic()
    check(holders.command(["close"] * args.holders), held, "close handshakes")
    if not probe.wait_until(lambda: probe.open_fds(pid) == baseline["fds"], timeout=30):
        raise RuntimeError(f"after closing, server holds {probe.open_fds(pid)} fds, baseline {baseline['fds']}")
    after = probe.settled_rss_bytes(pid)
    print(f"{held:6} closed in {time.monotonic() - close_started:.1f} s: server RSS {after / 2**20:.1f} MiB "
          f"({(after - baseline['rss']) / 2**10:+.0f} KiB from baseline, tolerance {rss_tolerance / 2**10:.0f} KiB), "
          f"{probe.open_fds(pid)} fds", flush=True)
    if after > baseline["rss"] + rss_tolerance:
        raise RuntimeError("server RSS did not return to the baseline")
    return samples


def report(samples):
    """Per-connection figures from the first round: slopes over its steps."""
    rss = slope([(s["connections"], s["rss"]) for s in samples])
    total = slope([(s["connections"], s["slab_total"]) for s in samples])
    buffers = slope([(s["connections"], s["tcp_buffers"]) for s in samples])
    print(f"per connection: server RSS {rss:.0f} B; kernel slab, all caches, both ends {total:.0f} B; "
          f"TCP buffers {buffers:.0f} B")
    for cache, owner in SLAB_CACHES.items():
        if cache in samples[0]["slab"]:
            print(f"  slab {cache:17} ({owner:6}) {slope([(s['connections'], s['slab'].get(cache, 0)) for s in samples]):7.0f} B")
    others = {cache: slope([(s["connections"], s["slab"].get(cache, 0)) for s in samples])
              for cache in samples[-1]["slab"] if cache not in SLAB_CACHES}
    for cache, per_connection in sorted(others.items(), key=lambda item: -item[1]):
        if per_connection >= OTHER_CACHE_REPORT_BYTES:
            print(f"  slab {cache:17} (other ) {per_connection:7.0f} B")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.TimeoutExpired) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
