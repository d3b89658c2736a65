"""Reads a server process's memory, descriptors and CPU, and the kernel's memory, from /proc."""

import os
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid):
    """Resident memory (VmRSS) of the whole process."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_seconds(pid):
    """User plus system CPU of all the process's threads so far."""
    with open(f"/proc/{pid}/stat") as stat:
        # Fields after the command name (which may hold spaces) start at state; utime and stime are
        # fields 14 and 15 of the whole line.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def slab_bytes():
    """Kernel slab memory in use per cache (active objects × object size); needs read access to
    /proc/slabinfo (root), else empty."""
    caches = {}
    try:
        with open("/proc/slabinfo") as slabinfo:
            for line in list(slabinfo)[2:]:
                name, active, _total, size, *_ = line.split()
                caches[name] = int(active) * int(size)
    except PermissionError:
        pass
    return caches


def meminfo_bytes(field):
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/meminfo")


def tcp_buffer_bytes():
    """Memory the kernel charges to TCP socket buffers, all sockets (sockstat `mem`, in pages)."""
    with open("/proc/net/sockstat") as sockstat:
        for line in sockstat:
            if line.startswith("TCP:"):
                fields = line.split()
                return int(fields[fields.index("mem") + 1]) * os.sysconf("SC_PAGE_SIZE")
    raise RuntimeError("no TCP line in /proc/net/sockstat")


def wait_until(condition, timeout, interval=0.05):
    """Polls `condition` until it holds or `timeout` seconds pass; returns whether it held."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def settled_rss_bytes(pid, timeout=10):
    """RSS once it has stopped changing for a second (an idle worker returns pages 500 ms after its
    last work), or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    previous = rss_bytes(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        current = rss_bytes(pid)
        if current == previous:
            break
        previous = current
    return previous
