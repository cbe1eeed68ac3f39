"""Vectorised verdicts (:mod:`equishift.recommendations.vectorised`) against the exact path.

The vectorised rules must give, on every sample they decide, the verdict that rebuilding and
solving the games in exact arithmetic gives; chunking and worker processes must not change a
result; and a region given by the symbolic engine must come out with probability 1 inside
and 0 outside.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games.parameters import parse_expression
from equishift.recommendations.brief import SCENARIO_OF
from equishift.recommendations.robustness import (
    ScenarioBuilder,
    brief_robustness,
    robustness,
)
from equishift.recommendations.vectorised import (
    EXACT,
    Columns,
    compile_verdict,
    numpy_function,
)
from equishift.solver.repeated import critical_delta

_MINE = {
    "DF": "repeated-threshold",
    "R1": "normal-form",
    "R2": "repeated-threshold",
    "R3": "repeated-threshold",
    "R4": "linked-threshold",
    "R5": "repeated-threshold",
    "R8": "constant",
}


@pytest.mark.parametrize("rec_id", sorted(_MINE))
def test_rule_is_chosen(rec_id: str) -> None:
    v = compile_verdict(ScenarioBuilder(SCENARIO_OF[rec_id]), rec_id)
    assert v is not None and v.rule == _MINE[rec_id]


@pytest.mark.parametrize("rec_id", sorted(_MINE))
def test_vectorised_equals_exact(rec_id: str) -> None:
    """Same counts, sensitivity and verdict with and without the vectorised rule."""
    source = SCENARIO_OF[rec_id]
    fast = robustness(source, rec_id, n=40, seed=5, method="random", flips=False)
    slow = robustness(source, rec_id, n=40, seed=5, method="random", flips=False, exact=True)
    assert fast.rule == _MINE[rec_id] and slow.rule is None
    assert slow.exact_evaluations == 40
    assert (fast.works, fast.fails, fast.undetermined) == (
        slow.works,
        slow.fails,
        slow.undetermined,
    )
    assert fast.sensitivity == slow.sensitivity
    assert fast.exact_evaluations < 40


def test_chunks_and_workers_do_not_change_results() -> None:
    one = robustness("repeated-pd", "R3", n=300, seed=9, flips=False)
    chunked = robustness("repeated-pd", "R3", n=300, seed=9, flips=False, chunk_size=37)
    pooled = robustness("repeated-pd", "R3", n=300, seed=9, flips=False, chunk_size=64, workers=2)
    assert one == chunked == pooled
    seen: list[tuple[int, int]] = []
    robustness(
        "repeated-pd",
        "R3",
        n=100,
        flips=False,
        chunk_size=30,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(30, 100), (60, 100), (90, 100), (100, 100)]


def test_unknown_scheduler_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scheduler"):
        robustness("repeated-pd", "R3", n=4, flips=False, scheduler="cluster")


def test_dask_scheduler_gives_the_same_result_or_a_clear_error() -> None:
    try:
        import dask  # noqa: F401
    except ImportError:
        from equishift.games.errors import EquishiftError

        with pytest.raises(EquishiftError, match="pip install"):
            robustness("repeated-pd", "R3", n=4, flips=False, scheduler="dask")
        return
    a = robustness("repeated-pd", "R3", n=64, seed=2, flips=False, chunk_size=16, scheduler="dask")
    assert a == robustness("repeated-pd", "R3", n=64, seed=2, flips=False)


def test_flip_is_confirmed_exactly() -> None:
    r = robustness("dual-freeze", "DF", n=8, flips=True)
    assert r.flip is not None and r.flip.parameter == "delta"
    b = ScenarioBuilder("dual-freeze")
    from equishift.recommendations.robustness import verdicts

    step = Fraction(b.default.parameters["delta"].range[1]) / 1024  # type: ignore[index]
    at, before = verdicts(b, "DF", [{"delta": r.flip.value}, {"delta": r.flip.value + step}])
    assert at == r.flip.verdict != r.default_verdict
    assert before == r.default_verdict


def test_brief_robustness_covers_every_recommendation() -> None:
    out = brief_robustness(n=16, workers=1, flips=False)
    assert list(out) == list(SCENARIO_OF)
    assert all(r.n == 16 and r.works + r.fails + r.undetermined == 16 for r in out.values())
    assert all(r.rule is not None for r in out.values())
    with pytest.raises(KeyError):
        brief_robustness(n=4, recommendations=["R99"])


def test_numpy_function_matches_sympy() -> None:
    expr = parse_expression("(a - b) / (a + 2) + min(a, b) * exp(-b) - abs(a - 3)", ["a", "b"])
    cols = Columns({"a": [0.5, 1.0, 7.0], "b": [2.0, -1.0, 0.25]}, 3)
    got = numpy_function(expr)(cols)
    sym = {s.name: s for s in expr.free_symbols}
    want = [
        float(expr.subs({sym["a"]: x, sym["b"]: y}))
        for x, y in zip(cols["a"], cols["b"], strict=True)
    ]
    assert np.allclose(got, want)
    with pytest.raises(ValueError, match="cannot vectorise"):
        numpy_function(sp.sin(sp.Symbol("a")))


# -- the symbolic region and the sampled probability ---------------------------------------
_PD = """
[parameters]
T = 5
P = 1
S = 0
R = {{ value = "{r}", range = ["{r_lo}", "{r_hi}"] }}
delta = {{ value = "{d}", range = ["{d_lo}", "{d_hi}"] }}

[games.pd]
form = "normal"
players = ["A", "B"]
strategies = [["C", "D"], ["C", "D"]]

[games.pd.payoffs]
"C, C" = ["R", "R"]
"C, D" = ["S", "T"]
"D, C" = ["T", "S"]
"D, D" = ["P", "P"]

[[recommendations]]
id = "X"
title = "play repeatedly"
section = "test"
quote = "Play the game again and again."
targets = ["pd"]
transforms = [{{ op = "make_repeated", delta = "1/2" }}]
success = {{ kind = "threshold_below", profile = ["C", "C"] }}
"""


def _symbolic_star() -> sp.Expr:
    """delta* of grim trigger in the PD with T, P, S fixed, from the symbolic engine."""
    T, R, P, S = sp.symbols("T R P S")
    game = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    star = critical_delta(game, ("C", "C"), reversion=("D", "D")).players[0].delta_star
    return sp.simplify(star.subs({T: 5, P: 1, S: 0}))


_STAR = _symbolic_star()
_R = sp.Symbol("R")


def _star(r: Fraction) -> Fraction:
    value = sp.Rational(r.numerator, r.denominator)
    out = _STAR.subs(_R, value)
    return Fraction(int(out.p), int(out.q))


@settings(max_examples=25, deadline=None)
@given(
    inside=st.booleans(),
    r_lo=st.fractions(Fraction(3, 2), Fraction(4)).map(lambda x: x.limit_denominator(50)),
    r_width=st.fractions(Fraction(0), Fraction(1)).map(lambda x: x.limit_denominator(50)),
    gap=st.fractions(Fraction(0), Fraction(1, 10)).map(lambda x: x.limit_denominator(100)),
    d_width=st.fractions(Fraction(0), Fraction(1, 5)).map(lambda x: x.limit_denominator(100)),
)
def test_probability_is_one_inside_and_zero_outside_the_symbolic_region(
    tmp_path_factory: pytest.TempPathFactory,
    inside: bool,
    r_lo: Fraction,
    r_width: Fraction,
    gap: Fraction,
    d_width: Fraction,
) -> None:
    """Boxes of (R, delta) built inside or outside the region delta >= delta*(R).

    delta*(R) = (5 - R) / 4 (from the symbolic engine) falls as R rises, so a box is inside
    iff its lowest delta clears delta* at its lowest R, and outside iff its highest delta is
    below delta* at its highest R.
    """
    r_hi = min(r_lo + r_width, Fraction(9, 2))  # keeps delta* >= 1/8 for the outside boxes
    if inside:
        d_lo = min(_star(r_lo) + gap, Fraction(9, 10))
        d_hi = min(d_lo + d_width, Fraction(99, 100))
        assert d_lo >= _star(r_lo)
    else:
        d_hi = _star(r_hi) - gap - Fraction(1, 1000)
        d_lo = max(Fraction(0), d_hi - d_width)
        assert d_hi < _star(r_hi) and d_hi >= 0
    text = _PD.format(r=r_lo, r_lo=r_lo, r_hi=r_hi, d=d_lo, d_lo=d_lo, d_hi=d_hi)
    path = Path(tmp_path_factory.mktemp("pd")) / "pd.toml"
    path.write_text(text, encoding="utf-8")
    r = robustness(path, "X", n=64, seed=1, flips=False)
    assert r.works + r.fails == 64
    assert r.probability == (1.0 if inside else 0.0)


def test_symbolic_threshold_is_the_textbook_one() -> None:
    assert sp.simplify(_STAR - (5 - _R) / 4) == 0


def test_close_calls_go_to_the_exact_path() -> None:
    """At delta = delta* exactly, the rule hands the sample to exact arithmetic."""
    b = ScenarioBuilder("repeated-pd")
    v = compile_verdict(b, "R3")
    assert v is not None
    from equishift.recommendations.evaluate import scenario_recommendations

    (rec,) = [r for r in scenario_recommendations(b.default) if r.id == "R3"]
    r_rel = float(rec.transforms[0].weight)  # type: ignore[attr-defined]
    t, r, p, s = 5.0, 3.0, 1.0, 0.0
    star = (t - r_rel * s - r * (1 - r_rel)) / (t - r_rel * s - p * (1 - r_rel))
    codes = v(b.columns({"delta": np.array([star, star + 0.01, star - 0.01])}))
    assert codes.tolist() == [EXACT, 1, 0]
