"""Large trees: the array fast path, tic-tac-toe end to end, and a 2^20-leaf benchmark.

Nothing here asserts a duration: timings are printed (``pytest -s``) and
:func:`benchmark_random_tree` can be called on its own::

    python -c "from tests.test_large_trees import benchmark_random_tree as b; print(b())"
"""

from __future__ import annotations

import itertools
import json
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from equishift.cli.app import app
from equishift.games import ExtensiveFormGame, GameError
from equishift.games.extensive_form import Chance, Decision, Terminal
from equishift.games.formats import parse_efg, read_efg, write_efg
from equishift.solver import BehaviorEquilibrium, solve
from equishift.solver.extensive import solve_extensive

F = Fraction
_WIN_LINES = [
    sum(1 << c for c in line)
    for line in [
        (0, 1, 2),
        (3, 4, 5),
        (6, 7, 8),
        (0, 3, 6),
        (1, 4, 7),
        (2, 5, 8),
        (0, 4, 8),
        (2, 4, 6),
    ]
]


# -- builders -----------------------------------------------------------------------------------
def tic_tac_toe() -> ExtensiveFormGame:
    """The full tic-tac-toe tree (549,946 nodes) built with ``from_arrays``.

    X moves first; a win pays +1 to the winner and -1 to the loser, a draw 0.
    Action labels ``c1`` .. ``c9`` name the cell played.
    """
    parent = [-1]
    player = [0]
    pay_x = [0]
    labels = [""]
    stack = [(0, 0, 0, 0)]  # node, X's cells, O's cells, whose turn
    while stack:
        v, xs, os_, turn = stack.pop()
        full = xs | os_
        for cell in range(9):
            bit = 1 << cell
            if full & bit:
                continue
            w = len(parent)
            parent.append(v)
            labels.append(f"c{cell + 1}")
            mine = (xs if turn == 0 else os_) | bit
            if any(mine & line == line for line in _WIN_LINES):
                player.append(-2)
                pay_x.append(1 if turn == 0 else -1)
            elif full | bit == 0b111111111:
                player.append(-2)
                pay_x.append(0)
            else:
                player.append(1 - turn)
                pay_x.append(0)
                stack.append((w, mine, os_, 1) if turn == 0 else (w, xs, mine, 0))
    x = np.array(pay_x, dtype=np.int64)
    return ExtensiveFormGame.from_arrays(
        players=["X", "O"],
        parent=parent,
        player=player,
        payoffs=np.column_stack([x, -x]),
        action_labels=labels,
        title="Tic-tac-toe",
    )


def random_binary_tree(depth: int, seed: int = 0) -> ExtensiveFormGame:
    """A complete binary perfect-information tree with ``2**depth`` random integer leaves.

    Nodes are numbered as in a heap (children of ``v`` are ``2v+1`` and ``2v+2``),
    which is not preorder: ``from_arrays`` renumbers them.
    """
    n = 2 ** (depth + 1) - 1
    v = np.arange(n, dtype=np.int64)
    parent = (v - 1) // 2
    parent[0] = -1
    level = np.floor(np.log2(v + 1)).astype(np.int64)
    pay = np.zeros((n, 2), dtype=np.int64)
    leaves = v >= 2**depth - 1
    rng = np.random.default_rng(seed)
    pay[leaves] = rng.integers(-(10**6), 10**6, size=(int(leaves.sum()), 2))
    return ExtensiveFormGame.from_arrays(
        players=["A", "B"], parent=parent, player=level % 2, payoffs=pay
    )


def benchmark_random_tree(depth: int = 20, seed: int = 0) -> dict[str, float]:
    """Build and solve (backward induction) a ``2**depth``-leaf random tree; seconds taken."""
    start = time.perf_counter()
    game = random_binary_tree(depth, seed)
    built = time.perf_counter()
    sol = solve_extensive(game, method="backward_induction")
    solved = time.perf_counter()
    again = solve_extensive(game, method="backward_induction")
    solved_again = time.perf_counter()
    assert sol.equilibria[0].regret == 0 and again.equilibria[0] == sol.equilibria[0]
    return {
        "nodes": float(game.n_nodes),
        "build_s": built - start,
        "solve_s": solved - built,
        "solve_again_s": solved_again - solved,
    }


# -- from_arrays ---------------------------------------------------------------------------------
def entry_nested() -> ExtensiveFormGame:
    return ExtensiveFormGame.build(
        players=["E", "I"],
        root=Decision(
            "E",
            {
                "Out": Terminal((0, 2)),
                "In": Decision("I", {"Fight": Terminal((-1, -1)), "Acc": Terminal((1, 1))}),
            },
        ),
    )


def test_from_arrays_equals_build_in_any_node_order() -> None:
    # Same game, nodes given in a scrambled order with explicit action numbers.
    order = [3, 0, 4, 2, 1]  # position k holds preorder node order[k]
    parent_pre = [-1, 0, 0, 2, 2]
    action_pre = [-1, 0, 1, 0, 1]
    player_pre = [0, -2, 1, -2, -2]
    pay_pre = [[0, 0], [0, 2], [0, 0], [-1, -1], [1, 1]]
    labels_pre = ["", "Out", "In", "Fight", "Acc"]
    where = {node: k for k, node in enumerate(order)}
    g = ExtensiveFormGame.from_arrays(
        players=["E", "I"],
        parent=[-1 if parent_pre[v] < 0 else where[parent_pre[v]] for v in order],
        action=[action_pre[v] for v in order],
        player=[player_pre[v] for v in order],
        payoffs=[pay_pre[v] for v in order],
        action_labels=[labels_pre[v] for v in order],
    )
    assert g == entry_nested()
    assert g.provenance == ("built from arrays",)
    assert [h.label for h in g.infosets[0]] == ["E:1"]
    assert parse_efg(write_efg(g)) == g


def test_from_arrays_chance_infosets_and_outcomes_on_inner_nodes() -> None:
    nested = ExtensiveFormGame.build(
        players=["A"],
        root=Chance(
            {
                "h": (
                    "1/3",
                    Decision("A", {"x": Terminal((1,)), "y": Terminal((0,))}, infoset="I"),
                ),
                "t": (
                    "2/3",
                    Decision("A", {"x": Terminal((0,)), "y": Terminal((2,))}, infoset="I"),
                ),
            },
            payoffs=(F(1, 2),),
        ),
    )
    g = ExtensiveFormGame.from_arrays(
        players=["A"],
        parent=[-1, 0, 1, 1, 0, 4, 4],
        player=[-1, 0, -2, -2, 0, -2, -2],
        infoset=[-1, 7, -1, -1, 7, -1, -1],
        probs=[None, "1/3", None, None, F(2, 3), None, None],
        payoffs=np.array([[F(1, 2)], [0], [1], [0], [0], [0], [2]], dtype=object),
        action_labels=["", "h", "x", "y", "t", "x", "y"],
    )
    assert not g.is_perfect_information and g.has_perfect_recall
    assert g.terminal_payoffs() == nested.terminal_payoffs()
    assert g.node_outcome(1) is None and g.node_outcome(0) is not None
    assert g.chance_infosets[0].probs == (F(1, 3), F(2, 3))
    assert [len(h.members) for h in g.infosets[0]] == [2]
    sol = solve_extensive(g, method="subgames")
    assert all(eq.regret == 0 for eq in sol.equilibria)


def test_from_arrays_float_payoffs() -> None:
    g = ExtensiveFormGame.from_arrays(
        players=["A"], parent=[-1, 0, 0], player=[0, 0, 0], payoffs=[[0.0], [0.5], [0.25]]
    )
    assert not g.is_exact
    (eq,) = solve_extensive(g, method="backward_induction").equilibria
    assert isinstance(eq, BehaviorEquilibrium)
    assert eq.payoffs == (0.5,) and eq.behavior == (((F(1), F(0)),),)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parent": [-1, -1, 0]}, "exactly one root"),
        ({"parent": [-1, 2, 1]}, "cycle"),
        ({"parent": [-1, 0, 3]}, r"parent\[2\] = 3 is not a node index"),
        ({"player": [2, 0, 0]}, r"player\[0\] = 2 is neither"),
        ({"action": [-1, 0, 0]}, r"children of node 0 have actions \[0, 0\]"),
        ({"payoffs": [[0], [1]]}, r"payoffs has shape \(2, 1\)"),
        ({"payoffs": [[0.0], [1.0], [float("nan")]]}, "must be finite"),
        ({"player": [-1, 0, 0]}, "give probs"),
        ({"player": [-1, 0, 0], "probs": [0, 0.5, 0.5]}, "must be exact"),
        ({"player": [-1, 0, 0], "probs": [0, "1/2", "1/3"]}, "sum to 5/6"),
        ({"action_labels": ["", "a", "a"]}, None),
        ({"infoset": [0, -1, -1], "player": [0, 0, 0]}, None),
        ({"parent": [-1, 0, 0.5]}, "integers"),
    ],
)
def test_from_arrays_validation(kwargs: dict[str, Any], message: str | None) -> None:
    args: dict[str, Any] = {
        "players": ["A"],
        "parent": [-1, 0, 0],
        "player": [0, 0, 0],
        "payoffs": [[0], [1], [2]],
    }
    args.update(kwargs)
    if message is None:
        ExtensiveFormGame.from_arrays(**args)  # accepted
        return
    with pytest.raises(GameError, match=message):
        ExtensiveFormGame.from_arrays(**args)


def test_from_arrays_infoset_consistency() -> None:
    base: dict[str, Any] = {
        "players": ["A", "B"],
        "parent": [-1, 0, 0, 1, 1, 2, 2],
        "payoffs": np.zeros((7, 2), dtype=np.int64),
    }
    with pytest.raises(GameError, match="differ in player"):
        ExtensiveFormGame.from_arrays(
            **base, player=[0, 1, 0, -2, -2, -2, -2], infoset=[-1, 3, 3, -1, -1, -1, -1]
        )
    with pytest.raises(GameError, match="offers actions"):
        ExtensiveFormGame.from_arrays(
            **base,
            player=[0, 1, 1, -2, -2, -2, -2],
            infoset=[-1, 3, 3, -1, -1, -1, -1],
            action_labels=["", "l", "r", "x", "y", "x", "z"],
        )


# -- exact chance averaging in the vectorised sweep ---------------------------------------------
def test_backward_induction_with_chance_levels_is_exact() -> None:
    def lottery(a: int, b: int) -> Chance:
        return Chance(
            {"u": ("1/3", Terminal((a, -a))), "d": ("2/3", Terminal((b, -b)))}, payoffs=(F(1, 7), 0)
        )

    g = ExtensiveFormGame.build(
        players=["A", "B"],
        root=Chance(
            {
                "L": ("1/5", Decision("A", {"x": lottery(1, 2), "y": lottery(3, 0)})),
                "R": ("4/5", Decision("B", {"x": lottery(1, 2), "y": lottery(0, 3)})),
            }
        ),
    )
    (eq,) = solve_extensive(g, method="backward_induction").equilibria
    # A takes x (5/3 > 1), B takes x (-5/3 > -2); lotteries add 1/7 to A.
    want_a = F(1, 5) * (F(5, 3) + F(1, 7)) + F(4, 5) * (F(5, 3) + F(1, 7))
    assert isinstance(eq, BehaviorEquilibrium)
    assert eq.payoffs == (want_a, F(-5, 3))
    assert eq.regret == 0 and eq.subgame_perfect is True


# -- tic-tac-toe ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ttt() -> ExtensiveFormGame:
    start = time.perf_counter()
    game = tic_tac_toe()
    print(f"\ntic-tac-toe: built {game.n_nodes} nodes in {time.perf_counter() - start:.2f} s")
    return game


def test_tic_tac_toe_default_solve_falls_back_to_backward_induction(
    ttt: ExtensiveFormGame,
) -> None:
    assert ttt.n_nodes == 549_946 and ttt.n_terminal_nodes == 255_168
    assert ttt.is_perfect_information
    with pytest.raises(GameError, match="too large"):
        ttt.reduced_normal_form(max_profiles=20_000)
    start = time.perf_counter()
    sol = solve(ttt)
    print(f"tic-tac-toe: solved in {time.perf_counter() - start:.2f} s")
    assert sol.method == "backward_induction" and not sol.complete
    assert any("not subgame perfect were not enumerated" in w for w in sol.warnings)
    assert sol.equilibria
    for eq in sol.equilibria:
        assert isinstance(eq, BehaviorEquilibrium)
        assert eq.payoffs == (0, 0) and eq.regret == 0 and eq.subgame_perfect is True
        assert eq.is_pure
    # X's first move in the first equilibrium is one of the nine cells.
    eq0 = sol.equilibria[0]
    assert isinstance(eq0, BehaviorEquilibrium)
    first = eq0.by_label()["X"]["X:1"]
    assert list(first.values()) == [F(1)] and next(iter(first)) in {f"c{k}" for k in range(1, 10)}


def test_tic_tac_toe_cli(ttt: ExtensiveFormGame, tmp_path: Path) -> None:
    path = tmp_path / "tictactoe.efg"
    start = time.perf_counter()
    write_efg(ttt, path)
    written = time.perf_counter()
    back = read_efg(path)
    parsed = time.perf_counter()
    assert back.n_nodes == ttt.n_nodes
    assert np.array_equal(back.scaled_node_payoffs()[0], ttt.scaled_node_payoffs()[0])
    assert back.infoset_columns().actions == ttt.infoset_columns().actions
    result = CliRunner().invoke(app, ["solve", str(path), "--json"])
    done = time.perf_counter()
    print(
        f"tic-tac-toe: write {written - start:.2f} s, parse {parsed - written:.2f} s, "
        f"CLI solve --json {done - parsed:.2f} s"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["complete"] is False
    assert doc["equilibria"]
    for eq in doc["equilibria"]:
        assert eq["subgame_perfect"] is True
        assert eq["payoffs"] == {"X": "0", "O": "0"}


# -- benchmark (reported, never asserted) ---------------------------------------------------------
def test_random_tree_benchmark_reports_timings() -> None:
    depth = 20
    res = benchmark_random_tree(depth)
    assert res["nodes"] == 2 ** (depth + 1) - 1
    print(
        f"\n2^{depth} leaves: build {res['build_s']:.3f} s, solve {res['solve_s']:.3f} s "
        f"(again {res['solve_again_s']:.3f} s)"
    )


# -- the level structure cached on the game, and the vectorised sweep ------------------------------
def random_pi_tree(seed: int, *, binary: bool, big: bool = False) -> ExtensiveFormGame:
    """A random perfect-information tree; ``binary``: 0 or 2 children, one mover per depth."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 4))
    parent, depth = [-1], [0]
    frontier = [0]
    max_depth = int(rng.integers(1, 6))
    while frontier:
        v = frontier.pop()
        if depth[v] < max_depth and (depth[v] == 0 or rng.random() < 0.75):
            for _ in range(2 if binary else int(rng.integers(1, 4))):
                parent.append(v)
                depth.append(depth[v] + 1)
                frontier.append(len(parent) - 1)
    n = len(parent)
    player = np.array(depth) % m if binary else rng.integers(0, m, n)
    pay: Any = rng.integers(0, 3, size=(n, m))
    if big:
        pay = pay.astype(object) * 2**62
    return ExtensiveFormGame.from_arrays(
        players=[f"P{i}" for i in range(m)], parent=parent, player=player, payoffs=pay
    )


def all_spe_payoffs(game: ExtensiveFormGame) -> list[tuple[Fraction, ...]]:
    """Payoffs of every pure SPE (one entry per SPE), by plain recursion over the tree."""
    t = game.tree
    pay = game.node_payoffs()

    def solve_at(v: int) -> list[tuple[Fraction, ...]]:
        own = tuple(pay[v].tolist())
        kids = game.children(v)
        if not kids:
            return [own]
        i = int(t.player[v])
        below = [solve_at(c) for c in kids]
        out = []
        # An SPE: one SPE per child subgame, and an optimal child for the mover.
        for combo in itertools.product(*below):
            top = max(x[i] for x in combo)
            for x in combo:
                if x[i] == top:
                    out.append(tuple(a + b for a, b in zip(own, x, strict=True)))
        return out

    return solve_at(0)


@pytest.mark.parametrize("seed", range(40))
def test_inner_levels_describe_the_level_order(seed: int) -> None:
    g = random_pi_tree(seed, binary=seed % 2 == 0)
    t = g.tree
    order, bounds = g.level_order()
    where = g.level_positions()
    assert (where[order] == np.arange(g.n_nodes)).all()
    nchild = t.child_ptr[1:] - t.child_ptr[:-1]
    levels = g.inner_levels()
    assert [lv.depth for lv in levels] == sorted((lv.depth for lv in levels), reverse=True)
    seen = np.zeros(g.n_nodes, dtype=bool)
    for lv in levels:
        assert (lv.start, lv.stop) == (int(bounds[lv.depth]), int(bounds[lv.depth + 1]))
        assert (lv.child_start, lv.child_stop) == (lv.stop, int(bounds[lv.depth + 2]))
        assert (order[lv.positions] == lv.nodes).all()
        assert (nchild[lv.nodes] == lv.n_children).all() and (lv.n_children > 0).all()
        assert lv.offsets.tolist() == np.concatenate([[0], np.cumsum(lv.n_children)[:-1]]).tolist()
        assert int(lv.n_children.sum()) == lv.child_stop - lv.child_start
        for node, off in zip(lv.nodes.tolist(), lv.offsets.tolist(), strict=True):
            kids = order[lv.child_start + off : lv.child_start + off + nchild[node]]
            assert kids.tolist() == list(g.children(node))
        assert (lv.mover == t.player[lv.nodes]).all()
        assert lv.all_inner == (len(lv.positions) == lv.stop - lv.start)
        assert lv.branching == (int(lv.n_children[0]) if len(set(lv.n_children)) == 1 else 0)
        movers = set(lv.mover.tolist())
        assert lv.single_mover == (movers.pop() if len(movers) == 1 else -1)
        assert not lv.has_chance
        seen[lv.nodes] = True
    assert (seen == (nchild > 0)).all()
    pay, _ = g.scaled_node_payoffs()
    assert np.array_equal(g.scaled_level_payoffs(), pay.T[:, order])
    labels, actions = g.player_infoset_labels()
    assert labels == tuple(tuple(h.label for h in hs) for hs in g.infosets)
    assert actions == tuple(tuple(h.actions for h in hs) for hs in g.infosets)


@pytest.mark.parametrize("seed", range(60))
def test_backward_induction_lists_every_spe_of_binary_trees(seed: int) -> None:
    # Binary trees with one mover per depth take the sweep's fast lane (int64) or, with
    # payoffs beyond int64, the object path; ties (payoffs 0..2) give several SPE.
    g = random_pi_tree(seed, binary=True, big=seed % 5 == 0)
    sol = solve_extensive(g, method="backward_induction")
    want = all_spe_payoffs(g)
    assert sol.complete and sol.exact
    assert sorted(eq.payoffs for eq in sol.equilibria) == sorted(want)
    for eq in sol.equilibria:
        assert isinstance(eq, BehaviorEquilibrium)
        assert eq.regret == 0 and eq.subgame_perfect is True and eq.is_pure


@pytest.mark.parametrize("kind", ["int64", "object", "float"])
def test_sweep_check_rejects_a_profitable_one_shot_deviation(kind: str) -> None:
    from equishift.solver.extensive import _sweep, _sweep_data

    g = random_binary_tree(6, seed=3)
    if kind != "int64":
        pay = g.scaled_node_payoffs()[0].astype(object if kind == "object" else float)
        if kind == "object":
            pay = pay * 2**62
        parent = np.where(g.tree.parent >= 0, g.tree.parent, -1)
        g = ExtensiveFormGame.from_arrays(
            players=["A", "B"], parent=parent, player=g.tree.player, payoffs=pay
        )
    sw = _sweep_data(g)
    assert sw.base.dtype == {"int64": np.int64, "object": object, "float": np.float64}[kind]
    _, best, _, ok = _sweep(sw, 1e-9)
    assert ok
    assert _sweep(sw, 1e-9, best.copy())[3]
    for lv in sw.levels:  # flip one decision anywhere: some mover then gains by deviating
        bad = best.copy()
        bad[lv.positions[0]] = 1 - bad[lv.positions[0]]
        assert not _sweep(sw, 1e-9, bad)[3]
