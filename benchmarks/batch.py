"""Throughput of the vectorised batch path (``equishift.solver.batch``), as games per second.

Part of the one benchmark command, ``python benchmarks/run.py`` (which writes
``benchmarks/RESULTS.md``); it can also be run on its own and prints its tables::

    python benchmarks/batch.py            # k = 1e6 and 1e7 games, int8 / int16 / float64
    python benchmarks/batch.py --quick    # k = 1e5 and 1e6 only

For every function and input dtype the same seeded games are timed (best of
``repeat`` runs, wall clock) and compared, in the same run, with two anchors:

- a plain numpy baseline: the textbook formula on the per-cell slices
  ``A[:, r, c]`` (no chunking, no in-place work);
- a per-game Python loop over 1,000 games calling nashpy (pure and mixed
  equilibria: support enumeration) or ``taxonomy.classify`` (classification;
  nashpy has none); for general games a loop calling pygambit's ``enumpure_solve``.

Peak memory is measured in a forked child per row: the growth of the child's
peak resident set (``VmHWM``, reset through ``/proc/self/clear_refs``) above its
resident set when the call starts, so inputs are excluded and the result is
included. A streaming run through ``iter_chunks`` shows that it stays flat as
the number of samples grows. These are measurements, never assertions: no test
depends on them.
"""

from __future__ import annotations

import argparse
import gc
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from memory import fmt_mib, measure
from numpy.typing import NDArray

from equishift.games import NormalFormGame
from equishift.games.taxonomy import classify
from equishift.solver.batch import (
    STREAM_CHUNK,
    classify_2x2,
    iter_chunks,
    mixed_equilibrium_2x2,
    pure_equilibria_2x2,
    pure_equilibria_batch,
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


def numpy_pure_general(u: Arr) -> Arr:
    """Best-response mask of a batch of N-player games, without chunking."""
    n = u.ndim - 2
    out = np.ones(u.shape[:-1], dtype=bool)
    for i in range(n):
        ui = u[..., i]
        out &= ui == ui.max(axis=i + 1, keepdims=True)
    return out


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


def gambit_pure_loop(u: Arr) -> int:
    import pygambit as gbt

    found = 0
    for g in range(u.shape[0]):
        arrays = [u[g, ..., i].astype(object) for i in range(u.shape[-1])]
        found += len(gbt.nash.enumpure_solve(gbt.Game.from_arrays(*arrays)).equilibria)
    return found


# -- measurement ---------------------------------------------------------------------------


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


@dataclass
class BatchRow:
    function: str
    dtype: str
    k: int
    rate: float
    peak_bytes: int | None
    numpy_rate: float
    loop_name: str
    loop_rate: float


@dataclass
class StreamRow:
    total: int
    chunk: int
    rate: float
    peak_bytes: int | None


def bench_batch(sizes: list[int], repeat: int, dtypes: list[str] | None = None) -> list[BatchRow]:
    """Rates of the 2x2 batch functions and of a batch of 3-player games, with anchors."""
    dtypes = dtypes or ["int8", "int16", "float64"]
    functions: list[tuple[str, Callable[[Arr, Arr], Any], Callable[[Arr, Arr], Any]]] = [
        ("pure_equilibria_2x2", pure_equilibria_2x2, numpy_pure),
        ("classify_2x2", classify_2x2, numpy_classify),
        ("mixed_equilibrium_2x2", mixed_equilibrium_2x2, numpy_mixed),
    ]
    a_small, b_small = games(1000, "int64", seed=99)
    nashpy_rate = 1000 / best_time(lambda: nashpy_loop(a_small, b_small), 1)
    loops = {
        "pure_equilibria_2x2": ("nashpy support enumeration loop", nashpy_rate),
        "mixed_equilibrium_2x2": ("nashpy support enumeration loop", nashpy_rate),
        "classify_2x2": (
            "taxonomy.classify loop",
            1000 / best_time(lambda: classify_loop(a_small, b_small), 1),
        ),
    }
    rows: list[BatchRow] = []
    for name, fn, baseline in functions:
        for dtype in dtypes:
            for k in sizes:
                a, b = games(k, dtype)
                rate = k / best_time(lambda fn=fn, a=a, b=b: fn(a, b), repeat)
                base_repeat = 1 if k >= 10**7 else repeat
                base = k / best_time(lambda bl=baseline, a=a, b=b: bl(a, b), base_repeat)
                mem = measure(lambda fn=fn, a=a, b=b: fn(a, b), 600.0, summary=lambda _: 0)
                rows.append(
                    BatchRow(
                        name,
                        dtype,
                        k,
                        rate,
                        None if mem is None else mem.peak_bytes,
                        base,
                        *loops[name],
                    )
                )
                del a, b
    # General games: 3 players x 2 strategies each, int8 payoffs.
    rng = np.random.default_rng(3)
    k = sizes[-1] // 10
    u = rng.integers(-100, 101, size=(k, 2, 2, 2, 3), dtype=np.int8)
    rate = k / best_time(lambda: pure_equilibria_batch(u), repeat)
    base = k / best_time(lambda: numpy_pure_general(u), 1)
    loop_rate = 200 / best_time(lambda: gambit_pure_loop(u[:200].astype(np.int64)), 1)
    mem = measure(lambda: pure_equilibria_batch(u), 600.0, summary=lambda _: 0)
    rows.append(
        BatchRow(
            "pure_equilibria_batch (3 players, 2x2x2)",
            "int8",
            k,
            rate,
            None if mem is None else mem.peak_bytes,
            base,
            "pygambit enumpure_solve loop",
            loop_rate,
        )
    )
    return rows


def _stream(total: int, chunk: int) -> int:
    """Classify and solve (mixed) ``total`` int8 samples drawn chunk by chunk; count them."""

    def sample(start: int, size: int) -> tuple[Arr, Arr]:
        rng = np.random.default_rng([1, start])
        both = rng.integers(-100, 101, size=(2, size, 2, 2), dtype=np.int8)
        return both[0], both[1]

    counts = np.zeros(145, dtype=np.int64)
    mixed = 0
    for a, b in iter_chunks(sample, total, chunk):
        counts += np.bincount(classify_2x2(a, b) + 1, minlength=145)
        mixed += int(mixed_equilibrium_2x2(a, b)[2].sum())
    return int(counts.sum()) + mixed * 0  # both results consumed; the count is the check


def bench_stream(totals: list[int], chunk: int = STREAM_CHUNK) -> list[StreamRow]:
    """Peak memory of a chunked stream as the number of samples grows (forked child each)."""
    rows = []
    for total in totals:
        res = measure(lambda total=total: _stream(total, chunk), 1200.0, summary=int)
        if res is None:
            continue
        rows.append(StreamRow(total, chunk, total / res.seconds, res.peak_bytes))
    return rows


def render_batch(rows: list[BatchRow]) -> str:
    lines = [
        "| function | input | k | games/s | peak MiB | plain numpy games/s | × numpy "
        "| per-game loop | loop games/s | × loop |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| `{r.function}` | {r.dtype} | {r.k:.0e} | {r.rate:.3g} | {fmt_mib(r.peak_bytes)} "
            f"| {r.numpy_rate:.3g} | {r.rate / r.numpy_rate:.2g} | {r.loop_name} "
            f"| {r.loop_rate:.3g} | {r.rate / r.loop_rate:.2g} |"
        )
    return "\n".join(lines)


def render_stream(rows: list[StreamRow]) -> str:
    lines = [
        "| samples | chunk | samples/s (incl. sampling) | peak MiB |",
        "|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r.total:.0e} | {r.chunk} | {r.rate:.3g} | {fmt_mib(r.peak_bytes)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="k = 1e5 and 1e6 only")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row (best kept)")
    args = parser.parse_args(argv)
    sizes = [10**5, 10**6] if args.quick else [10**6, 10**7]
    print(render_batch(bench_batch(sizes, args.repeat)))
    print()
    print(render_stream(bench_stream(sizes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
