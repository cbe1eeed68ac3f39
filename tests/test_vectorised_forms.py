"""Vectorised verdicts for trees, signalling games and races (``_vector_forms``).

Every rule is checked against the exact path on seeded random samples of its scenario: each
code other than EXACT must be the exact verdict, and few samples may need the exact path. The
full :func:`~equishift.recommendations.robustness._verdict` costs about a second per sample for
BN and R6 (most of it the exact threshold searches of the report, which do not enter the
verdict), so most samples are compared with the criterion decided exactly on the reformed
game, as :func:`~equishift.recommendations.evaluate.evaluate` decides the verdict, and a few
with the full path.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from equishift.games.continuous import LinearResponseGame
from equishift.games.errors import EquishiftError
from equishift.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from equishift.games.signalling import SignallingGame
from equishift.recommendations import _vector_forms as vf
from equishift.recommendations import transforms as tf
from equishift.recommendations.evaluate import FAILS, WORKS, _assess, scenario_recommendations
from equishift.recommendations.recommendation import SeparatingExists
from equishift.recommendations.robustness import (
    ScenarioBuilder,
    _linked,
    _points,
    _to_value,
    _verdict,
)
from equishift.recommendations.scenarios import scenario_path
from equishift.recommendations.vectorised import (
    EXACT,
    RULES,
    UNDECIDED,
    Context,
    compile_verdict,
)
from equishift.solver.continuous import stability
from equishift.solver.pbe import perfect_bayesian_equilibria

CASES = [
    ("BN", "bloody-nose", "tree-avoided"),
    ("R6", "russia-japan-cbm", "signalling-separating"),
    ("R7", "arms-race", "race-stable"),
]
CODE = {WORKS: 1, FAILS: 0}


# -- helpers ----------------------------------------------------------------------------------
def _samples(b: ScenarioBuilder, n: int, seed: int) -> list[dict[str, Fraction]]:
    sampled = [p for p in b.default.parameters.values() if p.range is not None or p.distribution]
    return [
        {p.name: _to_value(p, u) for p, u in zip(sampled, row, strict=True)}
        for row in _points(n, len(sampled), seed, "random")
    ]


def _codes(b: ScenarioBuilder, rec_id: str, samples: list[dict[str, Fraction]]) -> np.ndarray:
    v = compile_verdict(b, rec_id)
    assert v is not None
    return v(b.columns({k: [float(s[k]) for s in samples] for k in samples[0]}))


def _criterion_code(b: ScenarioBuilder, rec_id: str, values: Mapping[str, Any]) -> int:
    """The verdict as evaluate() decides it: the criterion on the reformed game, exactly."""
    try:
        scenario = b.scenario(values)
        rec = _linked({r.id: r for r in scenario_recommendations(scenario)}[rec_id], scenario)
        reformed = rec.transform.apply(scenario.games[rec.targets[0]])
    except EquishiftError:
        return UNDECIDED
    holds = _assess(rec.criterion, reformed, None).holds
    return UNDECIDED if holds is None else int(holds)


def _full_code(b: ScenarioBuilder, rec_id: str, values: Mapping[str, Any]) -> int:
    return CODE.get(_verdict(b, rec_id, values)[0], UNDECIDED)


def _context(b: ScenarioBuilder, rec_id: str, **changes: Any) -> Context:
    rec = {r.id: r for r in scenario_recommendations(b.default)}[rec_id]
    data = tomllib.loads(b.text, parse_float=Decimal)
    return Context(b.default, data, dataclasses.replace(rec, **changes))


def _agree(codes: np.ndarray, exact: list[int]) -> None:
    for i, (code, want) in enumerate(zip(codes.tolist(), exact, strict=True)):
        if code != EXACT:
            assert code == want, f"sample {i}: vectorised {code}, exact {want}"


# -- (a) the rules compile for the bundled recommendations -----------------------------------
@pytest.mark.parametrize(("rec_id", "scenario", "rule"), CASES)
def test_bundled_recommendation_gets_its_rule(rec_id: str, scenario: str, rule: str) -> None:
    v = compile_verdict(ScenarioBuilder(scenario), rec_id)
    assert v is not None and v.rule == rule


# -- (b), (c) agreement with the exact path on random samples --------------------------------
@pytest.mark.parametrize(("rec_id", "scenario", "rule"), CASES)
def test_agrees_with_the_exact_verdict(rec_id: str, scenario: str, rule: str) -> None:
    b = ScenarioBuilder(scenario)
    samples = _samples(b, 150, seed=2026)
    codes = _codes(b, rec_id, samples)
    exact = [
        _full_code(b, rec_id, s) if rule == "race-stable" else _criterion_code(b, rec_id, s)
        for s in samples
    ]
    _agree(codes, exact)
    assert np.count_nonzero(codes == EXACT) < 0.1 * len(samples)
    assert {0, 1} <= set(exact)  # both verdicts occur: the comparison means something


@pytest.mark.parametrize(
    ("rec_id", "scenario"), [("BN", "bloody-nose"), ("R6", "russia-japan-cbm")]
)
def test_agrees_with_the_full_exact_path(rec_id: str, scenario: str) -> None:
    b = ScenarioBuilder(scenario)
    samples = _samples(b, 4, seed=7)
    _agree(_codes(b, rec_id, samples), [_full_code(b, rec_id, s) for s in samples])


def test_values_the_file_rejects_are_undetermined() -> None:
    b = ScenarioBuilder("arms-race")
    v = compile_verdict(b, "R7")
    assert v is not None
    assert v(b.columns({"m": [-0.1]})).tolist() == [UNDECIDED]
    assert _full_code(b, "R7", {"m": Fraction(-1, 10)}) == UNDECIDED
    bn = ScenarioBuilder("bloody-nose")
    v = compile_verdict(bn, "BN")
    assert v is not None
    assert v(bn.columns({"theta": [1.5]})).tolist() == [UNDECIDED]


def test_close_calls_are_left_to_the_exact_path() -> None:
    # R7 after the change: stable iff m n > 3/10 a; m = n = 3/10, a = 3/10 is a tie
    b = ScenarioBuilder("arms-race")
    v = compile_verdict(b, "R7")
    assert v is not None
    codes = v(b.columns({"m": [0.3, 0.3], "n": [0.3, 0.3], "a": [0.3, 0.29]}))
    assert codes.tolist() == [EXACT, 1]
    # BN after theta = 1/2: striking pays iff b > min(h, W) (b = h: indifferent)
    bn = ScenarioBuilder("bloody-nose")
    v = compile_verdict(bn, "BN")
    assert v is not None
    codes = v(bn.columns({"b": [5.0, 4.0], "h": [5.0, 5.0]}))
    assert codes.tolist()[0] == EXACT and codes.tolist()[1] == 1
    assert _criterion_code(bn, "BN", {"b": Fraction(4), "h": Fraction(5)}) == 1


# -- (d) games of the families with a structure a rule does not handle -----------------------
def _edited(tmp_path: Path, scenario: str, old: str, new: str) -> ScenarioBuilder:
    text = scenario_path(scenario).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{scenario}.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return ScenarioBuilder(path)


_RESOLUTE_NO_STRIKE = (
    '[games.uncertain.tree.actions.Resolute.actions."No strike"]\npayoffs = [0, 0]'
)


def test_tree_rule_rejects_other_shapes(tmp_path: Path) -> None:
    b = ScenarioBuilder("bloody-nose")
    rule = RULES["tree-avoided"]
    # no chance move at the root (the complete-information tree)
    assert rule(_context(b, "BN", targets=("complete",), transforms=())) is None
    # a second chance move below the root
    second = _edited(
        tmp_path,
        "bloody-nose",
        _RESOLUTE_NO_STRIKE,
        '[games.uncertain.tree.actions.Resolute.actions."No strike"]\n'
        'chance = { Calm = "1/2", Tense = "1/2" }\n'
        "actions.Calm = { payoffs = [0, 0] }\n"
        "actions.Tense = { payoffs = [0, -1] }",
    )
    assert rule(_context(second, "BN")) is None
    # an information set joining two nodes of the same type (no perfect information below)
    joined = _edited(
        tmp_path,
        "bloody-nose",
        _RESOLUTE_NO_STRIKE,
        '[games.uncertain.tree.actions.Resolute.actions."No strike"]\n'
        'player = "DPRK"\ninfoset = "resolute DPRK"\n'
        "actions.Absorb = { payoffs = [0, 0] }\nactions.Retaliate = { payoffs = [0, -1] }",
    )
    assert rule(_context(joined, "BN")) is None
    assert compile_verdict(joined, "BN") is None


def test_tree_rule_rejects_other_transforms() -> None:
    b = ScenarioBuilder("bloody-nose")
    rule = RULES["tree-avoided"]
    assert rule(_context(b, "BN")) is not None
    other = tf.SetChance(("Calm", "Tense"), ("1/2", "1/2"))
    assert rule(_context(b, "BN", transforms=(other,))) is None
    assert rule(_context(b, "BN", transforms=(tf.SetParameter("b", 1),))) is None
    assert rule(_context(b, "BN", transforms=())) is not None  # no change: the baseline


_THREE_TYPES = """
[meta]
id = "three-types"
title = "A signal among three types"

[parameters]
mu = { value = 0.3, range = [0.1, 0.9] }
g = { value = 2, range = [0, 4] }
size = { value = 1, range = [0.5, 3] }

[games.sig]
form = "signalling"
sender = "S"
receiver = "R"
types = { a = "mu", b = "1/2 - mu/2", c = "1/2 - mu/2" }
messages = ["none", "talk"]
actions = ACTIONS

[games.sig.payoffs]
PAYOFFS

[[recommendations]]
id = "S3"
title = "A costly flag"
section = "test"
quote = "test"
targets = ["sig"]
transforms = [
  { op = "add_costly_signal", message = "flag", base = "none", types = ["a", "b", "c"], \
unit_costs = [1, 2, 4], size = 1 },
]
success = { kind = "separating_exists", sender_type = "a", action = "x" }
"""


def _three_types(tmp_path: Path, actions: list[str]) -> ScenarioBuilder:
    lines = []
    for k, t in enumerate("abc"):
        for m in ("none", "talk"):
            for j, a in enumerate(actions):
                sender = "g" if a == "x" else str(j - k)
                receiver = str((j + 1) * (k - 1) + (m == "talk"))
                lines.append(f'"{t}, {m}, {a}" = ["{sender}", {receiver}]')
    text = _THREE_TYPES.replace("ACTIONS", repr(actions).replace("'", '"'))
    path = tmp_path / f"three-{len(actions)}.toml"
    path.write_text(text.replace("PAYOFFS", "\n".join(lines)), encoding="utf-8")
    return ScenarioBuilder(path)


def test_signalling_rule_handles_three_types_with_two_replies(tmp_path: Path) -> None:
    b = _three_types(tmp_path, ["x", "y"])
    samples = _samples(b, 12, seed=3)
    codes = _codes(b, "S3", samples)  # "size" is linked to the parameter
    _agree(codes, [_criterion_code(b, "S3", s) for s in samples])
    assert np.count_nonzero(codes == EXACT) < 0.1 * len(samples)


def test_signalling_rule_rejects_what_it_cannot_check(tmp_path: Path) -> None:
    # three types and three replies: a free belief over three types needs a linear program
    assert compile_verdict(_three_types(tmp_path, ["x", "y", "z"]), "S3") is None
    b = ScenarioBuilder("russia-japan-cbm")
    rule = RULES["signalling-separating"]
    assert rule(_context(b, "R6")) is not None
    assert rule(_context(b, "R6", transforms=(tf.SetParameter("mu", "1/2"),))) is None
    unknown = SeparatingExists("neutral", "Cooperate")
    assert rule(_context(b, "R6", criterion=unknown)) is None
    wrong = tf.AddCostlySignal("CBM", "missing", ("trustworthy", "untrustworthy"), (1, 3), 4)
    assert rule(_context(b, "R6", transforms=(wrong,))) is None


def test_race_rule_transforms() -> None:
    b = ScenarioBuilder("arms-race")
    rule = RULES["race-stable"]
    assert rule(_context(b, "R7", transforms=(tf.SetParameter("q", 1),))) is None
    shift = tf.ShiftPayoffs((("Defensive", "Restraint"),), ((1, 1),))
    assert rule(_context(b, "R7", transforms=(shift,))) is None
    # shift_parameter is handled (and agrees with the exact criterion)
    moved = _context(b, "R7", transforms=(tf.ShiftParameter("b", "-1/2"),))
    run = rule(moved)
    assert run is not None
    samples = _samples(b, 30, seed=5)
    codes = run(b.columns({k: [float(s[k]) for s in samples] for k in samples[0]}))
    for s, code in zip(samples, codes.tolist(), strict=True):
        game = b.scenario(s).games["race-strike-capable"]
        try:
            after = tf.ShiftParameter("b", "-1/2").apply(game)
        except EquishiftError:
            assert code in (EXACT, UNDECIDED)
            continue
        if code != EXACT:
            assert code == int(stability(after).continuous_time)


# -- speed ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("rec_id", "scenario", "rule"), CASES)
def test_ten_thousand_samples_are_fast(rec_id: str, scenario: str, rule: str) -> None:
    import time

    b = ScenarioBuilder(scenario)
    v = compile_verdict(b, rec_id)
    assert v is not None
    rng = np.random.default_rng(0)
    cols = {
        p.name: rng.uniform(float(p.range[0]), float(p.range[1]), 10_000)
        for p in b.default.parameters.values()
        if p.range is not None
    }
    start = time.perf_counter()
    codes = v(b.columns(cols))
    assert time.perf_counter() - start < 2.0
    assert codes.shape == (10_000,) and set(np.unique(codes).tolist()) <= {-1, 0, 1, 2}


# -- properties: the tree engine and Routh--Hurwitz against the exact solvers ----------------
def _profiles_agree(game: ExtensiveFormGame) -> None:
    try:
        engine = vf._PureBayes(game)
    except ValueError:
        assume(False)
        return
    pay = np.asarray(game.node_payoffs(), dtype=float)[:, None, :]
    root = game.node_infoset(0)
    assert root is not None and root.probs is not None
    prob = np.array([[float(p)] for p in root.probs])
    certain, maybe = engine.run(pay, prob)
    exact = {eq.behavior for eq in perfect_bayesian_equilibria(game).equilibria}
    for k, prof in enumerate(engine.profiles):
        behavior = tuple(
            tuple(
                tuple(Fraction(int(b == prof.choice[g])) for b in range(h.n_actions))
                for g, h in enumerate(game.all_infosets)
                if h.player == i
            )
            for i in range(game.n_players)
        )
        if certain[k, 0]:
            assert behavior in exact
        elif not maybe[k, 0]:
            assert behavior not in exact


_PAY = st.integers(-2, 2)


@st.composite
def _strike_trees(draw: st.DrawFn) -> ExtensiveFormGame:
    """Nature draws a type; U acts without seeing it; D answers; U may answer again."""
    n_types = draw(st.integers(2, 3))
    weights = draw(st.lists(st.integers(1, 3), min_size=n_types, max_size=n_types))
    shared = n_types == 3 or draw(st.booleans())
    n_last = draw(st.integers(2, 3)) if n_types == 2 else 2

    def pay() -> Terminal:
        return Terminal((draw(_PAY), draw(_PAY)))

    def branch(t: int) -> Decision:
        last = Decision(
            "U",
            {f"e{j}": pay() for j in range(n_last)},
            infoset="U late" if shared else f"U late {t}",
        )
        answer = Decision("D", {"absorb": pay(), "hit": last}, infoset=f"D{t}")
        return Decision("U", {"strike": answer, "wait": pay()}, infoset="U first")

    total = sum(weights)
    root = Chance({f"t{t}": (Fraction(w, total), branch(t)) for t, w in enumerate(weights)})
    return ExtensiveFormGame.build(players=["U", "D"], root=root)


@st.composite
def _signalling_trees(draw: st.DrawFn) -> ExtensiveFormGame:
    n_types = draw(st.integers(2, 3))
    n_actions = draw(st.integers(2, 3)) if n_types == 2 else 2
    weights = draw(st.lists(st.integers(1, 3), min_size=n_types, max_size=n_types))
    types = {f"t{k}": Fraction(w, sum(weights)) for k, w in enumerate(weights)}
    table = {
        (t, m, a): (draw(_PAY), draw(_PAY))
        for t in types
        for m in ("m0", "m1")
        for a in (f"a{j}" for j in range(n_actions))
    }
    game = SignallingGame(
        types=types,
        messages=["m0", "m1"],
        actions=[f"a{j}" for j in range(n_actions)],
        payoffs=lambda t, m, a: table[(t, m, a)],
    )
    return game.to_extensive()


@settings(max_examples=30, deadline=None)
@given(_strike_trees())
def test_engine_matches_pure_pbe_of_strike_trees(game: ExtensiveFormGame) -> None:
    _profiles_agree(game)


@settings(max_examples=30, deadline=None)
@given(_signalling_trees())
def test_engine_matches_pure_pbe_of_signalling_games(game: ExtensiveFormGame) -> None:
    _profiles_agree(game)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(1, 4), min_size=n, max_size=n),
            st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n),
        )
    )
)
def test_hurwitz_matches_exact_stability(data: tuple[list[int], list[int]]) -> None:
    fatigue, flat = data
    n = len(fatigue)
    reactions = [[0 if i == j else flat[i * n + j] for j in range(n)] for i in range(n)]
    game = LinearResponseGame(fatigue, reactions, [0] * n)
    jac = np.array([[float(x) for x in row] for row in game.jacobian()])[None, :, :]
    stable, unsure = vf._hurwitz(jac)
    if not unsure[0]:
        assert bool(stable[0]) == stability(game).continuous_time
