"""Benchmarks: every speed target of issue 7, measured against its anchors in one run.

Run from the repository root with the test extra installed::

    python benchmarks/run.py                  # full run (15-25 minutes), writes RESULTS.md
    python benchmarks/run.py --quick          # smaller sizes (a few minutes), prints only
    python benchmarks/run.py --skip batch     # leave a part out (prints only)

Each row solves the same seeded random games with every tool and reports the
median wall time per game and the ratio to equishift (> 1 means equishift is
faster). Numbers of equilibria found are shown too, since a fast solver that
misses equilibria is not a fair comparison. Every call runs in a forked child
process, which gives its peak memory (see ``memory.py``) and lets anchors that
take minutes be capped. The vectorised batch path (``batch.py``), a streaming
run, the command line and the robustness of the whole brief are measured in the
same run; a table of targets at the top says which are met. These are
measurements, never assertions: no test depends on them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import batch
import memory
import numpy as np
from memory import PEAK_METHOD, Measured, fmt_mib, measure

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
    peak_bytes: int | None = None


@dataclass
class Target:
    target: str
    measured: str
    met: bool | None  # None: not measured


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    identical: dict[str, bool] = field(default_factory=dict)

    def row(self, task: str, size: str, tool: str) -> Row | None:
        for r in self.rows:
            if (r.task, r.size, r.tool) == (task, size, tool):
                return r
        return None


CAP = 60.0
BRIEF_RUNS = 5
"""Runs of `equishift brief` without robustness (each ~5 s; the median is reported)."""


def repeated(fn: Callable[[], Any], repeat: int) -> Callable[[], tuple[float, Any]]:
    """``fn`` run ``repeat`` times; returns (median seconds per call, last result)."""

    def run() -> tuple[float, Any]:
        times = []
        out = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times), out

    return run


def task(
    fn: Callable[[], Any], cap: float = CAP, repeat: int = 1, summary: Callable[[Any], Any] = len
) -> Measured | None:
    """Time ``fn`` in a forked child (median of ``repeat`` calls) with its peak memory."""
    res = measure(repeated(fn, repeat), cap, summary=lambda out: (out[0], summary(out[1])))
    if res is None:
        return None
    seconds, value = res.value
    return Measured(seconds, res.cpu_seconds / repeat, value, res.peak_bytes)


def random_bimatrix(rng: np.random.Generator, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.integers(0, 100, size=(m, n)), rng.integers(0, 100, size=(m, n))


def gambit_game(arrays: list[np.ndarray]) -> Any:
    import pygambit as gbt

    return gbt.Game.from_arrays(*[a.astype(object) for a in arrays])


def quantecon() -> Any | None:
    try:
        import quantecon.game_theory as qe_gt
    except ImportError:
        return None
    return qe_gt


# -- all equilibria of 2-player games -------------------------------------------------------
def bench_all_two_player(res: Results, sizes: list[int], games: int, seed: int) -> None:
    import nashpy
    import pygambit as gbt

    qe = quantecon()
    # Load equishift's solver modules here, before the forks, as pygambit and QuantEcon are:
    # each measured call runs in a fresh child, which would otherwise import them every time.
    solve(NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]), method="bimatrix")
    rng = np.random.default_rng(seed)
    task_name = "all equilibria, 2 players"
    for n in sizes:
        instances = [random_bimatrix(rng, n, n) for _ in range(games)]
        size = f"{n}x{n}"
        times: dict[str, list[float]] = {}
        counts: dict[str, list[int]] = {}
        peaks: dict[str, list[int]] = {}
        capped: dict[str, int] = {}

        def run(tool: str, fn: Callable[[], Any]) -> None:
            m = task(fn)
            if m is None:
                capped[tool] = capped.get(tool, 0) + 1
                return
            times.setdefault(tool, []).append(m.seconds)
            counts.setdefault(tool, []).append(m.value)
            if m.peak_bytes is not None:
                peaks.setdefault(tool, []).append(m.peak_bytes)

        for A, B in instances:
            g = NormalFormGame.from_arrays(A, B)
            run(
                "equishift bimatrix (exact)",
                lambda g=g: solve(g, method="bimatrix").equilibria,
            )
            gg = gambit_game([A, B])
            run(
                "pygambit enummixed (float)",
                lambda gg=gg: gbt.nash.enummixed_solve(gg, rational=False).equilibria,
            )
            run(
                "pygambit enummixed (exact)",
                lambda gg=gg: gbt.nash.enummixed_solve(gg, rational=True).equilibria,
            )
            if qe is not None:
                qg = qe.NormalFormGame((qe.Player(A.astype(float)), qe.Player(B.T.astype(float))))
                run("QuantEcon vertex_enumeration (float)", lambda qg=qg: qe.vertex_enumeration(qg))
            if n <= 8:
                ng = nashpy.Game(A, B)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    run("nashpy vertex_enumeration", lambda ng=ng: list(ng.vertex_enumeration()))
                    run("nashpy support_enumeration", lambda ng=ng: list(ng.support_enumeration()))
        for tool, ts in times.items():
            note = f"{capped[tool]} game(s) past {CAP:.0f} s not counted" if tool in capped else ""
            res.rows.append(
                Row(
                    task_name,
                    size,
                    tool,
                    statistics.median(ts),
                    f"{sum(counts[tool])} over {len(ts)} games",
                    note,
                    max(peaks[tool]) if tool in peaks else None,
                )
            )
        for tool, k in capped.items():
            if tool not in times:
                res.rows.append(
                    Row(task_name, size, tool, None, "-", f"all {k} game(s) past {CAP:.0f} s")
                )
        if qe is None:
            res.rows.append(
                Row(
                    task_name,
                    size,
                    "QuantEcon vertex_enumeration (float)",
                    None,
                    "-",
                    "not installed here; issue 7 quotes ≈ 5 ms at 10x10 (not re-measured)",
                )
            )
        if n > 8:
            res.rows.append(
                Row(
                    task_name,
                    size,
                    "nashpy (both)",
                    None,
                    "-",
                    "not run: issue 2 measured ~70 s per game for support enumeration at 10x10",
                )
            )


def bench_lemke_howson(res: Results, sizes: list[int], seed: int) -> None:
    import nashpy
    import pygambit as gbt

    rng = np.random.default_rng(seed + 1)
    name = "one equilibrium (Lemke–Howson)"
    for n in sizes:
        A, B = random_bimatrix(rng, n, n)
        g = NormalFormGame.from_arrays(A, B)
        m = task(lambda: solve(g, method="lemke_howson").equilibria)
        res.rows.append(
            Row(
                name,
                f"{n}x{n}",
                "equishift (exact)",
                None if m is None else m.seconds,
                "-" if m is None else str(m.value),
                "" if m is not None else f"past {CAP:.0f} s",
                None if m is None else m.peak_bytes,
            )
        )
        ng = nashpy.Game(A, B)

        def nashpy_lh(ng: Any = ng) -> list[Any]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return list(ng.lemke_howson(initial_dropped_label=0))

        m = task(nashpy_lh, summary=lambda _: 1)
        res.rows.append(
            Row(
                name,
                f"{n}x{n}",
                "nashpy (float)",
                None if m is None else m.seconds,
                "-" if m is None else "1",
                f"past {CAP:.0f} s" if m is None else "",
                None if m is None else m.peak_bytes,
            )
        )
        if n <= 30:
            gg = gambit_game([A, B])
            m = task(lambda gg=gg: gbt.nash.lcp_solve(gg, rational=False, stop_after=1).equilibria)
            res.rows.append(
                Row(
                    name,
                    f"{n}x{n}",
                    "pygambit lcp",
                    None if m is None else m.seconds,
                    "-" if m is None else str(m.value),
                    "" if m is not None else f"past {CAP:.0f} s",
                    None if m is None else m.peak_bytes,
                )
            )
        else:
            res.rows.append(
                Row(
                    name,
                    f"{n}x{n}",
                    "pygambit lcp",
                    None,
                    "-",
                    "skipped: > 60 s at 100x100 (issue 7)",
                )
            )


def bench_pure(res: Results, players: int, strategies: int, seed: int) -> None:
    import pygambit as gbt

    rng = np.random.default_rng(seed + 2)
    shape = (strategies,) * players
    arrays = [rng.integers(0, 10, size=shape) for _ in range(players)]
    g = NormalFormGame.from_arrays(*arrays)
    size = "x".join(map(str, shape))
    name = "pure equilibria, N players"
    m = task(lambda: pure_equilibria(g), repeat=5)
    assert m is not None
    res.rows.append(Row(name, size, "equishift (exact)", m.seconds, str(m.value), "", m.peak_bytes))
    gg = gambit_game(arrays)
    m = task(lambda: gbt.nash.enumpure_solve(gg).equilibria, repeat=3)
    assert m is not None
    res.rows.append(Row(name, size, "pygambit enumpure", m.seconds, str(m.value), "", m.peak_bytes))


def bench_nplayer(res: Results, sizes: list[tuple[int, ...]], seed: int, budget: float) -> None:
    import pygambit as gbt

    rng = np.random.default_rng(seed + 3)
    name = "all equilibria, N players"
    for shape in sizes:
        arrays = [rng.integers(0, 100, size=shape) for _ in range(len(shape))]
        g = NormalFormGame.from_arrays(*arrays)
        size = "x".join(map(str, shape))
        m = task(
            lambda g=g: solve(g, method="nplayer", max_seconds=budget),
            cap=budget + CAP,
            summary=lambda sol: (len(sol.equilibria), sol.complete, sol.exact, sol.certified),
        )
        if m is None:
            res.rows.append(Row(name, size, "equishift nplayer", None, "-", "hung past the cap"))
        else:
            count, complete, exact, certified = m.value
            notes = [] if complete else [f"incomplete (budget {budget:.0f} s)"]
            if not certified:
                notes.append("not exact (some equilibria in floats without a proof)")
            elif not exact:
                notes.append("certified (irrational equilibria proved in rational boxes)")
            note = "; ".join(notes)
            res.rows.append(
                Row(name, size, "equishift nplayer", m.seconds, str(count), note, m.peak_bytes)
            )
        gg = gambit_game(arrays)
        m = task(lambda gg=gg: gbt.nash.enumpoly_solve(gg).equilibria)
        if m is None:
            res.rows.append(Row(name, size, "pygambit enumpoly", None, "-", f"past {CAP:.0f} s"))
        else:
            res.rows.append(
                Row(name, size, "pygambit enumpoly", m.seconds, str(m.value), "", m.peak_bytes)
            )


# -- subgame-perfect equilibrium of a big tree ----------------------------------------------
def binary_tree_arrays(depth: int, seed: int) -> dict[str, Any]:
    n = 2 ** (depth + 1) - 1
    v = np.arange(n, dtype=np.int64)
    parent = (v - 1) // 2
    parent[0] = -1
    level = np.floor(np.log2(v + 1)).astype(np.int64)
    pay = np.zeros((n, 2), dtype=np.int64)
    leaves = v >= 2**depth - 1
    rng = np.random.default_rng(seed + 4)
    pay[leaves] = rng.integers(-(10**6), 10**6, size=(int(leaves.sum()), 2))
    return {"players": ["A", "B"], "parent": parent, "player": level % 2, "payoffs": pay}


def numpy_backward_induction(depth: int, pay: np.ndarray) -> np.ndarray:
    """The anchor of issue 7: level-wise numpy backward induction on a heap-ordered tree.

    Node ``v``'s children are ``2v+1`` and ``2v+2``; the mover at depth ``d`` is
    player ``d % 2``. No verification, no equilibrium object: values only.
    """
    val = pay[2**depth - 1 :].copy()
    for d in reversed(range(depth)):
        first, second = val[0::2], val[1::2]
        take = second[:, d % 2] > first[:, d % 2]
        val = np.where(take[:, None], second, first) + pay[2**d - 1 : 2 ** (d + 1) - 1]
    return val[0]


def bench_tree(res: Results, depth: int, seed: int) -> None:
    """Subgame-perfect equilibrium of a complete binary perfect-information tree."""
    from equishift.games import ExtensiveFormGame

    arrays = binary_tree_arrays(depth, seed)
    size = f"2^{depth} leaves"
    t0 = time.perf_counter()
    game = ExtensiveFormGame.from_arrays(**arrays)
    built = time.perf_counter() - t0
    res.rows.append(Row("tree: build", size, "equishift from_arrays", built, "-"))

    def cold() -> Any:
        return solve(game, method="backward_induction").equilibria

    # First solve on the fresh game: builds the cached level structure too.
    m_cold = task(cold)

    def warm() -> tuple[float, float, float, int, int | None]:
        solve(game, method="backward_induction")  # fills the game's caches, not timed
        memory.fresh_heap()
        reset = memory.reset_peak()
        base = memory.status_kib("VmRSS")
        walls, cpus = [], []
        out: Any = None
        for _ in range(7):
            t, c = time.perf_counter(), time.process_time()
            out = solve(game, method="backward_induction").equilibria
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        high = memory.status_kib("VmHWM")
        peak = (high - base) * 1024 if reset and base is not None and high is not None else None
        return statistics.median(walls), min(walls), min(cpus), len(out), peak

    m_warm = measure(warm, 600.0, summary=lambda x: x)
    assert m_cold is not None and m_warm is not None
    median, best, cpu, found, warm_peak = m_warm.value
    task_name = "subgame-perfect equilibrium"
    res.rows.append(
        Row(
            task_name,
            size,
            "equishift (exact, verified)",
            median,
            str(found),
            f"median of 7 solves of one game after a first one; best {best:.4f} s, CPU best "
            f"{cpu:.4f} s",
            warm_peak,
        )
    )
    res.rows.append(
        Row(
            task_name,
            size,
            "equishift, first solve of a new game",
            m_cold.seconds,
            str(m_cold.value),
            "builds and caches the level structure, payoffs in level order and label columns",
            m_cold.peak_bytes,
        )
    )
    pay = arrays["payoffs"]
    m_np = task(lambda: numpy_backward_induction(depth, pay), repeat=5, summary=lambda _: 1)
    assert m_np is not None
    res.rows.append(
        Row(
            task_name,
            size,
            "numpy level-wise backward induction (anchor)",
            m_np.seconds,
            "1 (values only)",
            "heap-ordered arrays, no verification, no equilibrium object (issue 7: ≈ 27 ms)",
            m_np.peak_bytes,
        )
    )
    res.rows.append(
        Row(
            task_name,
            size,
            "pygambit",
            None,
            "-",
            "no SPE solver since 16.5; issue 7 reports it cannot build such a tree in a minute "
            "(not re-measured here)",
        )
    )


# -- command line -----------------------------------------------------------------------------
def _cli() -> list[str]:
    exe = shutil.which("equishift")
    return [exe] if exe else [sys.executable, "-m", "equishift"]


def bench_cli(res: Results, runs: int) -> None:
    def wall(args: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, timeout=600)
        return time.perf_counter() - t0

    helps = [wall([*_cli(), "--help"]) for _ in range(runs)]
    res.rows.append(
        Row(
            "command line",
            "--help",
            "equishift --help",
            statistics.median(helps),
            "-",
            f"median of {runs} runs, best {min(helps):.3f} s (a fresh interpreter each)",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        plain = ["--robustness", "0", "--no-maps"]
        briefs = [
            wall([*_cli(), "brief", "--out", str(Path(tmp) / "b"), "-q", *plain])
            for _ in range(BRIEF_RUNS)
        ]
        full = wall([*_cli(), "brief", "--out", str(Path(tmp) / "c"), "-q"])
    res.rows.append(
        Row(
            "command line",
            "brief",
            "equishift brief (no robustness)",
            statistics.median(briefs),
            "-",
            f"median of {len(briefs)} runs (all: {', '.join(f'{b:.2f}' for b in briefs)} s); "
            "--robustness 0 --no-maps; writes HTML, PDF, Markdown and JSON",
        )
    )
    res.rows.append(
        Row(
            "command line",
            "brief",
            "equishift brief (default)",
            full,
            "-",
            "one run; 10,000 robustness samples per recommendation and a verdict map each",
        )
    )


# -- robustness of the whole brief ----------------------------------------------------------------
def bench_brief_robustness(res: Results, n: int, seed: int) -> None:
    try:
        from equishift.recommendations import robustness
    except ImportError:
        fn = None
    else:
        fn = getattr(robustness, "brief_robustness", None)
    name = "robustness of the whole brief"
    if fn is None:
        res.rows.append(
            Row(
                name,
                f"n={n}",
                "brief_robustness",
                None,
                "-",
                "not measured: brief_robustness not available",
            )
        )
        return

    def run() -> Any:
        import resource

        out = fn(n=n, seed=seed, workers=2)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        return len(out), workers

    try:
        m = measure(run, 900.0, summary=lambda x: x)
    except RuntimeError as exc:
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else "error"
        res.rows.append(Row(name, f"n={n}", "brief_robustness", None, "-", f"failed: {last}"))
        return
    if m is None:
        res.rows.append(Row(name, f"n={n}", "brief_robustness", None, "-", "past 900 s"))
        return
    count, worker_peak = m.value
    # The same seed in one process, in two, and through Dask when installed: identical results?
    same = {"serial": fn(n=n, seed=seed, workers=1) == fn(n=n, seed=seed, workers=2)}
    try:
        import dask  # noqa: F401
    except ImportError:
        pass
    else:
        same["dask"] = fn(n=n, seed=seed, workers=1) == fn(n=n, seed=seed, scheduler="dask")
    res.identical = same
    res.rows.append(
        Row(
            name,
            f"n={n}",
            "brief_robustness (workers=2)",
            m.seconds,
            f"{count} recommendations",
            f"{n} samples per recommendation, seed {seed}; CPU of the caller "
            f"{m.cpu_seconds:.1f} s; largest worker's max RSS {fmt_mib(worker_peak)} MiB",
            m.peak_bytes,
        )
    )


# -- targets ----------------------------------------------------------------------------------
def _secs(r: Row | None) -> float | None:
    return None if r is None else r.seconds


def fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x * 1000:.3g} ms" if x < 1 else f"{x:.3g} s"


def evaluate_targets(
    res: Results, batch_rows: list[batch.BatchRow], stream_rows: list[batch.StreamRow]
) -> None:
    t = res.targets
    two = "all equilibria, 2 players"
    for n in (10, 12):
        size = f"{n}x{n}"
        eq = _secs(res.row(two, size, "equishift bimatrix (exact)"))
        gf = _secs(res.row(two, size, "pygambit enummixed (float)"))
        gx = res.row(two, size, "pygambit enummixed (exact)")
        qe = _secs(res.row(two, size, "QuantEcon vertex_enumeration (float)"))
        if eq is None:
            t.append(Target(f"2 players {size}: all equilibria", "not measured", None))
            continue
        if n == 10:
            t.append(Target("2 players 10x10: exact all-equilibria ≤ 50 ms", fmt_s(eq), eq <= 0.05))
        if gx is not None and gx.seconds is not None:
            ratio = gx.seconds / eq
            partial = " (pygambit's capped games left out)" if gx.note else ""
            t.append(
                Target(
                    f"2 players {size}: ≥ 100× pygambit exact",
                    f"{ratio:.3g}×{partial}",
                    ratio >= 100,
                )
            )
        elif gx is not None:
            t.append(
                Target(
                    f"2 players {size}: ≥ 100× pygambit exact",
                    f"pygambit past {CAP:.0f} s on every game: ≥ {CAP / eq:.3g}×",
                    CAP / eq >= 100,
                )
            )
        if gf is not None:
            t.append(
                Target(
                    f"2 players {size}: faster than pygambit float",
                    f"{gf / eq:.3g}× (pygambit float {fmt_s(gf)})",
                    gf > eq,
                )
            )
        if qe is not None:
            t.append(
                Target(
                    f"2 players {size}: within 10× of QuantEcon float",
                    f"{eq / qe:.3g}× slower",
                    eq <= 10 * qe,
                )
            )
        else:
            t.append(
                Target(
                    f"2 players {size}: within 10× of QuantEcon float",
                    f"QuantEcon not installed; against issue 7's ≈ 5 ms: {eq / 0.005:.3g}× "
                    "(not a same-run ratio)",
                    None,
                )
            )
    pure_rows = [r for r in res.rows if r.task == "pure equilibria, N players"]
    if pure_rows:
        size = pure_rows[0].size
        eq = _secs(res.row("pure equilibria, N players", size, "equishift (exact)"))
        gb = _secs(res.row("pure equilibria, N players", size, "pygambit enumpure"))
        if eq and gb:
            t.append(
                Target(
                    f"N-player pure equilibria at {size}: ≥ 20× pygambit",
                    f"{gb / eq:.3g}×",
                    gb / eq >= 20,
                )
            )
    np_task = "all equilibria, N players"
    for size in ("4x4x4", "3x3x3", "2x2x2"):
        ours = res.row(np_task, size, "equishift nplayer")
        theirs = res.row(np_task, size, "pygambit enumpoly")
        if ours is None or theirs is None:
            continue
        if ours.seconds is not None and theirs.seconds is not None:
            complete = "incomplete" not in ours.note
            exact = "not exact" not in ours.note
            how = "exact or certified" if exact else "not exact"
            t.append(
                Target(
                    f"3 players {size}: no slower than enumpoly, exact-certified",
                    f"{theirs.seconds / ours.seconds:.3g}× ({fmt_s(ours.seconds)} vs "
                    f"{fmt_s(theirs.seconds)}; equishift {ours.found} equilibria, {how}"
                    f"{'' if complete else ', incomplete'}; enumpoly {theirs.found})",
                    complete and exact and ours.seconds <= theirs.seconds,
                )
            )
        break
    five = res.row(np_task, "5x5x5", "equishift nplayer")
    if five is not None:
        gam = res.row(np_task, "5x5x5", "pygambit enumpoly")
        t.append(
            Target(
                "3 players 5x5x5: a budget instead of a hang",
                f"returned after {fmt_s(five.seconds)} ({five.note or 'complete'}); enumpoly: "
                + ("past the cap" if gam is None or gam.seconds is None else fmt_s(gam.seconds)),
                five.seconds is not None,
            )
        )
    spe = [r for r in res.rows if r.tool == "equishift (exact, verified)"]
    if spe:
        r = spe[0]
        cold = res.row(r.task, r.size, "equishift, first solve of a new game")
        anchor = res.row(r.task, r.size, "numpy level-wise backward induction (anchor)")
        ratio = ""
        if anchor is not None and anchor.seconds and r.seconds:
            ratio = f", {r.seconds / anchor.seconds:.3g}× the bare numpy anchor"
        t.append(
            Target(
                f"subgame-perfect equilibrium, {r.size}: ≤ 0.1 s (judged on the median)",
                f"{fmt_s(r.seconds)} median of 7 ({r.note.split('; ', 1)[1]}; first solve of a "
                f"new game {fmt_s(_secs(cold))}){ratio}",
                r.seconds is not None and r.seconds <= 0.1,
            )
        )
    big = max((b.k for b in batch_rows), default=0)
    for fn, goal in (
        ("pure_equilibria_2x2", 1e8),
        ("classify_2x2", 1e8),
        ("mixed_equilibrium_2x2", 3e7),
    ):
        rows = [b for b in batch_rows if b.function == fn and b.k == big]
        if not rows:
            continue
        best = max(rows, key=lambda b: b.rate)
        worst = min(rows, key=lambda b: b.rate)
        t.append(
            Target(
                f"batch `{fn}`: ≥ {goal:.0e} games/s",
                f"{best.rate:.3g}/s ({best.dtype}; {worst.rate:.3g}/s {worst.dtype}); "
                f"{best.rate / best.loop_rate:.3g}× the nashpy/per-game loop, "
                f"{best.rate / best.numpy_rate:.3g}× plain numpy",
                best.rate >= goal,
            )
        )
    general = [b for b in batch_rows if b.function.startswith("pure_equilibria_batch")]
    if general:
        g = general[0]
        t.append(
            Target(
                "general games in batches (no number set)",
                f"{g.rate:.3g} 3-player games/s, {g.rate / g.loop_rate:.3g}× a pygambit loop",
                True,
            )
        )
    rob = [r for r in res.rows if r.task == "robustness of the whole brief"]
    if rob:
        r = rob[0]
        if r.seconds is None:
            t.append(Target("robustness of the whole brief, n=10,000: < 30 s", r.note, None))
        else:
            full = r.size == "n=10000"
            t.append(
                Target(
                    "robustness of the whole brief, n=10,000: < 30 s",
                    f"{fmt_s(r.seconds)} at {r.size}"
                    + ("" if full else " (quick run: not n=10,000)"),
                    (r.seconds < 30) if full else None,
                )
            )
    helps = res.row("command line", "--help", "equishift --help")
    if helps is not None and helps.seconds is not None:
        t.append(Target("`equishift --help` < 0.3 s", fmt_s(helps.seconds), helps.seconds < 0.3))
    brief = res.row("command line", "brief", "equishift brief (no robustness)")
    if brief is not None and brief.seconds is not None:
        t.append(Target("`equishift brief` < 5 s", fmt_s(brief.seconds), brief.seconds < 5))
    if len(stream_rows) >= 2:
        lo, hi = stream_rows[0], stream_rows[-1]
        if lo.peak_bytes is not None and hi.peak_bytes is not None:
            flat = hi.peak_bytes <= 1.5 * lo.peak_bytes + 8 * 2**20
            t.append(
                Target(
                    "memory flat as samples grow (chunked stream)",
                    f"{fmt_mib(lo.peak_bytes)} MiB at {lo.total:.0e} samples, "
                    f"{fmt_mib(hi.peak_bytes)} MiB at {hi.total:.0e}",
                    flat,
                )
            )
    same = res.identical
    if same:
        shown = "; ".join(
            f"{'1 process vs 2' if k == 'serial' else '1 process vs Dask'}: "
            f"{'identical' if v else 'DIFFERENT'}"
            for k, v in same.items()
        )
        if "dask" not in same:
            shown += " (Dask not installed here)"
        t.append(
            Target("sweeps over processes / Dask with identical results", shown, all(same.values()))
        )
    else:
        t.append(
            Target(
                "sweeps over processes / Dask with identical results",
                "not measured (robustness of the brief not run)",
                None,
            )
        )


def warm_up() -> None:
    """Import and run every tool once in this process, so forked children time solving only."""
    import nashpy
    import pygambit as gbt

    from equishift.games import ExtensiveFormGame

    a = np.array([[2, 0], [0, 1]])
    g = NormalFormGame.from_arrays(a, a.T)
    for method in ("bimatrix", "lemke_howson", "nplayer"):
        solve(g, method=method)
    pure_equilibria(g)
    three = [np.arange(8).reshape(2, 2, 2) % (i + 2) for i in range(3)]
    solve(NormalFormGame.from_arrays(*three), method="nplayer")
    gg = gambit_game([a, a.T])
    gbt.nash.enummixed_solve(gg, rational=False)
    gbt.nash.enummixed_solve(gg, rational=True)
    gbt.nash.lcp_solve(gg, rational=False, stop_after=1)
    gbt.nash.enumpure_solve(gg)
    gbt.nash.enumpoly_solve(gambit_game(three))
    ng = nashpy.Game(a, a.T)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        list(ng.vertex_enumeration())
        list(ng.support_enumeration())
        list(ng.lemke_howson(initial_dropped_label=0))
    tree = ExtensiveFormGame.from_arrays(**binary_tree_arrays(3, 0))
    solve(tree, method="backward_induction")
    qe = quantecon()
    if qe is not None:
        qe.vertex_enumeration(qe.NormalFormGame((qe.Player(a * 1.0), qe.Player(a * 1.0))))


# -- output -----------------------------------------------------------------------------------
def render(rows: list[Row]) -> str:
    base: dict[tuple[str, str], float] = {}
    for r in rows:
        if r.tool.startswith("equishift") and r.seconds is not None:
            base.setdefault((r.task, r.size), r.seconds)
    lines = [
        "| task | size | tool | median s | ratio to equishift | equilibria found "
        "| peak MiB | note |",
        "|---|---|---|---:|---:|---|---:|---|",
    ]
    for r in rows:
        secs = "-" if r.seconds is None else f"{r.seconds:.4g}"
        b = base.get((r.task, r.size))
        ratio = "-" if r.seconds is None or b is None else f"{r.seconds / b:.3g}"
        lines.append(
            f"| {r.task} | {r.size} | {r.tool} | {secs} | {ratio} | {r.found} "
            f"| {fmt_mib(r.peak_bytes)} | {r.note} |"
        )
    return "\n".join(lines)


def render_targets(targets: list[Target]) -> str:
    lines = ["| target (issue 7) | measured | status |", "|---|---|---|"]
    for t in targets:
        status = "not measured" if t.met is None else ("met" if t.met else "**not met**")
        lines.append(f"| {t.target} | {t.measured} | {status} |")
    return "\n".join(lines)


def machine() -> str:
    import nashpy
    import pygambit

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} cores (load average at the end {load}), "
        f"Python {platform.python_version()}, numpy {np.__version__}, nashpy "
        f"{nashpy.__version__}, pygambit {pygambit.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; print only")
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    parser.add_argument(
        "--write", action="store_true", help="write RESULTS.md even with --quick or --skip"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="PART",
        help="leave out a part: two-player, lemke-howson, pure, nplayer, tree, batch, cli, "
        "robustness (repeatable)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    res = Results()
    skip = set(args.skip)

    def part(name: str, fn: Callable[[], None]) -> None:
        if name in skip:
            return
        t0 = time.perf_counter()
        fn()
        print(f"[{name}: {time.perf_counter() - t0:.0f} s]", file=sys.stderr, flush=True)

    warm_up()
    batch_rows: list[batch.BatchRow] = []
    stream_rows: list[batch.StreamRow] = []
    if args.quick:
        part("two-player", lambda: bench_all_two_player(res, [4, 6, 10], games=1, seed=args.seed))
        part("lemke-howson", lambda: bench_lemke_howson(res, [20], seed=args.seed))
        part("pure", lambda: bench_pure(res, 4, 4, seed=args.seed))
        part("nplayer", lambda: bench_nplayer(res, [(2, 2, 2), (3, 3, 3)], args.seed, 10.0))
        part("tree", lambda: bench_tree(res, 16, seed=args.seed))
        sizes, totals, rob_n = [10**5, 10**6], [10**5, 10**6], 1000
    else:
        part(
            "two-player",
            lambda: bench_all_two_player(res, [4, 6, 8, 10, 12], games=2, seed=args.seed),
        )
        part("lemke-howson", lambda: bench_lemke_howson(res, [30, 100, 200], seed=args.seed))
        part("pure", lambda: bench_pure(res, 6, 5, seed=args.seed))
        part(
            "nplayer",
            lambda: bench_nplayer(
                res, [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2), (4, 4, 4), (5, 5, 5)], args.seed, 60.0
            ),
        )
        part("tree", lambda: bench_tree(res, 20, seed=args.seed))
        sizes, totals, rob_n = [10**6, 10**7], [10**6, 10**7], 10_000

    def run_batch() -> None:
        batch_rows.extend(batch.bench_batch(sizes, repeat=3))
        stream_rows.extend(batch.bench_stream(totals))

    part("batch", run_batch)
    part("cli", lambda: bench_cli(res, 5))
    part("robustness", lambda: bench_brief_robustness(res, rob_n, args.seed))
    evaluate_targets(res, batch_rows, stream_rows)
    elapsed = time.perf_counter() - started
    stamp = time.strftime("%Y-%m-%d")
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    rob_rows = [r for r in res.rows if r.task == "robustness of the whole brief"]
    main_rows = [r for r in res.rows if r.task != "robustness of the whole brief"]
    text = (
        "# Benchmark results\n\n"
        f"Measured {stamp} on {machine()} with `{command}` (seed {args.seed}; the whole run "
        f"took {elapsed / 60:.1f} min). Regenerate everything below with that one command "
        "(`--quick` for smaller sizes). Other processes on the machine were not controlled: "
        "with two cores, load from them slows every row.\n\n"
        "## Targets\n\n" + render_targets(res.targets) + "\n\n"
        "## Solvers against their anchors\n\n"
        "Median wall time per game; ratio = tool time / equishift time (above 1: equishift is "
        "faster). Random games with integer payoffs 0..99. Every call runs in a forked child "
        f"process capped at {CAP:.0f} s; a capped game is left out of that tool's median and "
        "named in the note.\n\n"
        f"Peak MiB: {PEAK_METHOD}.\n\n" + render(main_rows) + "\n\n"
        "## Vectorised 2x2 batches\n\n"
        "Games per second, best of 3 wall-clock runs, random payoffs -100..100 in the given "
        "dtype; plain numpy = the textbook formula on per-cell slices; per-game loop = nashpy "
        "support enumeration (pure and mixed), `taxonomy.classify` (classification; nashpy has "
        "none) or pygambit `enumpure_solve` (general games), on 1,000 (200) games. Peak MiB "
        "as above (the result arrays included).\n\n"
        + (batch.render_batch(batch_rows) if batch_rows else "not run")
        + "\n\n## Streaming: memory stays flat as the sample count grows\n\n"
        "`iter_chunks` draws int8 samples chunk by chunk; each chunk is classified "
        "(`classify_2x2`) and solved (`mixed_equilibrium_2x2`) and reduced to counts before the "
        "next. Peak MiB as above, one forked child per row.\n\n"
        + (batch.render_stream(stream_rows) if stream_rows else "not run")
        + "\n\n## Robustness of the whole brief\n\n"
        "`equishift.recommendations.robustness.brief_robustness(n=..., seed=..., workers=2)`, "
        "end to end in a forked child (its worker processes are the child's children).\n\n"
        + (render(rob_rows) if rob_rows else "not run")
        + "\n"
    )
    print(text)
    if args.write or not (args.quick or args.skip or args.no_write):
        out = Path(__file__).with_name("RESULTS.md")
        out.write_text(text)
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
