"""Extensive-form games: the tree model, the reduced normal form, and the tree solvers.

What is compared with the reference (the shared ``reference`` folder, pygambit 16.7):

* every ``.efg`` file: perfect recall / perfect information flags, node count,
  number of subgames, and the reduced strategic form (strategy counts, Gambit's
  strategy labels and order, the full payoff table);
* perfect-information trees: our backward-induction equilibria equal the set
  ``spe_backward_induction`` exactly (behaviour probabilities);
* ``enumpure``: the pure equilibria of our reduced normal form equal Gambit's set;
* 2-player trees, ``enummixed_rational`` (extreme equilibria of the reduced form):
  every expected equilibrium has regret exactly 0 in our reduced form, its
  behaviour conversion has regret exactly 0 in our tree (perfect recall), and the
  equilibria our ``normal_form`` method finds equal the expected set of extreme
  points (compared as behaviour profiles after conversion);
* ``lcp_rational`` behaviour equilibria have regret exactly 0 in our tree.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import ExtensiveFormGame, GameError, SolverError
from equishift.games.extensive_form import Chance, Decision, Terminal
from equishift.games.formats import parse_efg, read_efg, write_efg
from equishift.solver import BehaviorEquilibrium, Equilibrium, solve
from equishift.solver.extensive import (
    _full_behavior,
    _regrets,
    behavior_regrets,
    is_subgame_perfect,
    solve_extensive,
)
from equishift.solver.pure import pure_equilibria
from equishift.solver.verify import certificate

from .paths import REFERENCE

EFG_FILES = sorted((REFERENCE / "games").glob("*.efg"))
F = Fraction


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REFERENCE / "expected" / f"{path.name}.json").read_text())
    return data


def fr(rows: Any) -> Any:
    """Nested lists of strings to nested tuples of Fractions."""
    if isinstance(rows, list):
        return tuple(fr(r) for r in rows)
    return Fraction(rows)


def method(exp: dict[str, Any], name: str) -> dict[str, Any] | None:
    m = exp.get("methods", {}).get(name)
    return m if m and m["status"] == "ok" else None


def test_corpus_present() -> None:
    assert len(EFG_FILES) == 89


# -- structure and reduced normal form vs Gambit -------------------------------------------------
@pytest.mark.parametrize("path", EFG_FILES, ids=lambda p: p.name)
def test_structure_and_reduced_form_match_gambit(path: Path) -> None:
    game = read_efg(path)
    exp = expected(path)
    assert game.n_nodes == exp["n_nodes"]
    assert game.n_terminal_nodes == exp["n_terminal_nodes"]
    assert game.has_perfect_recall == exp["perfect_recall"]
    assert game.is_perfect_information == exp["perfect_information"]
    assert len(game.subgame_roots()) == exp["n_proper_subgames_incl_root"]
    assert [[len(h.members) for h in hs] for hs in game.infosets] == [
        [h["members"] for h in hs] for hs in exp["infosets"]
    ]
    assert [[list(h.actions) for h in hs] for hs in game.infosets] == [
        [h["actions"] for h in hs] for hs in exp["infosets"]
    ]
    rnf = game.reduced_normal_form()
    assert list(rnf.game.shape) == exp["payoff_shape"]
    assert [list(s) for s in rnf.gambit_labels] == exp["strategy_labels"]
    if "payoff_table" in exp:
        table = np.array(exp["payoff_table"], dtype=object)
        assert table.shape == rnf.game.payoffs.shape
        assert all(F(a) == b for a, b in zip(table.ravel(), rnf.game.payoffs.ravel(), strict=True))
    # Readable labels are unique and name actions.
    for i, labels in enumerate(rnf.game.strategies):
        assert len(set(labels)) == len(labels)
        for lab, plan in zip(labels, rnf.plans[i], strict=True):
            parts = lab.split("; ")
            for h, a in enumerate(plan):
                assert parts[h] == ("*" if a is None else game.infosets[i][h].actions[a])


@pytest.mark.parametrize("path", EFG_FILES, ids=lambda p: p.name)
def test_pure_equilibria_of_reduced_form_match_enumpure(path: Path) -> None:
    exp = expected(path)
    m = method(exp, "enumpure")
    assert m is not None
    rnf = read_efg(path).reduced_normal_form()
    ours = {
        tuple(
            tuple(F(int(j == k)) for j in range(n))
            for k, n in zip(idx, rnf.game.shape, strict=True)
        )
        for idx in pure_equilibria(rnf.game)
    }
    assert ours == {fr(e["strategies"]) for e in m["equilibria"]}


PI_FILES = [p for p in EFG_FILES if method(expected(p), "spe_backward_induction")]


@pytest.mark.parametrize("path", PI_FILES, ids=lambda p: p.name)
def test_backward_induction_matches_reference(path: Path) -> None:
    game = read_efg(path)
    sol = solve_extensive(game, method="backward_induction")
    assert sol.complete and sol.exact
    m = method(expected(path), "spe_backward_induction")
    assert m is not None
    want = {fr(e["behavior"]) for e in m["equilibria"]}
    got = {fr_beh(eq) for eq in sol.equilibria}
    assert got == want
    for eq in sol.equilibria:
        assert isinstance(eq, BehaviorEquilibrium)
        assert eq.regret == 0 and eq.subgame_perfect is True and eq.is_pure
        # Independent check with the infoset-based best reply in every subgame.
        beh = _full_behavior(game, eq.behavior)
        for r in game.subgame_roots():
            assert all(x == 0 for x in _regrets(game, beh, r)[1])


def fr_beh(eq: Any) -> Any:
    return tuple(tuple(tuple(F(p) for p in row) for row in pl) for pl in eq.behavior)


@pytest.mark.parametrize("path", PI_FILES, ids=lambda p: p.name)
def test_normal_form_method_marks_spe(path: Path) -> None:
    game = read_efg(path)
    sol = solve_extensive(game, method="pure")
    m = method(expected(path), "spe_backward_induction")
    assert m is not None
    spe = {fr_beh(eq) for eq in sol.equilibria if eq.subgame_perfect}  # type: ignore[union-attr]
    assert spe == {fr(e["behavior"]) for e in m["equilibria"]}
    for eq in sol.equilibria:
        assert eq.regret == 0


MIXED_FILES = [
    p
    for p in EFG_FILES
    if method(expected(p), "enummixed_rational") and p.name != "tests-large_payoff_game.efg"
]


@pytest.mark.parametrize("path", MIXED_FILES, ids=lambda p: p.name)
def test_expected_extreme_equilibria_have_zero_regret_here(path: Path) -> None:
    game = read_efg(path)
    rnf = game.reduced_normal_form()
    m = method(expected(path), "enummixed_rational")
    assert m is not None
    for e in m["equilibria"]:
        prof = fr(e["strategies"])
        cert = certificate(rnf.game, prof)
        assert cert.max_regret == 0
        assert tuple(p.payoff for p in cert.players) == fr(e["payoffs"])
        if game.has_perfect_recall:
            pays, regs = behavior_regrets(game, rnf.behavior_from_mixed(prof))
            assert regs == (0, 0) and pays == fr(e["payoffs"])


@pytest.mark.parametrize("path", MIXED_FILES, ids=lambda p: p.name)
def test_normal_form_method_finds_the_extreme_equilibria(path: Path) -> None:
    game = read_efg(path)
    rnf = game.reduced_normal_form()
    m = method(expected(path), "enummixed_rational")
    assert m is not None
    sol = solve_extensive(game, method="normal_form", max_seconds=30)
    assert sol.exact
    if not game.has_perfect_recall:
        got = {tuple(tuple(F(p) for p in row) for row in eq.profile) for eq in sol.equilibria}  # type: ignore[union-attr]
        assert got == {fr(e["strategies"]) for e in m["equilibria"]}
        assert any("perfect recall" in w for w in sol.warnings)
        return
    want = {
        tuple(
            tuple(tuple(F(p) for p in row) for row in pl)
            for pl in rnf.behavior_from_mixed(fr(e["strategies"]))
        )
        for e in m["equilibria"]
    }
    got = {fr_beh(eq) for eq in sol.equilibria}
    assert want <= got  # backward-induction SPE may be added for perfect information
    for eq in sol.equilibria:
        assert eq.regret == 0


LCP_FILES = [p for p in EFG_FILES if method(expected(p), "lcp_rational")]


@pytest.mark.parametrize("path", LCP_FILES, ids=lambda p: p.name)
def test_lcp_behaviour_equilibrium_has_zero_regret_in_our_tree(path: Path) -> None:
    game = read_efg(path)
    m = method(expected(path), "lcp_rational")
    assert m is not None
    for e in m["equilibria"]:
        pays, regs = behavior_regrets(game, fr(e["behavior"]))
        assert all(r == 0 for r in regs)
        assert pays == fr(e["payoffs"])


# -- model ---------------------------------------------------------------------------------------
def entry() -> ExtensiveFormGame:
    return ExtensiveFormGame.build(
        players=["Entrant", "Incumbent"],
        root=Decision(
            "Entrant",
            {
                "Out": Terminal((0, 2)),
                "In": Decision(
                    "Incumbent", {"Fight": Terminal((-1, -1)), "Accommodate": Terminal((1, 1))}
                ),
            },
        ),
        title="Entry",
    )


def test_build_validation_errors() -> None:
    with pytest.raises(GameError, match="names player 'Z'"):
        ExtensiveFormGame.build(players=["A"], root=Decision("Z", {"x": Terminal((0,))}))
    with pytest.raises(GameError, match="have 1 entries, expected 2"):
        ExtensiveFormGame.build(players=["A", "B"], root=Terminal((0,)))
    with pytest.raises(GameError, match="must be exact"):
        ExtensiveFormGame.build(
            players=["A"], root=Chance({"a": (0.5, Terminal((0,))), "b": (0.5, Terminal((1,)))})
        )
    with pytest.raises(GameError, match="is negative"):
        ExtensiveFormGame.build(
            players=["A"], root=Chance({"a": (-1, Terminal((0,))), "b": (2, Terminal((1,)))})
        )
    with pytest.raises(GameError, match="offers actions"):
        ExtensiveFormGame.build(
            players=["A", "B"],
            root=Decision(
                "A",
                {
                    "x": Decision("B", {"l": Terminal((0, 0))}, infoset="b"),
                    "y": Decision("B", {"r": Terminal((0, 0))}, infoset="b"),
                },
            ),
        )
    with pytest.raises(GameError, match="duplicate player"):
        ExtensiveFormGame.build(players=["A", "A"], root=Terminal((0, 0)))
    with pytest.raises(GameError, match="has no actions"):
        ExtensiveFormGame.build(players=["A"], root=Decision("A", {}))
    with pytest.raises(GameError, match=r"node at the root → x is str; expected Decision"):
        ExtensiveFormGame.build(players=["A"], root=Decision("A", {"x": "oops"}))  # type: ignore[dict-item]
    with pytest.raises(GameError, match=r"payoff of A at the root → x"):
        ExtensiveFormGame.build(players=["A"], root=Decision("A", {"x": Terminal(("abc",))}))


def test_model_properties_and_round_trips() -> None:
    g = entry()
    assert g.players == ("Entrant", "Incumbent") and g.n_players == 2
    assert g.n_nodes == 5 and g.n_terminal_nodes == 3
    assert g.path(4) == ("In", "Accommodate")
    assert g.terminal_payoffs()[1] == (0, 2)
    assert g.subgame_roots() == (0, 2)
    assert ExtensiveFormGame.build(players=list(g.players), root=g.to_tree()) == g
    again = parse_efg(write_efg(g))
    assert again == g and again.title == "Entry"
    assert "Incumbent:1 (Incumbent)" in g.describe()
    assert g != entry().reduced_normal_form().game
    assert hash(g) == hash(entry())


def test_inner_outcomes_add_up_and_float_games() -> None:
    g = ExtensiveFormGame.build(
        players=["A"],
        root=Decision("A", {"x": Terminal((1,)), "y": Terminal(None)}, payoffs=("1/2",)),
    )
    assert g.terminal_payoffs() == {1: (F(3, 2),), 2: (F(1, 2),)}
    assert g.reduced_normal_form().game.payoffs[:, 0].tolist() == [F(3, 2), F(1, 2)]
    fl = ExtensiveFormGame.build(
        players=["A"], root=Decision("A", {"x": Terminal((0.5,)), "y": Terminal((0.25,))})
    )
    assert not fl.is_exact
    back = parse_efg(write_efg(fl))
    assert back == fl and not back.is_exact
    sol = solve_extensive(fl, method="backward_induction")
    assert sol.equilibria[0].payoffs == (0.5,) and not sol.exact


def test_perfect_recall_and_absent_mindedness() -> None:
    forgetful = ExtensiveFormGame.build(
        players=["A"],
        root=Decision(
            "A",
            {
                "x": Decision("A", {"u": Terminal((1,)), "v": Terminal((0,))}, infoset="late"),
                "y": Decision("A", {"u": Terminal((0,)), "v": Terminal((1,))}, infoset="late"),
            },
        ),
    )
    assert not forgetful.has_perfect_recall
    assert "forgets at information set 'late'" in forgetful.perfect_recall_violations()[0]
    absent = parse_efg(
        'EFG 2 R "" { "A" } ""\np "" 1 1 "" { "S" "T" } 0\np "" 1 1 "" { "S" "T" } 0\n'
        't "" 1 "a" { 1 }\nt "" 2 "b" { 2 }\nt "" 3 "c" { 3 }\n'
    )
    assert not absent.has_perfect_recall
    with pytest.raises(SolverError, match="perfect recall"):
        behavior_regrets(absent, [[(F(1), F(0))]])
    with pytest.raises(SolverError, match="needs perfect recall"):
        solve_extensive(absent, method="subgames")
    sol = solve_extensive(absent, method="normal_form")
    assert all(isinstance(eq, Equilibrium) for eq in sol.equilibria)
    assert any("lacks perfect recall" in w for w in sol.warnings)


def test_empty_file_labels_get_readable_unique_ones() -> None:
    g = read_efg(REFERENCE / "games" / "doc-poker.efg")
    assert [h.label for h in g.infosets[0]] == ["Alice:1", "Alice:2"]
    assert [h.file_label for h in g.infosets[0]] == ["", ""]
    assert [h.label for h in g.chance_infosets] == ["Chance:1"]
    rnf = g.reduced_normal_form()
    assert rnf.game.strategies[0] == ("Raise; Raise", "Raise; Fold", "Fold; Raise", "Fold; Fold")
    assert write_efg(g).count('p "" 1 1 "" { "Raise" "Fold" } 0') == 1


def test_behavior_from_mixed_and_strategy_of() -> None:
    g = read_efg(REFERENCE / "games" / "catalog-ijgt-selten1975-fig2.efg")
    rnf = g.reduced_normal_form()
    assert rnf.gambit_labels[0] == ("1*", "21", "22")
    # Player 1 never reaches their second set: its behaviour is the first action.
    beh = rnf.behavior_from_mixed([[F(1), F(0), F(0)], [F(1, 2), F(1, 2)]])
    assert beh[0] == ((F(1), F(0)), (F(1), F(0)))
    assert beh[1] == ((F(1, 2), F(1, 2)),)
    assert rnf.strategy_of(0, [1, 1]) == 2 and rnf.strategy_of(0, [0, 1]) == 0


def test_reduced_form_too_large_and_default_fallback() -> None:
    g = binary_tree(10, random.Random(3))
    with pytest.raises(GameError, match="too large"):
        g.reduced_normal_form(max_profiles=1000)
    sol = solve(g)
    assert sol.method == "backward_induction" and not sol.complete
    assert any("not subgame perfect were not enumerated" in w for w in sol.warnings)
    assert all(eq.subgame_perfect and eq.regret == 0 for eq in sol.equilibria)  # type: ignore[union-attr]


def test_default_method_on_small_perfect_information_tree() -> None:
    sol = solve(entry())
    assert sol.method == "normal_form"
    flags = sorted((eq.describe(), eq.subgame_perfect) for eq in sol.equilibria)  # type: ignore[union-attr]
    assert ("Entrant: Entrant:1=In; Incumbent: Incumbent:1=Accommodate", True) in flags
    assert ("Entrant: Entrant:1=Out; Incumbent: Incumbent:1=Fight", False) in flags


def test_method_errors() -> None:
    poker = read_efg(REFERENCE / "games" / "doc-poker.efg")
    with pytest.raises(SolverError, match="needs perfect information"):
        solve_extensive(poker, method="backward_induction")
    with pytest.raises(SolverError, match="unknown method 'magic'"):
        solve(poker, "magic")
    with pytest.raises(SolverError, match="max_equilibria"):
        solve_extensive(poker, max_equilibria=0)


def test_subgames_method() -> None:
    g = read_efg(REFERENCE / "games" / "catalog-shohamleytonbrown2008-fig6_2.efg")
    sol = solve_extensive(g, method="subgames")
    assert sol.equilibria and not sol.complete
    for eq in sol.equilibria:
        assert isinstance(eq, BehaviorEquilibrium)
        assert eq.regret == 0 and eq.subgame_perfect is True
        assert is_subgame_perfect(g, eq.behavior)
    sub, mapping = g.subtree_game(g.subgame_roots()[1])
    assert sub.n_nodes < g.n_nodes and len(mapping) == len(sub.all_infosets)


# -- big trees -----------------------------------------------------------------------------------
def binary_tree(
    depth: int, rng: random.Random, lo: int = -1000, hi: int = 1000
) -> ExtensiveFormGame:
    def make(d: int) -> Any:
        if d == depth:
            return Terminal((rng.randrange(lo, hi), rng.randrange(lo, hi)))
        return Decision("AB"[d % 2], {"L": make(d + 1), "R": make(d + 1)})

    return ExtensiveFormGame.build(players=["A", "B"], root=make(0))


def test_backward_induction_on_a_big_tree_is_fast() -> None:
    g = binary_tree(15, random.Random(7), -(10**6), 10**6)  # 65536 leaves
    start = time.monotonic()
    sol = solve_extensive(g, method="backward_induction")
    assert time.monotonic() - start < 15
    assert sol.equilibria[0].regret == 0 and sol.equilibria[0].subgame_perfect


def test_deep_centipede_needs_no_recursion() -> None:
    depth = 3000
    node: Any = Terminal((depth + 1, depth - 1))
    for k in reversed(range(depth)):
        node = Decision(
            "AB"[k % 2], {"take": Terminal((k + 2, k) if k % 2 == 0 else (k, k + 2)), "pass": node}
        )
    g = ExtensiveFormGame.build(players=["A", "B"], root=node)
    assert int(g.tree.depth.max()) == depth
    sol = solve_extensive(g, method="backward_induction")
    (eq,) = sol.equilibria
    assert eq.payoffs == (2, 0) and eq.regret == 0
    assert parse_efg(write_efg(g)) == g


def test_ties_are_enumerated_and_budgeted() -> None:
    # Player B indifferent at both nodes; A's choice then depends on B's tie-break.
    g = ExtensiveFormGame.build(
        players=["A", "B"],
        root=Decision(
            "A",
            {
                "l": Decision("B", {"x": Terminal((1, 0)), "y": Terminal((3, 0))}),
                "r": Decision("B", {"x": Terminal((2, 0)), "y": Terminal((2, 0))}),
            },
        ),
    )
    sol = solve_extensive(g, method="backward_induction")
    assert sol.complete and len(sol.equilibria) == 4
    small = solve_extensive(g, method="backward_induction", max_equilibria=2)
    assert not small.complete and len(small.equilibria) == 2
    assert any("first 2 are listed" in w for w in small.warnings)


# -- property: backward induction = brute force --------------------------------------------------
@st.composite
def perfect_information_trees(draw: st.DrawFn) -> ExtensiveFormGame:
    n_players = draw(st.integers(1, 3))
    players = [f"P{i + 1}" for i in range(n_players)]
    budget = [draw(st.integers(1, 7))]  # number of inner nodes

    def node(depth: int) -> Any:
        inner = depth < 4 and budget[0] > 0 and draw(st.booleans())
        pay = tuple(draw(st.integers(-2, 2)) for _ in players)
        if not inner:
            return Terminal(pay)
        budget[0] -= 1
        k = draw(st.integers(1, 3))
        outcome = pay if draw(st.booleans()) else None
        if draw(st.integers(0, 4)) == 0:
            weights = [draw(st.integers(0, 3)) for _ in range(k)]
            if sum(weights) == 0:
                weights[0] = 1
            total = sum(weights)
            return Chance(
                {f"c{j}": (F(w, total), node(depth + 1)) for j, w in enumerate(weights)},
                payoffs=outcome,
            )
        who = draw(st.sampled_from(players))
        return Decision(who, {f"a{j}": node(depth + 1) for j in range(k)}, payoffs=outcome)

    return ExtensiveFormGame.build(players=players, root=node(0))


@settings(max_examples=80, deadline=None)
@given(perfect_information_trees())
def test_backward_induction_equals_brute_force(game: ExtensiveFormGame) -> None:
    sol = solve_extensive(game, method="backward_induction")
    got = {fr_beh(eq) for eq in sol.equilibria}
    sets = [h for hs in game.infosets for h in hs]
    brute = set()
    for choice in itertools.product(*[range(h.n_actions) for h in sets]):
        per: list[list[tuple[Fraction, ...]]] = [[] for _ in game.players]
        for h, a in zip(sets, choice, strict=True):
            per[h.player].append(tuple(F(int(j == a)) for j in range(h.n_actions)))
        if is_subgame_perfect(game, per):
            brute.add(tuple(tuple(pl) for pl in per))
    assert sol.complete
    assert got == brute
    for eq in sol.equilibria:
        assert eq.regret == 0
        beh = _full_behavior(game, eq.behavior)  # type: ignore[union-attr]
        for r in game.subgame_roots():
            assert all(x == 0 for x in _regrets(game, beh, r)[1])
