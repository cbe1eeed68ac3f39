"""Time and peak memory of one call, measured in a forked child process.

Peak memory is the growth of the child's peak resident set size (``VmHWM`` in
``/proc/self/status``, reset to the current size by writing ``5`` to
``/proc/self/clear_refs`` just before the call) above its resident set size
when the call starts: what the call itself added at its peak, the inputs it was
handed excluded, its result included. Before the call the child hands free heap
pages back to the system and keeps big blocks on fresh mappings (glibc
``malloc_trim``, ``mallopt``), so memory reused from the parent's heap is counted.
Where ``/proc`` is not available the peak is not reported. A cap bounds the wall
time: past it the child is killed.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PEAK_METHOD = (
    "peak resident set growth in a forked child per task (Linux VmHWM reset via "
    "/proc/self/clear_refs, minus VmRSS when the call starts, after glibc malloc_trim; "
    "inputs excluded, result included)"
)


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float
    value: Any
    peak_bytes: int | None


def status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def fresh_heap() -> None:
    """Return free heap pages to the system and keep big blocks on fresh mappings (glibc).

    A forked child inherits its parent's heap, whose free pages are still resident:
    without this, allocations reusing them would not show in the resident set.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD: fixed, not raised as blocks are freed
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _child(conn: Any, fn: Callable[[], Any], summary: Callable[[Any], Any]) -> None:
    try:
        fresh_heap()
        reset = reset_peak()
        base = status_kib("VmRSS")
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        high = status_kib("VmHWM")
        peak = None
        if reset and base is not None and high is not None:
            peak = max(high - base, 0) * 1024
        conn.send(("ok", Measured(secs, cpu, summary(out), peak)))
    except BaseException:  # report any failure to the parent
        conn.send(("error", traceback.format_exc(limit=3)))
    finally:
        conn.close()


def measure(
    fn: Callable[[], Any], cap: float, summary: Callable[[Any], Any] = len
) -> Measured | None:
    """Run ``fn`` once in a forked child: wall and CPU seconds, ``summary(result)``, peak bytes.

    Returns None when the child does not finish within ``cap`` seconds (it is killed).
    Raises RuntimeError with the child's traceback when ``fn`` fails.
    """
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, summary))
    proc.start()
    send.close()
    try:
        if not recv.poll(cap):
            proc.kill()
            return None
        status, payload = recv.recv()
    except EOFError:
        status, payload = "error", f"the child died (exit code {proc.exitcode})"
    finally:
        proc.join()
    if status != "ok":
        raise RuntimeError(payload)
    result: Measured = payload
    return result


def fmt_mib(nbytes: int | None) -> str:
    return "-" if nbytes is None else f"{nbytes / 2**20:.1f}"
