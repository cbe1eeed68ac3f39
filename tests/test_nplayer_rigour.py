"""Rigour of the N-player solver: exact certificates, verified LP exclusions, parallel runs."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.games import NormalFormGame
from equishift.solver import _nplayer_lp
from equishift.solver._nplayer_exact import (
    EquilibriumCertificate,
    certify_box,
    krawczyk_exact,
    refute_box,
)
from equishift.solver._nplayer_lp import farkas_verified, feasibility
from equishift.solver._nplayer_relax import SupportRelaxation, relaxation_feasible
from equishift.solver.nplayer import NPlayerResult, _Search, support_enumeration
from equishift.solver.verify import certificate


def _nau_game() -> NormalFormGame:
    cells = {
        (0, 0, 0): (3, 0, 2),
        (1, 0, 0): (0, 1, 0),
        (0, 1, 0): (0, 2, 0),
        (1, 1, 0): (1, 0, 0),
        (0, 0, 1): (1, 0, 0),
        (1, 0, 1): (0, 3, 0),
        (0, 1, 1): (0, 1, 0),
        (1, 1, 1): (2, 0, 3),
    }
    return NormalFormGame([[[cells[a, b, c] for c in (0, 1)] for b in (0, 1)] for a in (0, 1)])


def _independent_check(game: NormalFormGame, cert: EquilibriumCertificate) -> bool:
    """Re-prove a certificate from the game alone: rebuild the system, rerun exact Krawczyk."""
    search = _Search(game, 1e-9, 60.0, workers=1)
    supports = [list(s) for s in cert.supports]
    polys, nvars, offsets = search._system(supports)
    ineqs = search._outside(supports, offsets, nvars)
    lo: list[Fraction] = []
    hi: list[Fraction] = []
    blocks: list[range] = []
    for j, s in enumerate(supports):
        off = offsets[j]
        if off is None:
            continue
        blocks.append(range(off, off + len(s) - 1))
        lo += [cert.lower[j][a] for a in s[1:]]
        hi += [cert.upper[j][a] for a in s[1:]]
    return certify_box(polys, ineqs, blocks, lo, hi)


def _check_certified(game: NormalFormGame, res: NPlayerResult) -> None:
    assert len(res.certificates) == len(res.equilibria)
    for prof, cert in zip(res.equilibria, res.certificates, strict=True):
        exact = all(isinstance(p, Fraction) for row in prof for p in row)
        if exact:
            assert cert is None
            assert certificate(game, prof).is_equilibrium
            continue
        if cert is None:
            assert not res.certified
            continue
        assert cert.contains(prof)
        assert _independent_check(game, cert)
        # Positive exactly on the supports, over the whole box.
        for j, s in enumerate(cert.supports):
            for a in range(len(prof[j])):
                if a in s:
                    assert cert.lower[j][a] > 0
                else:
                    assert cert.lower[j][a] == cert.upper[j][a] == 0
    if res.certified:
        assert all(
            c is not None or all(isinstance(p, Fraction) for row in e for p in row)
            for e, c in zip(res.equilibria, res.certificates, strict=True)
        )


# -- exact certificates ------------------------------------------------------------------------


def test_nau_irrational_equilibrium_is_certified_exactly() -> None:
    game = _nau_game()
    res = support_enumeration(game)
    assert res.complete and res.certified and not res.exact
    (cert,) = res.certificates
    assert cert is not None
    assert all(isinstance(v, Fraction) for row in cert.lower for v in row)
    widths = [
        float(b - a)
        for lo, hi in zip(cert.lower, cert.upper, strict=True)
        for a, b in zip(lo, hi, strict=True)
    ]
    assert max(widths) < 1e-12
    _check_certified(game, res)


def test_a_box_next_to_the_root_is_not_certified() -> None:
    game = _nau_game()
    res = support_enumeration(game)
    cert = res.certificates[0]
    assert cert is not None
    shift = Fraction(1, 10**9)
    moved = EquilibriumCertificate(
        cert.supports,
        tuple(tuple(v + shift for v in row) for row in cert.lower),
        tuple(tuple(v + shift for v in row) for row in cert.upper),
    )
    assert not _independent_check(game, moved)


def test_exact_krawczyk_and_refutation() -> None:
    # 3x = 1 has its root 1/3 in [1/4, 1/2], none in [1/2, 3/4].
    eqs = [{(1,): 3, (0,): -1}]
    assert krawczyk_exact(eqs, (Fraction(1, 4),), (Fraction(1, 2),))
    assert not krawczyk_exact(eqs, (Fraction(1, 2),), (Fraction(3, 4),))
    # An outside strategy paying 1 - x more is better on the whole box: refuted.
    better = [{(1,): -1, (0,): 1}]
    assert refute_box(better, [[0]], (Fraction(1, 4),), (Fraction(1, 2),))
    assert not certify_box(eqs, better, [[0]], (Fraction(1, 4),), (Fraction(1, 2),))
    # A tie at the root (x - 1/3 <= 0 only up to the root) is neither certified nor refuted.
    tie = [{(1,): 3, (0,): -1}]
    lo, hi = (Fraction(1, 4),), (Fraction(1, 2),)
    assert not certify_box(eqs, tie, [[0]], lo, hi)
    assert not refute_box(tie, [[0]], lo, hi)


@st.composite
def small_games(draw: st.DrawFn) -> NormalFormGame:
    shape = draw(st.sampled_from([(2, 2, 2), (3, 3, 2), (3, 2, 2)]))
    size = int(np.prod(shape)) * 3
    values = draw(st.lists(st.integers(0, 30), min_size=size, max_size=size))
    return NormalFormGame(np.array(values, dtype=np.int64).reshape((*shape, 3)))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_certificates_hold_and_parallel_equals_serial(game: NormalFormGame) -> None:
    serial = support_enumeration(game, max_seconds=30, workers=1)
    parallel = support_enumeration(game, max_seconds=30, workers=2)
    assert serial == parallel  # same equilibria, order, certificates, flags and warnings
    _check_certified(game, serial)
    for prof in serial.equilibria:
        assert certificate(game, prof, tol=1e-9).is_equilibrium


def test_parallel_equals_serial_on_a_3x3x3_game() -> None:
    rng = np.random.default_rng(12)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 100, size=(3, 3, 3)) for _ in range(3)])
    serial = support_enumeration(game, workers=1)
    parallel = support_enumeration(game, workers=2)
    assert serial == parallel
    assert serial.complete and serial.certified
    _check_certified(game, serial)


# -- verified linear-programming exclusions ----------------------------------------------------


def test_farkas_check_accepts_a_true_certificate_and_rejects_bad_ones() -> None:
    a = np.array([[1.0, 1.0], [1.0, 1.0]])
    lo, hi = np.array([-np.inf, 1.5]), np.array([1.0, np.inf])
    box = np.zeros(2), np.ones(2)
    assert farkas_verified(a, np.array([-1.0, 1.0]), lo, hi, *box)
    assert farkas_verified(a, np.array([1.0, -1.0]), lo, hi, *box)  # either sign
    for bad in ([1.0, 1.0], [0.0, 0.0], [np.nan, 1.0], [-1.0]):
        assert not farkas_verified(a, np.array(bad), lo, hi, *box)
    # A feasible system has no certificate, whatever the multipliers.
    hi_ok = np.array([2.0, np.inf])
    rng = np.random.default_rng(0)
    for _ in range(50):
        assert not farkas_verified(a, rng.normal(size=2), lo, hi_ok, *box)


def test_certificate_margin_is_not_fooled_by_a_near_miss() -> None:
    # x0 + x1 >= 2 - 1e-17 is feasible at (1, 1) in exact arithmetic, though the row
    # bound rounds to 2.0 - 2**-52 or 2.0: the check must not prove infeasibility.
    a = np.array([[1.0, 1.0]])
    y = np.array([1.0])
    assert not farkas_verified(a, y, np.array([2.0]), np.array([np.inf]), np.zeros(2), np.ones(2))
    assert farkas_verified(
        a, y, np.array([2.0 + 1e-9]), np.array([np.inf]), np.zeros(2), np.ones(2)
    )


def _bad_ray(monkeypatch: pytest.MonkeyPatch, limit: int = 10**9) -> dict[str, int]:
    """Make the first ``limit`` 'infeasible' verdicts of HiGHS come with corrupted dual rays."""
    real = _nplayer_lp._highs
    seen = {"infeasible": 0}

    def corrupted(*args: Any) -> Any:
        status, x, ray, basis = real(*args)
        if status == "infeasible" and ray is not None and seen["infeasible"] < limit:
            seen["infeasible"] += 1
            ray = -np.abs(ray)  # multipliers of the wrong signs: no longer a certificate
        return status, x, ray, basis

    monkeypatch.setattr(_nplayer_lp, "_highs", corrupted)
    return seen


def test_bad_dual_certificate_does_not_exclude(monkeypatch: pytest.MonkeyPatch) -> None:
    u1 = np.zeros((2, 2, 2))
    u1[0] = 1
    payoffs = [u1, np.ones((2, 2, 2)), np.ones((2, 2, 2))]
    assert not relaxation_feasible(payoffs, [[0, 1], [0], [0]])
    seen = _bad_ray(monkeypatch)
    relax = SupportRelaxation(payoffs, [[0, 1], [0], [0]])
    assert relax.feasible()  # the solver says infeasible, but the proof fails
    assert relax.unverified == 1 and seen["infeasible"] == 1
    # x0 + x1 <= 1 and x0 + x1 >= 1.5: only multipliers of opposite signs prove it.
    a = np.array([[1.0, 1.0], [1.0, 1.0]])
    lo, hi = np.array([-np.inf, 1.5]), np.array([1.0, np.inf])
    verdict = feasibility(a, lo, hi, np.zeros(2), np.ones(2))
    assert verdict.feasible and verdict.unverified


def test_search_without_verified_exclusions_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 100, size=(3, 3, 3)) for _ in range(3)])
    honest = support_enumeration(game, workers=1)
    seen = _bad_ray(monkeypatch, limit=40)  # (refusing all of them takes ~15 s here)
    distrusting = support_enumeration(game, workers=1)
    assert seen["infeasible"] == 40  # the relaxation was consulted and its verdicts refused
    assert [np.asarray(e, dtype=float).round(9).tolist() for e in distrusting.equilibria] == [
        np.asarray(e, dtype=float).round(9).tolist() for e in honest.equilibria
    ]
    assert honest.complete and distrusting.complete


def test_huge_payoffs_make_relaxation_exclusions_unproved() -> None:
    big = 2**60
    u1 = np.zeros((2, 2, 2), dtype=object)
    u1[0] = big
    assert not SupportRelaxation(
        [np.asarray(u1, dtype=np.float64), np.ones((2, 2, 2)), np.ones((2, 2, 2))],
        [[0, 1], [0], [0]],
    ).exact


def test_solve_passes_on_certificates_in_the_order_of_its_equilibria() -> None:
    from equishift.solver import solve

    g = _nau_game()
    sol = solve(g, method="nplayer")
    assert (sol.exact, sol.certified, sol.complete) == (False, True, True)
    assert len(sol.certificates) == len(sol.equilibria) == 1
    assert sol.certificates[0].contains(sol.equilibria[0].profile)
    doc = sol.to_json()
    assert doc["certified"] is True
    lower = [Fraction(v) for v in doc["certificates"][0]["lower"][0]]
    upper = [Fraction(v) for v in doc["certificates"][0]["upper"][0]]
    assert lower[0] < Fraction(sol.equilibria[0].profile[0][0]) < upper[0]
    # An exact solution is certified by its arithmetic and carries no certificates.
    pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    exact = solve(pd)
    assert (exact.exact, exact.certified, exact.certificates) == (True, True, ())
    assert "certificates" not in exact.to_json()
