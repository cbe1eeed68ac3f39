"""Every game in the shared reference folder, solved through ``solve`` and checked.

Ground truth: ``expected/<file>.json`` (pygambit 16.7) and ``textbook_known.json``
(hand-derived). See the reference README for the caveats this module follows:
extreme equilibria are compared as exact sets; ``enumpoly`` answers (floats, isolated
equilibria only) must each be found; ``tests-large_payoff_game`` has a pygambit bug.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from equishift.games import NormalFormGame
from equishift.games.formats.gambit import read_game
from equishift.solver import Equilibrium, solve
from equishift.solver.verify import certificate

from ..paths import REFERENCE

REF = REFERENCE
GAMES = sorted((REF / "games").iterdir())
KNOWN = json.loads((REF / "textbook_known.json").read_text())
NFG = [p for p in GAMES if p.suffix == ".nfg"]
EFG = [p for p in GAMES if p.suffix == ".efg"]


def expected(path: Path) -> dict[str, Any]:
    return json.loads((REF / "expected" / f"{path.name}.json").read_text())


def exact_set(eqs: list[list[list[str]]]) -> set[tuple[tuple[Fraction, ...], ...]]:
    return {tuple(tuple(Fraction(p) for p in row) for row in eq) for eq in eqs}


def ours(sol_eqs: Any) -> set[tuple[tuple[Fraction, ...], ...]]:
    out = set()
    for eq in sol_eqs:
        assert isinstance(eq, Equilibrium)
        out.add(tuple(tuple(Fraction(p) for p in row) for row in eq.profile))
    return out


def test_reference_folder_is_complete() -> None:
    assert len(GAMES) == 114


@pytest.mark.parametrize("path", NFG, ids=lambda p: p.name)
def test_normal_form_reference(path: Path) -> None:
    game = read_game(path)
    assert isinstance(game, NormalFormGame)
    exp = expected(path)
    assert list(game.shape) == exp["payoff_shape"]
    assert [list(s) for s in game.strategies] == exp["strategy_labels"]
    sol = solve(game)
    for eq in sol.equilibria:
        cert = certificate(game, eq.profile)
        assert cert.is_equilibrium
        if eq.is_exact:
            assert cert.max_regret == 0
    methods = exp["methods"]
    pure = exact_set([e["strategies"] for e in methods["enumpure"]["equilibria"]])
    assert {e for e in ours(sol.equilibria) if all(max(r) == 1 for r in e)} >= pure
    if game.n_players == 2:
        assert sol.complete and sol.exact
        assert ours(sol.equilibria) == exact_set(
            [e["strategies"] for e in methods["enummixed_rational"]["equilibria"]]
        )
    elif methods["enumpoly"]["status"] == "ok":
        for e in methods["enumpoly"]["equilibria"]:
            target = [[float(p) for p in row] for row in e["strategies"]]
            assert any(
                all(
                    abs(float(p) - q) < 1e-6
                    for row, trow in zip(eq.profile, target, strict=True)
                    for p, q in zip(row, trow, strict=True)
                )
                for eq in sol.equilibria
            ), f"enumpoly equilibrium {target} not found"
    if path.name in KNOWN:
        known = KNOWN[path.name]
        if known.get("all_equilibria_exhaustive") and game.n_players == 2:
            assert ours(sol.equilibria) == exact_set(known["extreme_equilibria"])
        assert exact_set(known["pure_equilibria"]) <= ours(sol.equilibria)


@pytest.mark.parametrize("path", EFG, ids=lambda p: p.name)
def test_extensive_form_reference(path: Path) -> None:
    game = read_game(path)
    exp = expected(path)
    sol = solve(game, max_seconds=20)
    assert sol.equilibria, "every finite game has an equilibrium"
    for eq in sol.equilibria:
        assert eq.regret == 0 if eq.is_exact else float(eq.regret) <= 1e-9
    spe = exp["methods"].get("spe_backward_induction")
    if spe and spe["status"] == "ok":
        want = {
            tuple(tuple(tuple(Fraction(p) for p in row) for row in pl) for pl in e["behavior"])
            for e in spe["equilibria"]
        }
        got = {
            tuple(tuple(tuple(Fraction(p) for p in row) for row in pl) for pl in eq.behavior)
            for eq in sol.equilibria
            if eq.subgame_perfect and eq.is_pure
        }
        assert got == want
