#!/usr/bin/env python3
"""Issue 9's hostile clients, rerun from outside against the release binary.

    Benchmarks/hostile.py .build/release/ringwire [--only ping,deflate,chat,partial,http]

Each scenario starts a fresh `ringwire --workers 2 --permessage-deflate` on loopback (free ports),
attacks it for a bounded time, and meanwhile
  - a prober (its own process) keeps one HTTP keep-alive connection and one WebSocket echo connection
    on each worker (placed by reading /stats as it connects) and times `GET /health` and a 16-byte echo
    round trip on each every ~20 ms;
  - the server's RSS (/proc/PID/status VmRSS) is sampled every 20 ms, its CPU read from /proc/PID/stat,
    and the lines it writes to stdout/stderr are counted.
A scenario passes when RSS grew less than its bound, the probes' p99 is under 100 ms with none lost,
the attacker got the expected answer, and the server is still alive (it is then stopped with SIGTERM and
must exit 0). Prints one table row per scenario; exits 1 if any failed. About 100 s in all, most of it
the minimum-progress rule's 60 s (a message that arrived fast is only judged slow at its second check).
Loopback only; every wait is bounded.
"""

import argparse
import base64
import json
import multiprocessing
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

WORKERS = 2
PROBE_INTERVAL = 0.02
PROBE_BAR_SECONDS = 0.100
MiB = 1024 * 1024
# The minimum-progress rule fails a held message at its second check (60 s), plus slack.
PARTIAL_ATTACK_SECONDS = 75

# ---------------------------------------------------------------------------------------------- wire


def masked(payload, key):
    """RFC 6455 masking, done as one big-integer XOR (fast enough for 16 MiB)."""
    if not payload:
        return b""
    mask = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(mask, "big")).to_bytes(len(payload), "big")


def frame_header(opcode, length, fin=True, rsv1=False, key=b"\x00\x00\x00\x00"):
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    if length < 126:
        return bytes([first, 0x80 | length]) + key
    if length < 65536:
        return bytes([first, 0x80 | 126]) + struct.pack("!H", length) + key
    return bytes([first, 0x80 | 127]) + struct.pack("!Q", length) + key


def frame(opcode, payload, rsv1=False):
    key = os.urandom(4)
    return frame_header(opcode, len(payload), rsv1=rsv1, key=key) + masked(payload, key)


class Closed(Exception):
    """The server closed the TCP connection (EOF or reset) without a close frame."""


class Peer:
    """A raw client connection with a read buffer: HTTP responses and WebSocket frames."""

    def __init__(self, port, timeout=5.0, receive_buffer=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer, self.position = bytearray(), 0

    def fill(self):
        try:
            chunk = self.sock.recv(1 << 20)
        except ConnectionResetError as error:
            raise Closed("reset") from error
        if not chunk:
            raise Closed("EOF")
        self.buffer += chunk

    def pending(self):
        return bytes(self.buffer[self.position:])

    def take(self, count):
        while len(self.buffer) - self.position < count:
            self.fill()
        data = bytes(self.buffer[self.position:self.position + count])
        self.position += count
        if self.position > 65536 and 2 * self.position > len(self.buffer):
            del self.buffer[:self.position]
            self.position = 0
        return data

    def http_response(self):
        """(status, headers text, body) of one response with a Content-Length."""
        while (end := self.buffer.find(b"\r\n\r\n", self.position)) < 0:
            self.fill()
        lines = self.take(end + 4 - self.position)[:-4].decode("latin-1").split("\r\n")
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return int(lines[0].split()[1]), "\n".join(lines[1:]), self.take(length)

    def upgrade(self, path, deflate=False):
        key = base64.b64encode(os.urandom(16)).decode()
        offer = "Sec-WebSocket-Extensions: permessage-deflate\r\n" if deflate else ""
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{offer}\r\n").encode())
        status, headers, _ = self.http_response()
        if status != 101:
            raise RuntimeError(f"upgrade of {path} answered {status}")
        if deflate and "permessage-deflate" not in headers.lower():
            raise RuntimeError("permessage-deflate was not agreed (is --permessage-deflate on?)")
        return self

    def ws_frame(self):
        """(opcode, payload) of the next frame from the server (unmasked, unfragmented here)."""
        first, second = self.take(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self.take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self.take(8))[0]
        return first & 0x0F, self.take(length)

    def close_answer(self):
        """What the server ended with: 'close CODE' (skipping other frames), or 'EOF'/'reset'."""
        try:
            while True:
                opcode, payload = self.ws_frame()
                if opcode == 0x8:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    return code, payload[2:].decode("utf-8", "replace")
        except Closed as closed:
            return str(closed), ""
        except socket.timeout:
            return "timeout", ""

    def abort(self):
        """Closes with a TCP reset, as a crashed or killed client would."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def close(self):
        self.sock.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

# -------------------------------------------------------------------------------------------- server


class Server:
    """A fresh `ringwire` on loopback with its output in a file."""

    def __init__(self, binary, max_connections=None):
        self.http_port, self.ws_port = free_port(), free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="ringwire-hostile-", suffix=".log")
        if max_connections is None:
            command = [binary, "--workers", str(WORKERS), "--host", "127.0.0.1", "--http-port", str(self.http_port),
                       "--ws-port", str(self.ws_port), "--permessage-deflate"]
        else:
            self.config = tempfile.NamedTemporaryFile("w", prefix="ringwire-hostile-", suffix=".json")
            json.dump({"workers": WORKERS, "permessageDeflate": True, "maxConnections": max_connections, "listeners": [
                {"name": "http", "host": "127.0.0.1", "port": self.http_port, "protocol": "http"},
                {"name": "ws", "host": "127.0.0.1", "port": self.ws_port, "protocol": "websocket"}]}, self.config)
            self.config.flush()
            command = [binary, "--config", self.config.name]
        self.command = " ".join(command[1:])
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                peer = Peer(self.http_port, timeout=1)
                peer.sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                status = peer.http_response()[0]
                peer.close()
                if status == 200:
                    return
            except (OSError, Closed):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ringwire did not start: {open(self.log.name).read()[-2000:]}")
            time.sleep(0.05)

    @property
    def pid(self):
        return self.process.pid

    def rss_bytes(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def runqueue_wait_seconds(self):
        """How long the server's threads waited for a CPU (schedstat): latency the machine's other
        load caused, not the server."""
        total = 0
        for task in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{task}/schedstat") as schedstat:
                    total += int(schedstat.read().split()[1])
            except OSError:
                pass
        return total / 1e9

    def log_lines(self):
        with open(self.log.name, "rb") as log:
            return log.read().count(b"\n")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        """SIGTERM and the exit status (None if it had to be killed after 15 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            return None


class Sampler(threading.Thread):
    """The server's peak RSS while the attack runs, sampled every 20 ms."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.stopped = server, server.rss_bytes(), threading.Event()

    def run(self):
        while not self.stopped.wait(0.02):
            try:
                self.peak = max(self.peak, self.server.rss_bytes())
            except OSError:
                return

# -------------------------------------------------------------------------------------------- prober


def stats_workers(stats):
    stats.sock.sendall(b"GET /stats HTTP/1.1\r\nHost: x\r\n\r\n")
    return json.loads(stats.http_response()[2])["workers"]


def open_probe(port, kind):
    peer = Peer(port, timeout=2)
    if kind == "ws":
        return peer.upgrade("/ws")
    peer.sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    peer.http_response()
    return peer


def probe_once(peer, kind, sequence):
    if kind == "ws":
        payload = f"probe-{sequence:010d}".encode()
        peer.sock.sendall(frame(0x1, payload))
        opcode, echoed = peer.ws_frame()
        if (opcode, echoed) != (0x1, payload):
            raise RuntimeError(f"echo answered opcode {opcode} {echoed[:40]!r}")
    else:
        peer.sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        status = peer.http_response()[0]
        if status != 200:
            raise RuntimeError(f"/health answered {status}")


def prober(port, pipe):
    """Runs in its own process (so the attack's Python threads cannot delay its timing): places an
    HTTP and a WebSocket probe connection on every worker, reports 'ready', times round trips until
    told to stop, and sends back {label: (latencies, error or None)}."""
    stats = open_probe(port, "http")
    probes, spare = {}, []
    for _ in range(64):
        if len(probes) == 2 * WORKERS:
            break
        for kind in ("http", "ws"):
            before = stats_workers(stats)
            peer = open_probe(port, kind)
            after = stats_workers(stats)
            worker = next((index for index in range(WORKERS) if after[index] > before[index]), None)
            label = f"{kind}@w{worker}"
            if worker is not None and label not in probes:
                probes[label] = peer
            else:
                spare.append(peer)
    stop = threading.Event()
    results = {label: ([], None) for label in probes}

    def run(label, peer):
        kind, latencies, sequence = label.split("@")[0], results[label][0], 0
        next_at = time.monotonic()
        while not stop.is_set():
            start = time.perf_counter()
            try:
                probe_once(peer, kind, sequence)
            except Exception as error:  # noqa: BLE001 - any failure is the probe's answer
                results[label] = (latencies, f"{type(error).__name__}: {error} after {time.perf_counter() - start:.3f} s")
                return
            latencies.append(time.perf_counter() - start)
            sequence += 1
            next_at += PROBE_INTERVAL
            stop.wait(max(0.0, next_at - time.monotonic()))

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in probes.items()]
    for thread in threads:
        thread.start()
    pipe.send(("ready", sorted(probes)))
    pipe.recv()
    stop.set()
    for thread in threads:
        thread.join(5)
    pipe.send(results)
    for peer in [stats, *probes.values(), *spare]:
        peer.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("inf")

# ----------------------------------------------------------------------------------------- scenarios


def ping_flood(server):
    """One client with a 4 KiB receive buffer that never reads sends 125-byte pings for 5 s; then it
    sends one last, distinct ping and starts reading. Pongs are coalesced (at most one queued), so
    memory stays flat, the connection stays open, and the last pong read answers the last ping."""
    peer = Peer(server.http_port, timeout=10, receive_buffer=4096).upgrade("/ws")
    batch = b"".join(frame(0x9, b"p" * 125) for _ in range(8192))
    sent, deadline = 0, time.monotonic() + 5
    while time.monotonic() < deadline:
        peer.sock.sendall(batch)
        sent += len(batch)
    last = b"last-ping-" + os.urandom(8).hex().encode()
    peer.sock.sendall(frame(0x9, last))
    pongs, answer, end = 0, None, time.monotonic() + 10
    try:
        while time.monotonic() < end:
            opcode, payload = peer.ws_frame()
            if opcode == 0x8:
                answer = f"closed {struct.unpack('!H', payload[:2])[0]}"
                break
            pongs += opcode == 0xA
            if opcode == 0xA and payload == last:
                peer.sock.sendall(frame(0x8, struct.pack("!H", 1000)))
                code = peer.close_answer()[0]
                answer = f"last ping answered, {pongs} pongs, then close {code}"
                break
    except (Closed, socket.timeout) as error:
        answer = f"{type(error).__name__} {error} after {pongs} pongs"
    peer.close()
    return (answer or "no pong for the last ping"), answer is not None and answer.startswith("last ping answered") \
        and answer.endswith("close 1000"), f"{sent / MiB:.0f} MiB of pings"


def deflate_bomb(server):
    """A 2 MB permessage-deflate message: 32 KiB of real deflate data, then 1,000,000 empty final
    blocks `03 00` (frame with RSV1): first alone, then four connections at once sending one each and
    reconnecting, for 3 s. Each must close 1009 'too many deflate streams in one message' at once;
    other connections do not notice."""
    compressor = zlib.compressobj(wbits=-15)
    data = compressor.compress(os.urandom(32 * 1024)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    bomb = frame(0x2, data + b"\x03\x00" * 1_000_000, rsv1=True)
    answers = []

    def attack():
        peer = Peer(server.http_port, timeout=10).upgrade("/ws", deflate=True)
        start = time.monotonic()
        try:
            peer.sock.sendall(bomb)
            code, reason = peer.close_answer()
        except (OSError, Closed) as error:
            code, reason = type(error).__name__, ""
        answers.append((code, reason, time.monotonic() - start))
        peer.close()

    attack()
    deadline = time.monotonic() + 3

    def attacks():
        while time.monotonic() < deadline:
            attack()

    threads = [threading.Thread(target=attacks) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    expected = (1009, "too many deflate streams in one message")
    passed = len(answers) > 1 and all((code, reason) == expected for code, reason, _ in answers)
    codes = sorted({f"{code} '{reason}'" for code, reason, _ in answers})
    return (f"{len(answers)}× {', '.join(codes)} (slowest {max(a[2] for a in answers) * 1000:.0f} ms)", passed,
            f"{len(answers)} messages of {len(bomb) / 1e6:.2f} MB, 4 at once")


def chat_names(server):
    """100 connections join /chat as "0001" + 7,000 × U+0301 (a 14 KB, 4-grapheme name), each told
    `error`, then all reset at once; again for 3 s. Then one joins as "\\u0000" (also `error`), and
    a valid name still gets its `welcome` listing only itself."""
    hostile = json.dumps({"type": "join", "room": "lobby", "name": "0001" + "\u0301" * 7000}, ensure_ascii=False).encode()
    answers, peers, lock = [], [], threading.Lock()

    def join(message):
        peer = Peer(server.http_port, timeout=10).upgrade("/chat")
        peer.sock.sendall(frame(0x1, message))
        opcode, payload = peer.ws_frame()
        answer = json.loads(payload) if opcode == 0x1 else {"type": f"opcode {opcode}"}
        with lock:
            answers.append(answer)
            peers.append(peer)

    def joins(count):
        for _ in range(count):
            join(hostile)

    deadline, rounds = time.monotonic() + 3, 0
    while time.monotonic() < deadline:
        threads = [threading.Thread(target=joins, args=(10,)) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        for peer in peers:
            peer.abort()
        peers.clear()
        rounds += 1
    rejected = sum(answer.get("type") == "error" for answer in answers)
    join(json.dumps({"type": "join", "room": "lobby", "name": "\x00"}).encode())
    nul = answers[-1]
    join(json.dumps({"type": "join", "room": "lobby", "name": "ada"}).encode())
    welcome = answers[-1]
    for peer in peers[-2:]:
        peer.close()
    passed = rejected == 100 * rounds and nul.get("type") == "error" and welcome.get("type") == "welcome" \
        and welcome.get("members") == ["ada"]
    first_error = next((a.get("message") for a in answers if a.get("type") == "error"), None)
    return (f"{rejected}/{100 * rounds} error '{first_error}'; \\u0000: {nul.get('type')}; then 'ada': "
            f"{welcome.get('type')} {welcome.get('members')}", passed, f"{rounds} × 100 joins of 14 KB names, reset")


def partial_messages(server):
    """30 connections each declare a 16 MiB binary frame, send all of it but the last 32 bytes as fast
    as the server takes them, then trickle one byte every 2 s (the frame never completes). The
    worker's budget (64 MiB, four such messages) turns the rest away with 1013 at once; those it
    holds fail the minimum-progress rule (16 KiB per 30 s) at their second check, 60 s in: 1008."""
    size = 16 * MiB
    key = os.urandom(4)
    body = frame_header(0x2, size, key=key) + masked(os.urandom(size), key)
    answers, lock = [], threading.Lock()
    end = time.monotonic() + PARTIAL_ATTACK_SECONDS

    def attack():
        peer = Peer(server.http_port, timeout=10).upgrade("/ws")
        peer.sock.setblocking(False)
        view, sent, trickled, next_trickle = memoryview(body), 0, 0, 0.0
        answer = "still open"
        while time.monotonic() < end:
            bulk_left = len(body) - 32 - sent
            wants_write = bulk_left > 0 or (time.monotonic() >= next_trickle and trickled < 31)
            readable, writable, _ = select.select([peer.sock], [peer.sock] if wants_write else [], [], 0.5)
            if readable:
                try:
                    peer.fill()
                except BlockingIOError:
                    pass
                except Closed as error:
                    answer = str(error)
                    break
                received = peer.pending()
                if len(received) >= 4 and received[0] & 0x0F == 0x8:
                    answer = struct.unpack("!H", received[2:4])[0]
                    break
            if writable:
                try:
                    if bulk_left > 0:
                        sent += peer.sock.send(view[sent:sent + min(bulk_left, 1 << 20)])
                    else:
                        sent += peer.sock.send(view[sent:sent + 1])
                        trickled += 1
                        next_trickle = time.monotonic() + 2
                except BlockingIOError:
                    pass
                except OSError as error:
                    answer = type(error).__name__
                    break
        with lock:
            answers.append(answer)
        peer.close()

    threads = [threading.Thread(target=attack) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(100)
    counts = {answer: answers.count(answer) for answer in set(answers)}
    passed = set(counts) <= {1013, 1008} and len(answers) == 30 and counts.get(1008, 0) <= 4 * WORKERS
    return ", ".join(f"{n}× {answer}" for answer, n in sorted(counts.items(), key=str)), passed, \
        "30 × 16 MiB frames, then 1 B / 2 s"


BAD_REQUESTS = [
    (b"GARBAGE\r\n\r\n", 400),
    (b"BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
    (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505),
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", 431),
    (b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 426),
]


def bad_http(server):
    """3 s of bad requests on new connections from 8 threads (400, 501, 505, 414, 431, and a plain GET
    of /ws: 426), each checked; then 140 idle connections fill the connection table
    (maxConnections 100) and 1,000 more connects are refused (closed without an answer). The log
    may hold at most 5 lines per kind, worker and 10 s, plus one line counting the rest."""
    wrong, counts, lock = [], {"answered": 0, "refused": 0}, threading.Lock()
    deadline = time.monotonic() + 3

    def flood(offset):
        index = offset
        while time.monotonic() < deadline:
            request, expected = BAD_REQUESTS[index % len(BAD_REQUESTS)]
            index += 1
            peer = Peer(server.http_port, timeout=5)
            try:
                peer.sock.sendall(request)
                status = peer.http_response()[0]
            except (OSError, Closed) as error:
                status = type(error).__name__
            peer.close()
            with lock:
                counts["answered"] += 1
                if status != expected:
                    wrong.append((expected, status))

    threads = [threading.Thread(target=flood, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    holders = [Peer(server.http_port, timeout=5) for _ in range(140)]
    time.sleep(0.2)  # lets the workers accept the holders (or refuse the surplus) first

    def refused(count):
        for _ in range(count):
            peer = Peer(server.http_port, timeout=5)
            try:
                peer.sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                answer = peer.http_response()[0]
            except (OSError, Closed):
                answer = None
            peer.close()
            with lock:
                if answer is None:
                    counts["refused"] += 1
                else:
                    wrong.append(("refused", answer))

    threads = [threading.Thread(target=refused, args=(250,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for peer in holders:
        peer.close()
    passed = not wrong and counts["refused"] == 1000
    summary = f"{counts['answered']} bad requests answered as expected" if not wrong else f"wrong answers: {wrong[:3]}"
    return f"{summary}; {counts['refused']}/1000 refused", passed, \
        f"{counts['answered']} bad requests + 1,000 refused connects"

# ------------------------------------------------------------------------------------------------ run


# name: (attack, RSS growth bound in MiB and why, server's maxConnections, kinds of log line it may cause)
SCENARIOS = {
    "ping": (ping_flood, 64, "issue 9's bar", None, None),
    # 4 connections × (a 2 MiB message buffer + the 1 MiB it grew from) + 4 × 0.3 MiB of zlib state
    # + 2 × 8 MiB receive buffers ≈ 29 MiB.
    "deflate": (deflate_bomb, 32, "4 × (2 MiB message + 1 MiB growth copy + zlib) + 16 MiB receive buffers", None, None),
    "chat": (chat_names, 32, "16 MiB receive buffers + 100 connections' state", None, None),
    # The budget counts capacities: 2 × 64 MiB; receive buffers 2 × 8 MiB; while a buffer doubles from
    # 8 to 16 MiB the old one is alive too (one at a time per worker: 2 × 8 MiB); 8 MiB for the rest.
    "partial": (partial_messages, 168, "2 × 64 MiB budget + 16 MiB receive buffers + 2 × 8 MiB growth copies + 8",
                None, None),
    # Rejected requests and refused connections log, throttled.
    "http": (bad_http, 32, "16 MiB receive buffers + 32 KiB heads", 100, 2),
}


def run(binary, name):
    attack, rss_bound, why, max_connections, log_kinds = SCENARIOS[name]
    server = Server(binary, max_connections)
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    probe_process = context.Process(target=prober, args=(server.http_port, theirs), daemon=True)
    probe_process.start()
    row = {"scenario": name, "command": server.command}
    try:
        if not ours.poll(20):
            raise RuntimeError("the prober did not get ready")
        row["probes"] = ours.recv()[1]
        sampler = Sampler(server)
        rss_before, cpu_before, lines_before = sampler.peak, server.cpu_seconds(), server.log_lines()
        wait_before = server.runqueue_wait_seconds()
        with open("/proc/loadavg") as loadavg:
            row["load"] = float(loadavg.read().split()[0])
        sampler.start()
        started = time.monotonic()
        try:
            row["answer"], row["answer_ok"], row["attack"] = attack(server)
        except Exception as error:  # noqa: BLE001 - a broken attack is a failed scenario, reported
            row["answer"], row["answer_ok"], row["attack"] = f"attack failed: {type(error).__name__}: {error}", False, "-"
        row["seconds"] = time.monotonic() - started
        alive = server.alive()
        ours.send("stop")
        results = ours.recv() if ours.poll(20) else {}
        sampler.stopped.set()
        sampler.join(2)
        row["cpu"] = server.cpu_seconds() - cpu_before if alive else float("nan")
        row["cpu_wait"] = server.runqueue_wait_seconds() - wait_before if alive else float("nan")
        row["rss_growth"] = (sampler.peak - rss_before) / MiB
        row["rss_bound"], row["rss_why"] = rss_bound, why
        row["log_lines"] = server.log_lines() - lines_before
        # ThrottledLog: per kind and worker, 5 lines and one summary per 10 s interval.
        intervals = 1 + int(row["seconds"] // 10)
        row["log_bound"] = WORKERS * log_kinds * (5 + 1) * intervals if log_kinds else None
        latencies = [value for values, _ in results.values() for value in values]
        errors = [f"{label}: {error}" for label, (_, error) in results.items() if error]
        row["p99"], row["max"] = percentile(latencies, 0.99), max(latencies, default=float("inf"))
        row["worker_max"] = {label: max(values, default=float("inf")) for label, (values, _) in results.items()}
        row["probe_errors"] = errors
        row["probes_ok"] = bool(latencies) and not errors and len(results) == 2 * WORKERS and row["p99"] < PROBE_BAR_SECONDS
    finally:
        status = server.stop()
        probe_process.join(5)
        if probe_process.is_alive():
            probe_process.kill()
    row["exit"] = status
    row["alive"] = alive and status == 0
    row["rss_ok"] = row.get("rss_growth", float("inf")) < rss_bound
    row["log_ok"] = row.get("log_bound") is None or row.get("log_lines", float("inf")) <= row["log_bound"]
    row["passed"] = all(row.get(key) for key in ("answer_ok", "probes_ok", "rss_ok", "log_ok", "alive"))
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=".build/release/ringwire")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated: " + ",".join(SCENARIOS))
    parser.add_argument("--json", help="also write the rows here")
    args = parser.parse_args()
    names = args.only.split(",")
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}")
    rows = []
    for name in names:
        row = run(args.binary, name)
        rows.append(row)
        verdict = "pass" if row["passed"] else "FAIL"
        print(f"{name}: {verdict} in {row['seconds']:.1f} s ({row['attack']}; load average {row['load']}) — RSS +{row['rss_growth']:.1f} MiB "
              f"(bound {row['rss_bound']}), probes p99 {row['p99'] * 1000:.1f} ms max {row['max'] * 1000:.1f} ms "
              f"{ {k: round(v * 1000, 1) for k, v in row['worker_max'].items()} }, CPU {row['cpu']:.2f} s "
              f"(its threads waited {row['cpu_wait']:.2f} s for a CPU), "
              f"log +{row['log_lines']} lines, exit {row['exit']}; attacker got: {row['answer']}"
              + (f"; probe errors: {row['probe_errors']}" if row["probe_errors"] else ""), flush=True)
    print(f"\n`{rows[0]['command']}` (2 workers, loopback), {time.strftime('%Y-%m-%d')}\n")
    print("| scenario | attacker got | RSS growth (bound) | probes p99 / max | server CPU (waited for CPU) "
          "| log lines | result |")
    print("|---|---|---:|---:|---:|---:|---|")
    for row in rows:
        log = f"{row['log_lines']}" + (f" (≤ {row['log_bound']})" if row["log_bound"] else "")
        print(f"| {row['scenario']}: {row['attack']} | {row['answer']} | {row['rss_growth']:.1f} MiB (< {row['rss_bound']}) "
              f"| {row['p99'] * 1000:.1f} / {row['max'] * 1000:.1f} ms | {row['cpu']:.2f} s ({row['cpu_wait']:.2f} s) | {log} "
              f"| {'pass' if row['passed'] else 'FAIL'} |")
    if args.json:
        with open(args.json, "w") as output:
            json.dump(rows, output, indent=1, default=str)
    sys.exit(0 if all(row["passed"] for row in rows) else 1)


if __name__ == "__main__":
    main()
