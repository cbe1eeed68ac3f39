"""One conformance suite over every registered transform (scikit-learn's check_estimator idea).

Every transform class registers example instances with a compatible game
(``Transform.examples()``); each law below runs over all of them: the input is never mutated,
the output is a valid (and, where small, solvable) game, application is deterministic,
provenance is recorded, ``to_dict`` round-trips through ``transform_from_dict`` (also through
JSON, as a TOML file would), composition is application in order, and ``inverse`` undoes.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import ExtensiveFormGame, FormatError, GameError, NormalFormGame
from equishift.games.bayesian import BayesianGame
from equishift.games.continuous import LinearResponseGame
from equishift.games.repeated import LinkedGame, RepeatedGame
from equishift.recommendations.transforms import (
    TRANSFORMS,
    AddStrategy,
    Compose,
    RemoveStrategy,
    SetDelta,
    ShiftPayoffs,
    Transform,
    examples,
    fingerprint,
    same_game,
    transform_from_dict,
)
from equishift.solver import solve
from equishift.solver.continuous import equilibrium

from .strategies import int_games

EXAMPLES = examples()
IDS = [f"{t.op}-{k}" for k, (t, _) in enumerate(EXAMPLES)]


def _solvable(game: Any) -> NormalFormGame | ExtensiveFormGame | None:
    if isinstance(game, NormalFormGame | ExtensiveFormGame):
        return game
    if isinstance(game, RepeatedGame):
        return game.stage
    if isinstance(game, LinkedGame):
        return game.combined_stage()
    if isinstance(game, BayesianGame):
        return game.induced_normal_form()
    return None


def test_every_registered_transform_has_examples() -> None:
    ops = {t.op for t, _ in EXAMPLES}
    assert ops == set(TRANSFORMS)
    assert len(TRANSFORMS) >= 20


@pytest.mark.parametrize(("t", "game"), EXAMPLES, ids=IDS)
def test_input_never_mutated(t: Transform, game: Any) -> None:
    before = fingerprint(game)
    t.apply(game)
    t.apply(game)
    assert fingerprint(game) == before


@pytest.mark.parametrize(("t", "game"), EXAMPLES, ids=IDS)
def test_output_valid_and_solvable(t: Transform, game: Any) -> None:
    out = t.apply(game)
    assert out is not game
    if isinstance(out, LinearResponseGame):
        assert equilibrium(out).exists
        return
    finite = _solvable(out)
    if finite is None:
        assert hasattr(out, "default")  # a ParametricGame: solvable at its defaults
        finite = out.default()
    sol = solve(finite)
    assert sol.equilibria, f"{t.op}: no equilibrium found in {finite!r}"


@pytest.mark.parametrize(("t", "game"), EXAMPLES, ids=IDS)
def test_deterministic(t: Transform, game: Any) -> None:
    assert fingerprint(t.apply(game)) == fingerprint(t.apply(game))


@pytest.mark.parametrize(("t", "game"), EXAMPLES, ids=IDS)
def test_provenance_recorded(t: Transform, game: Any) -> None:
    out = t.apply(game)
    if not t.records_provenance:
        pytest.skip(f"{type(game).__name__} keeps no provenance")
    old, new = tuple(game.provenance), tuple(out.provenance)
    assert new[: len(old)] == old
    assert len(new) > len(old) and all(new[len(old) :])


@pytest.mark.parametrize(("t", "game"), EXAMPLES, ids=IDS)
def test_round_trip_through_dict_and_json(t: Transform, game: Any) -> None:
    d = t.to_dict()
    assert d["op"] == t.op
    assert transform_from_dict(d) == t
    assert transform_from_dict(json.loads(json.dumps(d))) == t


@pytest.mark.parametrize(("t", "game"), EXAMPLES, ids=IDS)
def test_inverse_law(t: Transform, game: Any) -> None:
    if not t.invertible:
        with pytest.raises(GameError, match="no inverse"):
            t.inverse()
        return
    out = t.apply(game)
    assert same_game(t.inverse().apply(out), game)


def test_composition_law_over_all_compatible_pairs() -> None:
    checked = 0
    for (a, g), (b, _) in itertools.product(EXAMPLES, EXAMPLES):
        mid = a.apply(g)
        try:
            expected = b.apply(mid)
        except GameError:
            continue
        composed = a >> b
        assert fingerprint(composed.apply(g)) == fingerprint(expected)
        assert fingerprint(a.then(b).apply(g)) == fingerprint(expected)
        checked += 1
    assert checked >= 100


def test_compose_flattens_and_is_associative() -> None:
    a, b, c = SetDelta("1/2"), SetDelta("3/5"), SetDelta("7/10")
    assert ((a >> b) >> c) == (a >> (b >> c)) == Compose((a, b, c))
    assert Compose(()).describe() == "identity"


@settings(max_examples=40, deadline=None)
@given(game=int_games(max_strategies=3), data=st.data())
def test_shift_payoffs_laws_on_random_games(game: NormalFormGame, data: st.DataObject) -> None:
    profiles = list(game.profiles())
    cells = data.draw(st.lists(st.sampled_from(profiles), min_size=1, max_size=3, unique=True))
    ints = st.integers(-3, 3)
    d1 = tuple(tuple(data.draw(ints) for _ in range(game.n_players)) for _ in cells)
    d2 = tuple(tuple(data.draw(ints) for _ in range(game.n_players)) for _ in cells)
    s1, s2 = ShiftPayoffs(tuple(cells), d1), ShiftPayoffs(tuple(cells), d2)
    both = ShiftPayoffs(
        tuple(cells),
        tuple(tuple(x + y for x, y in zip(u, v, strict=True)) for u, v in zip(d1, d2, strict=True)),
    )
    before = fingerprint(game)
    assert same_game((s1 >> s2).apply(game), both.apply(game))
    assert same_game(s1.inverse().apply(s1.apply(game)), game)
    assert fingerprint(game) == before


@settings(max_examples=40, deadline=None)
@given(game=int_games(max_strategies=3), data=st.data())
def test_add_then_remove_strategy_on_random_games(
    game: NormalFormGame, data: st.DataObject
) -> None:
    player = data.draw(st.sampled_from(game.players))
    i = game.player_index(player)
    n_other = 1
    for j, s in enumerate(game.strategies):
        if j != i:
            n_other *= len(s)
    pays = tuple(
        tuple(Fraction(data.draw(st.integers(-3, 3))) for _ in range(game.n_players))
        for _ in range(n_other)
    )
    add = AddStrategy(player, "new", pays)
    out = add.apply(game)
    assert out.shape[i] == game.shape[i] + 1
    assert same_game(add.inverse().apply(out), game)
    assert add.inverse() == RemoveStrategy(player, "new")


# -- errors name the key path ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("set_delta", r"^recs\[0\]\.transforms\[1\]: expected a table"),
        ({}, r"^recs\[0\]\.transforms\[1\]: missing key 'op'"),
        ({"op": "warp"}, r"^recs\[0\]\.transforms\[1\]\.op: unknown transform 'warp'"),
        ({"op": "set_delta"}, r"^recs\[0\]\.transforms\[1\]: missing key\(s\) \['delta'\]"),
        ({"op": "set_delta", "delta": "1/2", "speed": 3}, r"unknown key\(s\) \['speed'\]"),
        ({"op": "set_delta", "delta": [1]}, r"set_delta\.delta: expected a number"),
        ({"op": "set_delta", "delta": "__import__('os')"}, r"is not a number"),
        ({"op": "sequentialise", "leader": 3}, r"sequentialise\.leader: expected a non-empty"),
        ({"op": "add_strategy", "player": "A", "label": "x", "payoffs": "1,2"}, r"expected a list"),
        ({"op": "compose", "steps": [{"op": "nope"}]}, r"transforms\[1\]\.steps\[0\]\.op: unknown"),
        ({"op": "compose"}, r"compose needs 'steps'"),
        ({"op": "add_cheap_talk", "sender": "A", "messages": ["x"]}, r"at least two distinct"),
    ],
)
def test_from_dict_errors_name_the_key_path(data: Any, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        transform_from_dict(data, "recs[0].transforms[1]")


def test_wrong_game_type_names_the_transform() -> None:
    t, game = next((t, g) for t, g in EXAMPLES if t.op == "set_delta")
    with pytest.raises(GameError, match=r"^set_delta: expected a RepeatedGame, got NormalFormGame"):
        t.apply(game.games[0] if isinstance(game, LinkedGame) else game.stage)


def test_unknown_labels_are_game_errors() -> None:
    game = next(g for t, g in EXAMPLES if t.op == "remove_strategy")
    with pytest.raises(GameError):
        RemoveStrategy("nobody", "x").apply(game)
    with pytest.raises(GameError):
        ShiftPayoffs((("no", "such"),), ((1, 1),)).apply(game)
