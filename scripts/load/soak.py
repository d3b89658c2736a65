"""Drives scripts/soak: for `--minutes`, keeps a mixed load on a running server while sampling its
RSS, descriptors and CPU every `--interval` seconds into a CSV file:

  churn         lanes that connect, echo one message, and close (a close handshake, or every fourth
                time an abrupt reset), over and over
  echo          long-lived connections sending messages of 16 B to 64 KiB, each echo checked byte for byte
  chat          members of four rooms saying things (each must hear its own message come back) and
                moving to another room every 20 messages
  broadcast     one publisher of numbered 2 KiB messages at 100/s; two listeners check each arrives in
                order; slow readers (4 KiB receive buffer, one message read every 0.5 s: 4 KiB/s) that
                the server must hold within its backpressure limit, each replaced after 40 s

Passes when no check failed, the server's descriptors return to their baseline after the load stops,
and memory is flat: after a warm-up (the first 10 % of the run, at least one minute), the median RSS
of the last third of the samples is within 5 % (at least 2 MiB) of the median of the first third.
Exits 1 otherwise."""

import argparse
import asyncio
import csv
import itertools
import json
import os
import random
import statistics
import sys
import time

import probe
from wsclient import BINARY, CLOSE, TEXT, ProtocolError, WebSocketClient

# Connections come from eight source addresses, so churn never runs short of ephemeral ports.
SOURCES = [f"127.0.0.{n}" for n in range(2, 10)]
CHECK_TIMEOUT_SECONDS = 10
FLAT_FRACTION = 0.05
FLAT_MINIMUM_BYTES = 2 * 1024 * 1024


class Soak:
    """The clients of one soak run, their counters, and the first failures they met."""

    def __init__(self, args):
        self.args = args
        self.stop_at = time.monotonic() + args.minutes * 60
        self.counts = dict.fromkeys(
            ["churned", "echoed", "chat_said", "chat_heard", "broadcast_sent", "broadcast_heard",
             "slow_cycles", "slow_closed", "slow_cut_off", "errors"], 0)
        self.first_errors = []
        self.live = set()
        self.random = random.Random(args.seed)

    @property
    def running(self):
        return time.monotonic() < self.stop_at

    def failed(self, role, error):
        self.counts["errors"] += 1
        if len(self.first_errors) < 10:
            self.first_errors.append(f"{role}: {type(error).__name__}: {error}")

    async def connect(self, port, path, **options):
        client = await asyncio.wait_for(
            WebSocketClient.connect("127.0.0.1", port, path, source=self.random.choice(SOURCES), **options),
            CHECK_TIMEOUT_SECONDS)
        self.live.add(client)
        return client

    def drop(self, client):
        client.abort()
        self.live.discard(client)

    async def repeat(self, role, body):
        """Runs `body` until the end of the soak; a failure is counted and the body starts over."""
        while self.running:
            try:
                await body()
            except Exception as error:  # a refused connection, a wrong byte, a malformed event: all fail a check
                # Once the soak is over, a listener waiting for a publisher that stopped is no failure.
                if self.running:
                    self.failed(role, error)
                    await asyncio.sleep(1)

    async def paced(self, per_second):
        await asyncio.sleep(self.random.expovariate(per_second))

    # Churn: a new connection for every message.
    async def churn_lane(self, lane):
        client = await self.connect(self.args.ws_port, "/")
        try:
            payload = f"churn {lane} {self.counts['churned']}".encode()
            client.send(TEXT, payload)
            if await asyncio.wait_for(client.receive_data(), CHECK_TIMEOUT_SECONDS) != (TEXT, payload):
                raise ProtocolError("churn echo differs")
            if self.counts["churned"] % 4 == 3:
                client.abort()
            else:
                await asyncio.wait_for(client.close_handshake(), CHECK_TIMEOUT_SECONDS)
            self.counts["churned"] += 1
        finally:
            self.drop(client)
        await self.paced(self.args.churn_per_second / self.args.churn_lanes)

    # Echo: long-lived connections, varied sizes.
    async def echo_connection(self):
        client = await self.connect(self.args.http_port, "/ws")
        try:
            while self.running:
                size = self.random.choice([16, 125, 126, 1000, 4096, 4096, 65536])
                opcode = self.random.choice([TEXT, BINARY])
                payload = bytes(self.random.randrange(32, 127) for _ in range(min(size, 64))) * (size // 64 + 1)
                client.send(opcode, payload[:size])
                if await asyncio.wait_for(client.receive_data(), CHECK_TIMEOUT_SECONDS) != (opcode, payload[:size]):
                    raise ProtocolError(f"echo of {size} bytes differs")
                self.counts["echoed"] += 1
                await self.paced(self.args.echo_per_second / self.args.echo_connections)
        finally:
            self.drop(client)

    # Chat: say, hear yourself, move rooms now and then.
    async def chat_member(self, index):
        client = await self.connect(self.args.http_port, "/chat")
        name = f"soak{index}-{self.random.randrange(1 << 30)}"
        try:
            for turn in itertools.count():
                if not self.running:
                    break
                if turn % 20 == 0:
                    if turn:
                        client.send(TEXT, json.dumps({"type": "leave"}).encode())
                    room = f"room{self.random.randrange(4)}"
                    client.send(TEXT, json.dumps({"type": "join", "room": room, "name": name}).encode())
                    await self.hear(client, lambda event: event["type"] == "welcome")
                text = f"{name} says {turn}"
                client.send(TEXT, json.dumps({"type": "say", "text": text}).encode())
                self.counts["chat_said"] += 1
                await self.hear(client, lambda event: event["type"] == "message" and event["text"] == text)
                await self.paced(self.args.chat_per_second / self.args.chat_members)
        finally:
            self.drop(client)

    async def hear(self, client, wanted):
        """Reads chat events until `wanted` holds for one; an error event fails the check."""
        async def read():
            while True:
                opcode, payload = await client.receive_data()
                if opcode != TEXT:
                    raise ProtocolError(f"chat sent opcode {opcode}")
                event = json.loads(payload)
                if event["type"] == "error":
                    raise ProtocolError(f"chat error: {event.get('message')}")
                if event["type"] == "message":
                    self.counts["chat_heard"] += 1
                if wanted(event):
                    return
        await asyncio.wait_for(read(), CHECK_TIMEOUT_SECONDS)

    # Broadcast: one publisher, listeners that check order, slow readers.
    async def publisher(self):
        client = await self.connect(self.args.ws_port, "/broadcast")
        try:
            while self.running:
                number = self.counts["broadcast_sent"]
                client.send(TEXT, f"{number:012d}".encode() + b"." * 2036)
                self.counts["broadcast_sent"] += 1
                await asyncio.sleep(1 / self.args.broadcast_per_second)
        finally:
            self.drop(client)

    async def listener(self):
        client = await self.connect(self.args.ws_port, "/broadcast")
        try:
            previous = None
            while self.running:
                opcode, payload = await asyncio.wait_for(client.receive_data(), CHECK_TIMEOUT_SECONDS)
                if opcode != TEXT or len(payload) != 2048:
                    raise ProtocolError(f"broadcast listener got opcode {opcode} with {len(payload)} bytes")
                number = int(payload[:12])
                if previous is not None and number != previous + 1:
                    raise ProtocolError(f"broadcast {number} after {previous}")
                previous = number
                self.counts["broadcast_heard"] += 1
        finally:
            self.drop(client)

    async def slow_reader(self):
        client = await self.connect(self.args.ws_port, "/broadcast", receive_buffer=4096, read_limit=4096)
        try:
            replace_at = min(time.monotonic() + 40, self.stop_at)
            while time.monotonic() < replace_at:
                await asyncio.wait_for(client.receive_data(), CHECK_TIMEOUT_SECONDS)
                await asyncio.sleep(0.5)
            self.counts["slow_cycles"] += 1
            # Read the rest at full speed. If the server gave up on this reader (backpressure), the stream
            # ends: with its close frame when that got through, or mid-message when the server closed
            # TCP with frames still queued (after its close timeout). If not, it never ends.
            try:
                await asyncio.wait_for(self.close_frame(client), 5)
                self.counts["slow_closed"] += 1
            except asyncio.IncompleteReadError:
                self.counts["slow_cut_off"] += 1
            except asyncio.TimeoutError:
                pass
        finally:
            self.drop(client)

    async def close_frame(self, client):
        while (await client.receive_data())[0] != CLOSE:
            pass

    async def sample(self, file, writer, baseline_fds):
        pid = self.args.server_pid
        started = time.monotonic()
        last_cpu, last_time = probe.cpu_seconds(pid), started
        rows = []
        while self.running:
            await asyncio.sleep(self.args.interval)
            now, cpu = time.monotonic(), probe.cpu_seconds(pid)
            row = {"seconds": round(now - started, 1), "rss_bytes": probe.rss_bytes(pid),
                   "fds": probe.open_fds(pid),
                   "cpu_percent": round(100 * (cpu - last_cpu) / (now - last_time), 1), **self.counts}
            last_cpu, last_time = cpu, now
            writer.writerow(row)
            file.flush()
            rows.append(row)
            if len(rows) % max(1, int(60 / self.args.interval)) == 0:
                print(f"{row['seconds']:7.0f} s: RSS {row['rss_bytes'] / 2**20:6.1f} MiB, "
                      f"{row['fds'] - baseline_fds:4} connections, CPU {row['cpu_percent']:5.1f} %, "
                      f"{self.counts}", flush=True)
        return rows


async def run(args):
    soak = Soak(args)
    pid = args.server_pid
    baseline_rss, baseline_fds = probe.rss_bytes(pid), probe.open_fds(pid)
    print(f"baseline: server RSS {baseline_rss / 2**20:.1f} MiB, {baseline_fds} fds; CSV {args.csv}", flush=True)
    roles = ([soak.repeat("churn", lambda lane=lane: soak.churn_lane(lane)) for lane in range(args.churn_lanes)]
             + [soak.repeat("echo", soak.echo_connection) for _ in range(args.echo_connections)]
             + [soak.repeat("chat", lambda index=index: soak.chat_member(index)) for index in range(args.chat_members)]
             + [soak.repeat("publisher", soak.publisher)]
             + [soak.repeat("listener", soak.listener) for _ in range(2)]
             + [soak.repeat("slow reader", soak.slow_reader) for _ in range(args.slow_readers)])
    tasks = [asyncio.ensure_future(role) for role in roles]
    with open(args.csv, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=["seconds", "rss_bytes", "fds", "cpu_percent", *soak.counts])
        writer.writeheader()
        rows = await soak.sample(file, writer, baseline_fds)
    # Roles finish their current step; whatever is still waiting (a slow reader's sleep) is cancelled.
    done, pending = await asyncio.wait(tasks, timeout=CHECK_TIMEOUT_SECONDS + 5)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for client in list(soak.live):
        soak.drop(client)
    return soak, rows, baseline_rss, baseline_fds


def flat_memory(rows, minutes):
    """(first third's median RSS, last third's, allowed growth) after the warm-up."""
    warm_up = max(60, minutes * 60 * 0.1)
    settled = [row["rss_bytes"] for row in rows if row["seconds"] >= warm_up]
    third = len(settled) // 3
    if third == 0:
        raise RuntimeError("too few samples after the warm-up to judge memory: run longer")
    first, last = statistics.median(settled[:third]), statistics.median(settled[-third:])
    return first, last, max(FLAT_FRACTION * first, FLAT_MINIMUM_BYTES)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--ws-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--interval", type=float, default=5)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--churn-lanes", type=int, default=4)
    parser.add_argument("--churn-per-second", type=float, default=40)
    parser.add_argument("--echo-connections", type=int, default=40)
    parser.add_argument("--echo-per-second", type=float, default=400)
    parser.add_argument("--chat-members", type=int, default=40)
    parser.add_argument("--chat-per-second", type=float, default=80)
    parser.add_argument("--broadcast-per-second", type=float, default=100)
    parser.add_argument("--slow-readers", type=int, default=10)
    args = parser.parse_args()

    soak, rows, baseline_rss, baseline_fds = asyncio.run(run(args))
    pid = args.server_pid
    fds_returned = probe.wait_until(lambda: probe.open_fds(pid) == baseline_fds, timeout=30)
    first, last, allowed = flat_memory(rows, args.minutes)
    cpu = statistics.mean(row["cpu_percent"] for row in rows)
    peak = max(row["rss_bytes"] for row in rows)
    print(f"done: {soak.counts}")
    print(f"server: RSS baseline {baseline_rss / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB, median of the first "
          f"third {first / 2**20:.1f} MiB, of the last third {last / 2**20:.1f} MiB (allowed +{allowed / 2**20:.1f} MiB), "
          f"after the load {probe.rss_bytes(pid) / 2**20:.1f} MiB; mean CPU {cpu:.1f} % of one core; "
          f"fds {probe.open_fds(pid)} (baseline {baseline_fds})")
    failures = []
    if soak.counts["errors"]:
        failures.append(f"{soak.counts['errors']} checks failed, first: {soak.first_errors}")
    if not fds_returned:
        failures.append(f"server holds {probe.open_fds(pid)} fds after the load, baseline {baseline_fds}")
    if last > first + allowed:
        failures.append("memory grew")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
