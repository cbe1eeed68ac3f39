"""Throughput of the vectorised 2x2 batch path (``equishift.solver.batch``), as games per second.

Run from the repository root::

    python benchmarks/batch.py            # k = 1e6 and 1e7 games, int8 / int16 / float64
    python benchmarks/batch.py --quick    # k = 1e5 and 1e6 only

For every function and input dtype the same seeded games are timed (best of
``--repeat`` runs) and compared, in the same run, with two anchors:

- a plain numpy baseline: the textbook formula on the per-cell slices
  ``A[:, r, c]`` (no chunking, no in-place work);
- a Python loop over 1,000 games calling nashpy (pure and mixed equilibria,
  support enumeration) or ``taxonomy.classify`` (classification; nashpy has none).

Peak memory is the largest traced allocation during one call (``tracemalloc``,
which sees numpy's buffers), inputs excluded; a streaming run through
``iter_chunks`` shows that it stays flat as the number of samples grows. These
are measurements, never assertions: no test depends on them. Prints a markdown
table.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from equishift.games import NormalFormGame
from equishift.games.taxonomy import classify
from equishift.solver.batch import (
    classify_2x2,
    iter_chunks,
    mixed_equilibrium_2x2,
    pure_equilibria_2x2,
)

Arr = NDArray[Any]


def games(k: int, dtype: str, seed: int = 0) -> tuple[Arr, Arr]:
    rng = np.random.default_rng(seed)
    a = rng.integers(-100, 101, size=(k, 2, 2), dtype=np.int16).astype(dtype)
    b = rng.integers(-100, 101, size=(k, 2, 2), dtype=np.int16).astype(dtype)
    return a, b


# -- plain numpy baselines -------------------------------------------------------------------


def numpy_pure(a: Arr, b: Arr) -> Arr:
    out = np.empty(a.shape, dtype=bool)
    a00, a01, a10, a11 = a[:, 0, 0], a[:, 0, 1], a[:, 1, 0], a[:, 1, 1]
    b00, b01, b10, b11 = b[:, 0, 0], b[:, 0, 1], b[:, 1, 0], b[:, 1, 1]
    out[:, 0, 0] = (a00 >= a10) & (b00 >= b01)
    out[:, 0, 1] = (a01 >= a11) & (b01 >= b00)
    out[:, 1, 0] = (a10 >= a00) & (b10 >= b11)
    out[:, 1, 1] = (a11 >= a01) & (b11 >= b10)
    return out


def numpy_mixed(a: Arr, b: Arr) -> tuple[Arr, Arr, Arr]:
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (b[:, 1, 1] - b[:, 1, 0]) / (b[:, 0, 0] - b[:, 0, 1] - b[:, 1, 0] + b[:, 1, 1])
        q = (a[:, 1, 1] - a[:, 0, 1]) / (a[:, 0, 0] - a[:, 0, 1] - a[:, 1, 0] + a[:, 1, 1])
    return p, q, (p > 0) & (p < 1) & (q > 0) & (q < 1)


def numpy_classify(a: Arr, b: Arr) -> Arr:
    """Ranks by pairwise comparison per cell, then a mixed-radix code (no class lookup)."""
    code = np.zeros(a.shape[0], dtype=np.int64)
    for m in (a.reshape(-1, 4), b.reshape(-1, 4)):
        for i in range(4):
            rank = sum((m[:, j] < m[:, i]).astype(np.int64) for j in range(4))
            code = code * 4 + rank
    return code


# -- per-game anchors ------------------------------------------------------------------------


def nashpy_loop(a: Arr, b: Arr) -> int:
    import nashpy

    found = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for g in range(a.shape[0]):
            found += sum(1 for _ in nashpy.Game(a[g], b[g]).support_enumeration())
    return found


def classify_loop(a: Arr, b: Arr) -> int:
    names = set()
    for g in range(a.shape[0]):
        names.add(classify(NormalFormGame.from_arrays(a[g].tolist(), b[g].tolist())).name)
    return len(names)


# -- measurement ---------------------------------------------------------------------------


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def peak_mib(fn: Callable[[], Any]) -> tuple[float, float]:
    """Peak traced memory during ``fn()`` and the size of what it returns, in MiB."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    parts = out if isinstance(out, tuple) else (out,)
    result = sum(x.nbytes for x in parts if isinstance(x, np.ndarray))
    return (peak - base) / 2**20, result / 2**20


def streaming_peak(total: int, chunk: int) -> tuple[float, float]:
    """Classify ``total`` int8 samples drawn chunk by chunk: (games/s, peak MiB)."""

    def sample(start: int, size: int) -> tuple[Arr, Arr]:
        rng = np.random.default_rng([1, start])
        both = rng.integers(-100, 101, size=(2, size, 2, 2), dtype=np.int8)
        return both[0], both[1]

    def run() -> int:
        counts = np.zeros(145, dtype=np.int64)
        for a, b in iter_chunks(sample, total, chunk):
            counts += np.bincount(classify_2x2(a, b) + 1, minlength=145)
        return int(counts.sum())

    seconds = best_time(run, 1)
    return total / seconds, peak_mib(run)[0]


def fmt_rate(x: float) -> str:
    return f"{x:.3g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="k = 1e5 and 1e6 only")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row (best kept)")
    args = parser.parse_args(argv)
    sizes = [10**5, 10**6] if args.quick else [10**6, 10**7]
    dtypes = ["int8", "int16", "float64"]
    functions: list[tuple[str, Callable[[Arr, Arr], Any], Callable[[Arr, Arr], Any]]] = [
        ("pure_equilibria_2x2", pure_equilibria_2x2, numpy_pure),
        ("classify_2x2", classify_2x2, numpy_classify),
        ("mixed_equilibrium_2x2", mixed_equilibrium_2x2, numpy_mixed),
    ]
    a_small, b_small = games(1000, "int64", seed=99)
    anchors = {
        "pure_equilibria_2x2": (
            "nashpy loop",
            1000 / best_time(lambda: nashpy_loop(a_small, b_small), 1),
        ),
        "mixed_equilibrium_2x2": ("nashpy loop", 0.0),
        "classify_2x2": (
            "taxonomy.classify loop",
            1000 / best_time(lambda: classify_loop(a_small, b_small), 1),
        ),
    }
    anchors["mixed_equilibrium_2x2"] = ("nashpy loop", anchors["pure_equilibria_2x2"][1])

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# 2x2 batch throughput ({platform.machine()}, {os.cpu_count()} cores, load {load}, "
        f"Python {sys.version.split()[0]}, numpy {np.__version__})\n"
    )
    print(
        "games/s: best of the timed runs. peak MiB: largest traced allocation during one "
        "call, with the size of the returned arrays in brackets. Per-game loop: "
        + "; ".join(f"`{n}`: {anchors[n][0]} on 1,000 games" for n, _, _ in functions)
        + " (nashpy's support enumeration finds pure and mixed equilibria in one loop).\n"
    )
    print(
        "| function | input | k | games/s | peak MiB (result) | plain numpy games/s "
        "| × numpy | per-game loop games/s | × loop |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, fn, baseline in functions:
        loop_rate = anchors[name][1]
        for dtype in dtypes:
            for k in sizes:
                a, b = games(k, dtype)
                rate = k / best_time(lambda: fn(a, b), args.repeat)
                base = k / best_time(lambda: baseline(a, b), 1 if k >= 10**7 else args.repeat)
                mem, result = peak_mib(lambda: fn(a, b))
                print(
                    f"| `{name}` | {dtype} | {k:.0e} | {fmt_rate(rate)} | "
                    f"{mem:.1f} ({result:.1f}) | {fmt_rate(base)} | {rate / base:.1f} | "
                    f"{fmt_rate(loop_rate)} | {rate / loop_rate:.2g} |",
                    flush=True,
                )
    print("\n## Streaming (`iter_chunks`, int8 samples drawn per chunk, classified, counted)\n")
    print("| samples | chunk | games/s (incl. sampling) | peak MiB |")
    print("|---:|---:|---:|---:|")
    for total in sizes:
        rate, mem = streaming_peak(total, 2**18)
        print(f"| {total:.0e} | {2**18} | {fmt_rate(rate)} | {mem:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
