"""Benchmarks: equishift against nashpy and pygambit on the same games, as ratios.

Run from the repository root with the test extra installed::

    python benchmarks/run.py            # full run, writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick    # smaller sizes, prints only

Each row solves the same seeded random games with every tool and reports the
median wall time per game and the ratio to equishift (> 1 means equishift is
faster). Numbers of equilibria found are shown too, since a fast solver that
misses equilibria is not a fair comparison. Slow anchors run on fewer games or
are skipped beyond a size where they are known to take minutes; the table says so.
These are measurements, never assertions: no test depends on them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from equishift.games import NormalFormGame
from equishift.solver import solve
from equishift.solver.pure import pure_equilibria


@dataclass
class Row:
    task: str
    size: str
    tool: str
    seconds: float | None
    found: str
    note: str = ""


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best: list[float] = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best.append(time.perf_counter() - t0)
    return statistics.median(best), out


def _child(conn: Any, fn: Callable[[], Any]) -> None:
    t0 = time.perf_counter()
    out = fn()
    conn.send((time.perf_counter() - t0, len(out)))
    conn.close()


def timed_capped(fn: Callable[[], Any], cap: float) -> tuple[float, int] | None:
    """Run ``fn`` in a forked process; (seconds, len(result)), or None past ``cap`` seconds.

    Anchors such as pygambit's exact enumeration can take minutes on one game; a cap keeps
    the run bounded and the table says which measurements were cut.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn))
    proc.start()
    send.close()
    if recv.poll(cap):
        result: tuple[float, int] = recv.recv()
        proc.join()
        return result
    proc.kill()
    proc.join()
    return None


CAP = 60.0


def random_bimatrix(rng: np.random.Generator, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.integers(0, 100, size=(m, n)), rng.integers(0, 100, size=(m, n))


def gambit_game(arrays: list[np.ndarray]) -> Any:
    import pygambit as gbt

    return gbt.Game.from_arrays(*[a.astype(object) for a in arrays])


def bench_all_two_player(rows: list[Row], sizes: list[int], games: int, seed: int) -> None:
    import nashpy
    import pygambit as gbt

    rng = np.random.default_rng(seed)
    for n in sizes:
        instances = [random_bimatrix(rng, n, n) for _ in range(games)]
        size = f"{n}x{n}"
        times: dict[str, list[float]] = {}
        counts: dict[str, list[int]] = {}

        def record(tool: str, t: float, k: int) -> None:
            times.setdefault(tool, []).append(t)
            counts.setdefault(tool, []).append(k)

        capped: dict[str, int] = {}

        def anchor(tool: str, fn: Callable[[], Any]) -> None:
            res = timed_capped(fn, CAP)
            if res is None:
                capped[tool] = capped.get(tool, 0) + 1
            else:
                record(tool, res[0], res[1])

        for A, B in instances:
            g = NormalFormGame.from_arrays(A, B)
            t, sol = timed(lambda g=g: solve(g, method="bimatrix"))
            record("equishift bimatrix (exact)", t, len(sol.equilibria))
            gg = gambit_game([A, B])
            anchor(
                "pygambit enummixed (float)",
                lambda gg=gg: gbt.nash.enummixed_solve(gg, rational=False).equilibria,
            )
            anchor(
                "pygambit enummixed (exact)",
                lambda gg=gg: gbt.nash.enummixed_solve(gg, rational=True).equilibria,
            )
            if n <= 8:
                ng = nashpy.Game(A, B)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    anchor("nashpy vertex_enumeration", lambda ng=ng: list(ng.vertex_enumeration()))
                    anchor(
                        "nashpy support_enumeration", lambda ng=ng: list(ng.support_enumeration())
                    )
        for tool, ts in times.items():
            note = f"{capped[tool]} game(s) past {CAP:.0f} s not counted" if tool in capped else ""
            rows.append(
                Row(
                    "all equilibria, 2 players",
                    size,
                    tool,
                    statistics.median(ts),
                    f"{sum(counts[tool])} over {len(ts)} games",
                    note,
                )
            )
        for tool, k in capped.items():
            if tool not in times:
                rows.append(
                    Row(
                        "all equilibria, 2 players",
                        size,
                        tool,
                        None,
                        "-",
                        f"all {k} game(s) past {CAP:.0f} s",
                    )
                )
        if n > 8:
            rows.append(
                Row(
                    "all equilibria, 2 players",
                    size,
                    "nashpy (both)",
                    None,
                    "-",
                    "not run: issue 2 measured ~70 s per game for support enumeration at 10x10",
                )
            )


def bench_lemke_howson(rows: list[Row], sizes: list[int], seed: int) -> None:
    import nashpy
    import pygambit as gbt

    rng = np.random.default_rng(seed + 1)
    for n in sizes:
        A, B = random_bimatrix(rng, n, n)
        g = NormalFormGame.from_arrays(A, B)
        t, _ = timed(lambda: solve(g, method="lemke_howson"))
        rows.append(Row("one equilibrium (Lemke–Howson)", f"{n}x{n}", "equishift (exact)", t, "1"))
        ng = nashpy.Game(A, B)

        def nashpy_lh(ng: Any = ng) -> list[Any]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return list(ng.lemke_howson(initial_dropped_label=0))

        res = timed_capped(nashpy_lh, CAP)
        rows.append(
            Row(
                "one equilibrium (Lemke–Howson)",
                f"{n}x{n}",
                "nashpy (float)",
                None if res is None else res[0],
                "-" if res is None else "1",
                f"past {CAP:.0f} s" if res is None else "",
            )
        )
        if n <= 30:
            gg = gambit_game([A, B])
            t, _ = timed(lambda: gbt.nash.lcp_solve(gg, rational=False, stop_after=1))
            rows.append(Row("one equilibrium (Lemke–Howson)", f"{n}x{n}", "pygambit lcp", t, "1"))
        else:
            rows.append(
                Row(
                    "one equilibrium (Lemke–Howson)",
                    f"{n}x{n}",
                    "pygambit lcp",
                    None,
                    "-",
                    "skipped: > 60 s at 100x100 (issue 7)",
                )
            )


def bench_pure(rows: list[Row], players: int, strategies: int, seed: int) -> None:
    import pygambit as gbt

    rng = np.random.default_rng(seed + 2)
    shape = (strategies,) * players
    arrays = [rng.integers(0, 10, size=shape) for _ in range(players)]
    g = NormalFormGame.from_arrays(*arrays)
    size = "x".join(map(str, shape))
    t, eqs = timed(lambda: pure_equilibria(g), repeat=5)
    rows.append(Row("pure equilibria, N players", size, "equishift (exact)", t, str(len(eqs))))
    gg = gambit_game(arrays)
    t, res = timed(lambda: gbt.nash.enumpure_solve(gg), repeat=3)
    rows.append(
        Row("pure equilibria, N players", size, "pygambit enumpure", t, str(len(res.equilibria)))
    )


def bench_nplayer(rows: list[Row], sizes: list[tuple[int, ...]], seed: int) -> None:
    import pygambit as gbt

    rng = np.random.default_rng(seed + 3)
    for shape in sizes:
        arrays = [rng.integers(0, 100, size=shape) for _ in range(len(shape))]
        g = NormalFormGame.from_arrays(*arrays)
        size = "x".join(map(str, shape))
        t, sol = timed(lambda: solve(g, method="nplayer", max_seconds=60))
        note = "" if sol.complete else "incomplete (budget)"
        rows.append(
            Row(
                "all equilibria, N players",
                size,
                "equishift nplayer",
                t,
                str(len(sol.equilibria)),
                note,
            )
        )
        gg = gambit_game(arrays)
        capped_res = timed_capped(lambda: gbt.nash.enumpoly_solve(gg).equilibria, CAP)
        if capped_res is None:
            rows.append(
                Row(
                    "all equilibria, N players",
                    size,
                    "pygambit enumpoly",
                    None,
                    "-",
                    f"past {CAP:.0f} s",
                )
            )
        else:
            rows.append(
                Row(
                    "all equilibria, N players",
                    size,
                    "pygambit enumpoly",
                    capped_res[0],
                    str(capped_res[1]),
                )
            )


def bench_tree(rows: list[Row], depth: int, seed: int) -> None:
    """Subgame-perfect equilibrium of a complete binary perfect-information tree."""
    from equishift.games import ExtensiveFormGame

    n = 2 ** (depth + 1) - 1
    v = np.arange(n, dtype=np.int64)
    parent = (v - 1) // 2
    parent[0] = -1
    level = np.floor(np.log2(v + 1)).astype(np.int64)
    pay = np.zeros((n, 2), dtype=np.int64)
    leaves = v >= 2**depth - 1
    rng = np.random.default_rng(seed + 4)
    pay[leaves] = rng.integers(-(10**6), 10**6, size=(int(leaves.sum()), 2))
    size = f"2^{depth} leaves"
    t, game = timed(
        lambda: ExtensiveFormGame.from_arrays(
            players=["A", "B"], parent=parent, player=level % 2, payoffs=pay
        )
    )
    rows.append(Row("tree: build", size, "equishift from_arrays", t, "-"))
    t, sol = timed(lambda: solve(game, method="backward_induction"), repeat=3)
    rows.append(
        Row("subgame-perfect equilibrium", size, "equishift (exact)", t, str(len(sol.equilibria)))
    )
    rows.append(
        Row(
            "subgame-perfect equilibrium",
            size,
            "pygambit",
            None,
            "-",
            "no SPE solver since 16.5; issue 7 reports it cannot build such a tree in a minute "
            "(not re-measured here)",
        )
    )


def render(rows: list[Row]) -> str:
    base: dict[tuple[str, str], float] = {}
    for r in rows:
        if r.tool.startswith("equishift") and r.seconds is not None:
            base.setdefault((r.task, r.size), r.seconds)
    lines = [
        "| task | size | tool | median s/game | ratio to equishift | equilibria found | note |",
        "|---|---|---|---:|---:|---|---|",
    ]
    for r in rows:
        secs = "-" if r.seconds is None else f"{r.seconds:.4g}"
        b = base.get((r.task, r.size))
        ratio = "-" if r.seconds is None or b is None else f"{r.seconds / b:.3g}"
        lines.append(
            f"| {r.task} | {r.size} | {r.tool} | {secs} | {ratio} | {r.found} | {r.note} |"
        )
    return "\n".join(lines)


def machine() -> str:
    import nashpy
    import pygambit

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, nashpy {nashpy.__version__}, pygambit {pygambit.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; print only")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rows: list[Row] = []
    if args.quick:
        bench_all_two_player(rows, [4, 6], games=3, seed=args.seed)
        bench_lemke_howson(rows, [20], seed=args.seed)
        bench_pure(rows, 4, 4, seed=args.seed)
        bench_nplayer(rows, [(2, 2, 2)], seed=args.seed)
        bench_tree(rows, 12, seed=args.seed)
    else:
        bench_all_two_player(rows, [4, 6, 8, 10, 12], games=2, seed=args.seed)
        bench_lemke_howson(rows, [30, 100, 200], seed=args.seed)
        bench_pure(rows, 6, 5, seed=args.seed)
        bench_nplayer(rows, [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2), (4, 4, 4)], seed=args.seed)
        bench_tree(rows, 20, seed=args.seed)
    table = render(rows)
    print(table)
    if not args.quick:
        out = Path(__file__).with_name("RESULTS.md")
        stamp = time.strftime("%Y-%m-%d")
        out.write_text(
            "# Benchmark results\n\n"
            f"Measured {stamp} on {machine()} with `python benchmarks/run.py` "
            f"(seed {args.seed}). Median wall time per game; ratio = tool time / equishift time "
            "(above 1: equishift is faster). Random games with integer payoffs 0..99.\n\n"
            + table
            + "\n\nAnchors run in a forked process capped at 60 s per game; a capped game is left "
            "out of that tool's median and named in the note, so a ratio over fewer games is "
            "marked. Load from other processes on the machine was not controlled.\n"
        )
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
