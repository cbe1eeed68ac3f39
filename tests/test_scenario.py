"""Scenario files: every bundled file loads and solves, writing round-trips, each form reads.

The bundled files are the brief's games (MODELS.md); the solved values checked here are the
published ones cited there: DF δ* = 1/2 and 1/3 (Friedman 1971), R2 δ* = 0.625 with λ = 0.2
and perfect monitoring, R4 linked δ* = 11/35 ≈ 0.3143 (Bernheim & Whinston 1990), BN no strike
under complete information (subgame perfection).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import ExtensiveFormGame, FormatError, NormalFormGame
from equishift.games.formats import read_game, write_efg, write_nfg
from equishift.games.formats.scenario import (
    RawTable,
    Scenario,
    ScenarioMeta,
    parse_scenario,
    read_scenario,
    scenario_from_game,
    write_scenario,
)
from equishift.games.parameters import Parameter, Parameters
from equishift.games.parametric import ParametricGame
from equishift.games.repeated import LinkedGame, RepeatedGame
from equishift.recommendations.scenarios import list_scenarios, load_scenario, scenario_path
from equishift.solver import solve
from equishift.solver.repeated import critical_delta, linked_threshold

from .paths import REFERENCE
from .strategies import int_games

BUNDLED = [
    "arms-race",
    "bloody-nose",
    "crisis-chicken",
    "dual-freeze",
    "engagement-stag-hunt",
    "linked-korea-dialogue",
    "repeated-pd",
    "russia-japan-cbm",
    "strategic-triangle",
]
GAMBIT_FILES = sorted((REFERENCE / "games").glob("*.[ne]fg"))


def solvable(game: object) -> object:
    if isinstance(game, ParametricGame):
        return game.default()
    return game


# -- bundled files --------------------------------------------------------------------------------
def test_bundled_list() -> None:
    assert set(BUNDLED) <= set(list_scenarios())
    assert scenario_path("dual-freeze.toml") == scenario_path("dual-freeze")


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_loads_solves_and_round_trips(name: str) -> None:
    s = load_scenario(name)
    assert s.meta.id == name
    assert s.meta.title and s.meta.source
    assert s.path is not None and s.path.endswith(f"{name}.toml")
    for p in s.parameters.values():
        assert p.range is not None, p.name
        assert p.note, p.name
    for game in s.games.values():
        g = solvable(game)
        if isinstance(g, NormalFormGame | ExtensiveFormGame):
            sol = solve(g)
            assert sol.equilibria
    again = parse_scenario(write_scenario(s))
    assert again == s
    # Writing is stable: the written text is a fixed point.
    assert write_scenario(again) == write_scenario(s)


def test_dual_freeze_matches_models() -> None:
    s = load_scenario("dual-freeze")
    base = s.games["baseline"]
    assert isinstance(base, ParametricGame)
    (eq,) = solve(base.default()).equilibria
    assert eq.payoffs == (1, 1)
    freeze = s.games["freeze"]
    assert isinstance(freeze, RepeatedGame) and freeze.delta == Fraction(3, 5)
    th = critical_delta(freeze, ("Freeze", "Suspend"))
    assert [p.delta_star for p in th.players] == [Fraction(1, 2), Fraction(1, 3)]
    # The variants have no parameters and are plain games.
    assert isinstance(s.games["stag-hunt"], NormalFormGame)
    assert len(solve(s.games["stag-hunt"]).equilibria) == 3
    assert s.notes["baseline"].startswith("MODELS.md DF")


def test_repeated_pd_matches_models() -> None:
    s = load_scenario("repeated-pd")
    deal = s.games["leader-deal"]
    assert isinstance(deal, RepeatedGame)
    assert (deal.delta, deal.detection, deal.false_alarm, deal.lapse) == (
        Fraction(7, 10),
        Fraction(4, 5),
        Fraction(1, 10),
        Fraction(1, 5),
    )
    th = critical_delta(deal, ("Cooperate", "Cooperate"))
    star = th.players[0].delta_star
    # MODELS.md R2: δ(1 − λ) ≥ 0.625 at (q, ε) = (0.8, 0.1), so δ* = 0.625 / 0.8.
    assert star is not None and star == Fraction(5, 8) / Fraction(4, 5)
    perfect = critical_delta(deal, ("Cooperate", "Cooperate"), detection=1, false_alarm=0)
    assert perfect.players[0].delta_star == Fraction(5, 8)  # 0.625 with λ = 0.2
    contact = s.games["great-power-contact"]
    assert isinstance(contact, RepeatedGame) and contact.delta is None
    assert contact.discount == pytest.approx(0.3679, abs=1e-4)  # e^-1, below δ* = 1/2
    rel = s.games["vicious-circle"]
    assert isinstance(rel, RepeatedGame) and rel.relative_gains == Fraction(1, 2)
    th = critical_delta(rel, ("Cooperate", "Cooperate"))
    star = th.players[0].delta_star
    assert star is not None and float(star) == pytest.approx(0.7778, abs=1e-4)


def test_linked_korea_dialogue_matches_models() -> None:
    s = load_scenario("linked-korea-dialogue")
    linked, separate = s.games["linked"], s.games["us-russia-issues"]
    assert isinstance(linked, LinkedGame) and isinstance(separate, LinkedGame)
    assert linked.linked and not separate.linked
    assert linked.issues == ("Korea", "dialogue")
    th = linked_threshold(linked, [("Cooperate", "Cooperate")] * 2)
    assert th.delta_star == Fraction(11, 35)
    assert linked.delta == Fraction(2, 5)


def test_bloody_nose_complete_information_no_strike() -> None:
    s = load_scenario("bloody-nose")
    game = s.games["complete"]
    assert isinstance(game, ExtensiveFormGame)
    assert game == read_game(Path(__file__).parents[1] / "src/equishift/games/data/bloody-nose.efg")
    spe = [e for e in solve(game).equilibria if getattr(e, "subgame_perfect", False)]
    assert spe and all(e.payoffs == (0, 0) for e in spe)
    uncertain = s.games["uncertain"]
    assert isinstance(uncertain, ExtensiveFormGame)
    # theta = 0.2, the strike planners' premise; recommendation BN sets it to 1/2.
    assert uncertain.chance_infosets[0].probs == (Fraction(1, 5), Fraction(4, 5))


@pytest.mark.parametrize("name", ["crisis-chicken", "engagement-stag-hunt"])
def test_bundled_normal_games_agree_with_gambit_data(name: str) -> None:
    game = load_scenario(name).game()
    assert isinstance(game, ParametricGame)
    data = read_game(Path(__file__).parents[1] / "src/equishift/games/data" / f"{name}.nfg")
    assert isinstance(data, NormalFormGame)
    assert game.strategies == data.strategies
    assert bool((game.default().payoffs == data.payoffs).all())


# -- each form --------------------------------------------------------------------------------
NORMAL = """
[meta]
id = "x"
title = "X"
notes = "n"

[parameters]
a = { value = "1/3", range = [0, 1], distribution = { kind = "uniform", low = 0, high = 1 }, \
unit = "u", note = "n", source = "s" }
b = 2.5

[games.g]
form = "normal"
players = ["A", "B"]
strategies = [["x", "y"], ["z"]]
payoffs = [[[1, "a"]], [["b * 2", -0.5]]]
"""


def test_normal_matrix_and_parameters() -> None:
    s = parse_scenario(NORMAL)
    a = s.parameters["a"]
    assert (
        a.value == Fraction(1, 3) and a.range == (0, 1) and str(a.distribution) == "uniform(0, 1)"
    )
    assert (a.unit, a.note, a.source) == ("u", "n", "s")
    assert s.parameters["b"].value == Fraction(5, 2)
    g = s.games["g"]
    assert isinstance(g, ParametricGame)
    assert g.default().payoff(("y", "z")) == (5, Fraction(-1, 2))
    assert parse_scenario(write_scenario(s)) == s
    assert "a" in write_scenario(s)


def test_normal_constant_expressions_are_numbers() -> None:
    s = parse_scenario(
        '[game]\nform = "normal"\nplayers = ["A"]\nstrategies = { A = ["x"] }\n'
        'payoffs = { x = ["1/3"] }\n'
    )
    g = s.game()
    assert isinstance(g, NormalFormGame) and g.payoff(("x",)) == (Fraction(1, 3),)
    assert parse_scenario(write_scenario(s)) == s


def test_float_games_round_trip() -> None:
    g = NormalFormGame([[[0.1, 1 / 3]], [[2.0, -1e-7]]])
    s = scenario_from_game(g, id="f")
    text = write_scenario(s)
    assert 'arithmetic = "float"' in text
    assert parse_scenario(text) == s


EXTENSIVE = """
[parameters]
p = { value = 0.25, range = [0, 1] }
x = 4

[games.t]
form = "extensive"
players = ["Ann", "Bob"]
nodes.bob = { player = "Bob", infoset = "Bob", actions = { l = { payoffs = [1, 0] }, \
r = { payoffs = [0, "x"] } } }

[games.t.tree]
chance = { up = "p", down = "1 - p" }
actions.up = { ref = "bob" }
actions.down = { player = "Ann", label = "ann", actions = { "go on" = { ref = "bob" }, \
stop = { payoffs = ["x / 2", 0], outcome = "stopped" } } }
"""


def test_extensive_tree_with_refs_and_expressions() -> None:
    s = parse_scenario(EXTENSIVE)
    g = s.games["t"]
    assert isinstance(g, ExtensiveFormGame)
    assert g.chance_infosets[0].probs == (Fraction(1, 4), Fraction(3, 4))
    assert [h.label for h in g.infosets[1]] == ["Bob"]
    assert len(g.infosets[1][0].members) == 2
    text = write_scenario(s)
    assert '"1 - p"' in text and '"x / 2"' in text
    assert parse_scenario(text) == s
    assert solve(g).equilibria


def test_bindings_fall_back_to_numbers_when_stale() -> None:
    s = parse_scenario(EXTENSIVE)
    changed = Scenario(
        meta=s.meta,
        parameters=s.parameters.with_values(x=6),
        games=s.games,
        bindings=s.bindings,
    )
    text = write_scenario(changed)
    # The tree still holds x = 4 values, so they are written as numbers, not as "x".
    assert '"x / 2"' not in text
    assert parse_scenario(text).games["t"] == s.games["t"]


def test_extensive_from_gambit_file(tmp_path: Path) -> None:
    efg = Path(__file__).parents[1] / "src/equishift/games/data/bloody-nose.efg"
    (tmp_path / "bn.efg").write_text(efg.read_text())
    (tmp_path / "s.toml").write_text(
        '[games.a]\nform = "extensive"\nfile = "bn.efg"\n[games.b]\ngambit = "bn.efg"\n'
    )
    s = read_scenario(tmp_path / "s.toml")
    assert s.games["a"] == s.games["b"] == read_game(efg)
    assert parse_scenario(write_scenario(s)) == s


def test_gambit_import_normal(tmp_path: Path) -> None:
    nfg = Path(__file__).parents[1] / "src/equishift/games/data/dual-freeze.nfg"
    (tmp_path / "df.nfg").write_text(nfg.read_text())
    (tmp_path / "s.toml").write_text('[game]\ngambit = "df.nfg"\nform = "normal"\ntitle = "T"\n')
    s = read_scenario(tmp_path / "s.toml")
    g = s.game()
    assert isinstance(g, NormalFormGame) and g.title == "T" and g == read_game(nfg)


REPEATED = """
[parameters]
d = { value = 0.9, range = [0, 0.99] }
beta = 0.1

[games.pd]
form = "normal"
players = ["A", "B"]
strategies = { A = ["C", "D"], B = ["C", "D"] }
payoffs = { "C, C" = [3, 3], "C, D" = [0, 5], "D, C" = [5, 0], "D, D" = [1, 1] }

[games.rep]
form = "repeated"
stage = "pd"
delta = "d"
detection = 0.95
false_alarm = "beta / 5"
lapse = 0.1
relative_gains = 0.25

[games.inline]
form = "repeated"
rate = 0.5
contact_interval = 2

[games.inline.stage]
players = ["A", "B"]
strategies = { A = ["C"], B = ["C"] }
payoffs = { "C, C" = [1, 1] }

[games.link]
form = "linked"
games = ["pd", "pd2"]
issues = ["one", "two"]
breakdown = [0, "beta"]
delta = "d"
detection = 0.9

[games.pd2]
form = "normal"
players = ["A", "B"]
strategies = { A = ["C", "D"], B = ["C", "D"] }
payoffs = [[[2.8, 2.8], [0, 3]], [[3, 0], [0, 0]]]
"""


def test_repeated_and_linked_forms() -> None:
    s = parse_scenario(REPEATED)
    rep = s.games["rep"]
    assert isinstance(rep, RepeatedGame)
    assert (rep.delta, rep.false_alarm, rep.relative_gains) == (
        Fraction(9, 10),
        Fraction(1, 50),
        Fraction(1, 4),
    )
    assert rep.stage == s.games["pd"]
    inline = s.games["inline"]
    assert isinstance(inline, RepeatedGame) and inline.rate == Fraction(1, 2)
    link = s.games["link"]
    assert isinstance(link, LinkedGame)
    assert link.issues == ("one", "two") and link.breakdown == (0, Fraction(1, 10))
    assert link.games[1] == s.games["pd2"]  # a forward reference
    text = write_scenario(s)
    assert 'delta = "d"' in text and 'false_alarm = "beta / 5"' in text
    assert parse_scenario(text) == s


def test_arms_race_matches_models() -> None:
    from equishift.solver.continuous import equilibrium, stability

    s = load_scenario("arms-race")
    race = s.games["race"]
    assert equilibrium(race).levels == {"Japan": 5, "China": 5}  # type: ignore[arg-type]
    assert stability(race).continuous_time  # type: ignore[arg-type]
    again = parse_scenario(write_scenario(s))
    assert 'reactions = [[0, "a"], ["b", 0]]' in write_scenario(again)


def test_strategic_triangle_matches_models() -> None:
    s = load_scenario("strategic-triangle")
    t = s.games["2018"]
    assert t.scores == {"US": -3, "China": 1, "Russia": 1}  # type: ignore[union-attr]
    assert t.configuration == "stable marriage"  # type: ignore[union-attr]


def test_continuous_and_triangle_provenance_round_trip() -> None:
    text = """
[games.c]
form = "continuous"
players = ["x", "y", "z"]
fatigue = [1, 1, 2]
reactions = [[0, 0.5, 0], [0.5, 0, 0], [0, 0, 0]]
grievances = [1, 0, "1/3"]
provenance = ["by hand"]

[games.t]
form = "triangle"
players = ["A", "B", "C"]
signs = { "B, A" = 1, "A, C" = -1, "C, B" = -1 }
provenance = ["2018"]
"""
    s = parse_scenario(text)
    assert s.games["c"].provenance == ("by hand",)
    assert parse_scenario(write_scenario(s)) == s


def test_raw_tables_are_kept() -> None:
    text = """
[meta]
id = "r"

[[recommendations]]
id = "R1"
weight = 0.5
transforms = [{ kind = "shift", parameter = "S", by = 1.5 }]

[[recommendations]]
id = "R2"
[recommendations.criterion]
kind = "unique"

[transform_library.mediator]
kind = "add-player"
"""
    s = parse_scenario(text, path="r.toml")
    assert [r.key for r in s.recommendations] == ["recommendations[0]", "recommendations[1]"]
    assert s.recommendations[0].line == 5
    assert s.recommendations[1].data["criterion"] == {"kind": "unique"}
    assert s.extra["transform_library"]["mediator"]["kind"] == "add-player"
    again = parse_scenario(write_scenario(s))
    assert again == s
    assert isinstance(s.recommendations[0], RawTable)


def test_scenario_value_semantics() -> None:
    s = load_scenario("crisis-chicken")
    assert s.game() is s.games["game"]
    with pytest.raises(KeyError):
        s.game("nope")
    with pytest.raises(KeyError):
        load_scenario("dual-freeze").game()
    with pytest.raises(TypeError):
        s.games["x"] = s.game()  # type: ignore[index]
    other = Scenario(meta=ScenarioMeta(id="other"), parameters=s.parameters, games=s.games)
    assert other != s and s != "text"
    assert repr(s).startswith("Scenario('crisis-chicken'")
    assert hash(s) == hash(parse_scenario(write_scenario(s)))


def test_write_strings_and_keys_escape() -> None:
    g = NormalFormGame(
        [[[1, 2]]], players=['He said "hi"', "tab\tname"], strategies=[["a.b"], ["\x7f"]]
    )
    s = Scenario(
        meta=ScenarioMeta(id="e", notes="line\nbreak \\ back"),
        parameters=Parameters([Parameter("z", Fraction(1, 3), note="ünïcode")]),
        games={"weird name": g},
    )
    assert parse_scenario(write_scenario(s)) == s


def test_commas_in_labels_use_the_matrix() -> None:
    g = NormalFormGame([[[1, 2]], [[3, 4]]], strategies=[["a, b", "c"], ["d"]])
    s = scenario_from_game(g)
    assert parse_scenario(write_scenario(s)) == s


def test_stage_not_in_the_scenario_is_written_inline() -> None:
    pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    s = Scenario(games={"r": RepeatedGame(pd, delta="0.9", lapse="0.1")})
    text = write_scenario(s)
    assert "[games.r.stage]" in text
    assert parse_scenario(text) == s


def test_cannot_write_unsupported_values() -> None:
    s = Scenario(extra={"x": {1, 2}})
    with pytest.raises(ValueError, match="cannot write"):
        write_scenario(s)


# -- Gambit conversion --------------------------------------------------------------------------
@pytest.mark.skipif(not GAMBIT_FILES, reason="shared reference folder not present")
@pytest.mark.parametrize("path", GAMBIT_FILES, ids=lambda p: p.name)
def test_gambit_files_convert(path: Path) -> None:
    game = read_game(path)
    s = scenario_from_game(game, id=path.stem)
    back = parse_scenario(write_scenario(s))
    assert back.game() == game
    # ... and the converted game writes back to the same Gambit payload (comments aside).
    again = back.game()
    if isinstance(game, NormalFormGame):
        # ... and writes back to the same Gambit payoffs (the comment moves to meta.notes).
        assert isinstance(again, NormalFormGame)
        assert write_nfg(again, comment="") == write_nfg(game, comment="")
        assert s.meta.notes == next(
            (p[9:] for p in game.provenance if p.startswith("comment: ")), ""
        )
    else:
        # Unlabelled information sets come back with generated labels ("Player 1:1"), which
        # the game compares equal to; the Gambit text then shows the labels.
        assert isinstance(again, ExtensiveFormGame)
        assert write_efg(read_game_text(write_efg(again))) == write_efg(again)


def read_game_text(text: str) -> ExtensiveFormGame:
    from equishift.games.formats import parse_efg

    return parse_efg(text)


@settings(max_examples=40, deadline=None)
@given(int_games(min_players=1, max_players=3, max_strategies=3))
def test_random_games_round_trip(game: NormalFormGame) -> None:
    s = scenario_from_game(game, id="random")
    assert parse_scenario(write_scenario(s)) == s


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30), st.fractions(max_denominator=1000))
def test_random_texts_and_numbers_round_trip(text: str, value: Fraction) -> None:
    s = Scenario(
        meta=ScenarioMeta(id="t", title=text),
        parameters=Parameters([Parameter("v", value, note=text)]),
    )
    assert parse_scenario(write_scenario(s)) == s


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_scenario(tmp_path / "absent.toml")


RAW = st.recursive(
    st.one_of(
        st.text(max_size=8),
        st.integers(-(2**63), 2**63 - 1),
        st.decimals(allow_nan=False, allow_infinity=False, places=3),
        st.booleans(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=6), inner, max_size=3),
        st.lists(st.dictionaries(st.text(max_size=6), inner, max_size=3), min_size=1, max_size=2),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=6), RAW, max_size=3),
    st.lists(st.dictionaries(st.text(max_size=6), RAW, max_size=3), max_size=2),
)
def test_raw_data_round_trips(extra: dict[str, object], recs: list[dict[str, object]]) -> None:
    s = Scenario(
        extra={"raw": extra},
        recommendations=tuple(RawTable(f"recommendations[{k}]", r) for k, r in enumerate(recs)),
    )
    assert parse_scenario(write_scenario(s)) == s


# -- signalling form (MODELS.md R6) ----------------------------------------------------------------
def test_russia_japan_cbm_matches_models() -> None:
    # MODELS.md R6: prior 0.4 below p* = 0.5; with the free message only, pooling and no
    # cooperation (Kydd 2000).
    from equishift.games.signalling import SignallingGame
    from equishift.solver.signalling import signalling_equilibria

    g = load_scenario("russia-japan-cbm").games["cbm"]
    assert isinstance(g, SignallingGame)
    assert g.prior == {"trustworthy": Fraction(2, 5), "untrustworthy": Fraction(3, 5)}
    assert g.payoff("untrustworthy", "none", "Cooperate") == (9, 0)
    eqs, complete = signalling_equilibria(g, mixed=False)
    assert complete and [e.kind for e in eqs] == ["pooling"]
    assert eqs[0].receiver["none"] == {"Defect": 1}


def test_signalling_form_round_trips_expressions_and_numbers() -> None:
    text = """
[parameters]
mu = { value = 0.25, range = [0, 1] }

[games.s]
form = "signalling"
title = "beer or quiche"
sender = "Row"
receiver = "Col"
types = { strong = "1 - mu", weak = "mu" }
messages = ["beer", "quiche"]
actions = ["Duel", "Not"]

[games.s.payoffs]
"strong, beer, Duel" = [1, 0]
"strong, beer, Not" = [3, 1]
"strong, quiche, Duel" = [0, 0]
"strong, quiche, Not" = [2, 1]
"weak, beer, Duel" = [0, 1]
"weak, beer, Not" = [2, 0]
"weak, quiche, Duel" = [1, 1]
"weak, quiche, Not" = ["3 * mu + 9/4", 0]
"""
    s = parse_scenario(text)
    g = s.games["s"]
    assert g.sender == "Row" and g.prior["strong"] == Fraction(3, 4)  # type: ignore[union-attr]
    assert g.payoff("weak", "quiche", "Not") == (Fraction(3), Fraction(0))  # type: ignore[union-attr]
    out = write_scenario(s)
    assert '"1 - mu"' in out and '"3 * mu + 9/4"' in out
    assert parse_scenario(out) == s
    other = parse_scenario(text.replace("[2, 0]", "[2, 1]"))
    assert other != s


# -- Bayesian form (MODELS.md R6) ------------------------------------------------------------------
KYDD = """
[parameters]
mu = { value = 0.4, range = [0, 1], note = "prior that Russia is trustworthy" }

[games.kydd]
form = "bayesian"
title = "Kydd security dilemma"
players = ["Russia", "Japan"]
types.Russia = ["trustworthy", "untrustworthy"]
types.Japan = ["only"]
actions.Russia = ["Cooperate", "Defect"]
actions.Japan = ["Cooperate", "Defect"]
prior."trustworthy, only" = "mu"
prior."untrustworthy, only" = "1 - mu"
payoffs."trustworthy, only"."Cooperate, Cooperate" = [5, 5]
payoffs."trustworthy, only"."Cooperate, Defect" = [0, 4]
payoffs."trustworthy, only"."Defect, Cooperate" = [4, 0]
payoffs."trustworthy, only"."Defect, Defect" = [1, 1]
payoffs."untrustworthy, only"."Cooperate, Cooperate" = [5, 5]
payoffs."untrustworthy, only"."Cooperate, Defect" = [0, 4]
payoffs."untrustworthy, only"."Defect, Cooperate" = ["5 + 2 * mu", 0]
payoffs."untrustworthy, only"."Defect, Defect" = [1, 1]
"""


def kydd_in_code(mu: Fraction) -> object:
    from equishift.games.bayesian import BayesianGame

    stag = {("Cooperate", "Cooperate"): (5, 5), ("Cooperate", "Defect"): (0, 4)}
    stag |= {("Defect", "Cooperate"): (4, 0), ("Defect", "Defect"): (1, 1)}
    pd = stag | {("Defect", "Cooperate"): (5 + 2 * mu, 0)}
    return BayesianGame(
        players=["Russia", "Japan"],
        types=[["trustworthy", "untrustworthy"], ["only"]],
        actions=[["Cooperate", "Defect"]] * 2,
        prior={("trustworthy", "only"): mu, ("untrustworthy", "only"): 1 - mu},
        payoffs=lambda t, a: (stag if t[0] == "trustworthy" else pd)[a],
        title="Kydd security dilemma",
    )


def test_bayesian_form_equals_the_game_built_in_code() -> None:
    from equishift.games.bayesian import BayesianGame
    from equishift.solver.bayesian import pure_bayesian_equilibria

    s = parse_scenario(KYDD)
    g = s.games["kydd"]
    assert isinstance(g, BayesianGame)
    code = kydd_in_code(Fraction(2, 5))
    assert isinstance(code, BayesianGame)
    assert Scenario(parameters=s.parameters, games={"kydd": code}) == s
    assert g.marginal("Russia") == {"trustworthy": Fraction(2, 5), "untrustworthy": Fraction(3, 5)}
    assert g.payoff(("untrustworthy", "only"), ("Defect", "Cooperate")) == (Fraction(29, 5), 0)
    found = [eq.describe() for eq in pure_bayesian_equilibria(g)]
    assert found == [eq.describe() for eq in pure_bayesian_equilibria(code)]
    # The untrustworthy type always defects, so at mu = 2/5 < 1/2 Japan defects, and so does
    # the trustworthy type: only mutual defection survives.
    assert found == ["Russia: trustworthy→Defect, untrustworthy→Defect; Japan: only→Defect"]
    other = kydd_in_code(Fraction(1, 2))
    assert Scenario(parameters=s.parameters, games={"kydd": other}) != s


def test_bayesian_form_round_trips() -> None:
    from equishift.games.bayesian import BayesianGame
    from equishift.games.errors import GameError

    s = parse_scenario(KYDD)
    out = write_scenario(s)
    assert 'form = "bayesian"' in out
    assert '"1 - mu"' in out and '"5 + 2 * mu"' in out
    assert parse_scenario(out) == s
    assert parse_scenario(KYDD.replace("[1, 1]", "[1, 2]", 1)) != s
    # A game made in code, with floats, a zero-probability profile and provenance.
    g = BayesianGame(
        players=["A", "B"],
        types=[["x", "y"], ["u", "v"]],
        actions=[["L", "R"], ["L"]],
        prior={("x", "u"): "1/3", ("y", "v"): "2/3"},
        payoffs=lambda t, a: (0.5 if a[0] == "L" else 1, 1 / 3 if t[1] == "u" else 2),
        title="made in code",
        provenance=("a test",),
    )
    made = scenario_from_game(g, id="made")
    text = write_scenario(made)
    assert 'arithmetic = "float"' in text
    back = parse_scenario(text)
    assert back == made
    assert back.games["game"].provenance == ("a test",)  # type: ignore[union-attr]
    comma = BayesianGame(
        players=["A"],
        types=[["x, y"]],
        actions=[["L"]],
        prior={("x, y",): 1},
        payoffs=lambda t, a: (0,),
    )
    with pytest.raises(GameError, match="commas"):
        write_scenario(scenario_from_game(comma))


# -- ordinal games: payoffs given as ranks only ----------------------------------------------
ORDINAL = """
[meta]
id = "ordinal"

[games.pd]
form = "normal"
ordinal = true
players = ["Row", "Column"]
strategies = { Row = ["C", "D"], Column = ["C", "D"] }

[games.pd.payoffs]
"C, C" = [3, 3]
"C, D" = [-1, 4]
"D, C" = [4, -1]
"D, D" = [0, 3]

[games.deal]
form = "repeated"
stage = "pd"
delta = 0.9
"""


def test_ordinal_game_reads_as_its_ranks_and_round_trips() -> None:
    s = parse_scenario(ORDINAL, path="o.toml")
    assert s.ordinal == frozenset({"pd"})
    pd = s.games["pd"]
    assert isinstance(pd, NormalFormGame) and pd.is_exact
    assert pd.payoff(("C", "D")) == (-1, 4)  # any integers; ties (3 = 3 for Column) allowed
    deal = s.games["deal"]
    assert isinstance(deal, RepeatedGame) and deal.stage == pd
    text = write_scenario(s)
    assert '[games.pd]\nform = "normal"\nordinal = true\n' in text
    again = parse_scenario(text)
    assert again == s and again.ordinal == s.ordinal
    assert write_scenario(again) == text


def test_ordinal_false_is_a_plain_game_and_ordinal_counts_in_equality() -> None:
    plain = parse_scenario(ORDINAL.replace("ordinal = true", "ordinal = false"))
    assert plain.ordinal == frozenset()
    assert plain == parse_scenario(ORDINAL.replace("ordinal = true\n", ""))
    ranks = parse_scenario(ORDINAL)
    assert plain != ranks
    assert Scenario(games=ranks.games, ordinal={"pd"}) != Scenario(games=ranks.games)
    assert Scenario(games=ranks.games, ordinal=["pd"]).ordinal == frozenset({"pd"})


def test_scenario_checks_its_ordinal_names() -> None:
    from equishift.games.errors import GameError

    s = parse_scenario(ORDINAL)
    with pytest.raises(GameError, match=r"'nope'.*no such game"):
        Scenario(games=s.games, ordinal={"nope"})
    with pytest.raises(GameError, match=r"'deal'.*RepeatedGame"):
        Scenario(games=s.games, ordinal={"deal"})
    halves = NormalFormGame([[["1/2", 1]]])
    with pytest.raises(GameError, match="not all integers"):
        Scenario(games={"g": halves}, ordinal={"g"})
    with pytest.raises(GameError, match="integer payoffs"):
        Scenario(games={"g": NormalFormGame([[[1.0, 2.0]]])}, ordinal={"g"})


def test_bundled_ordinal_example_loads_solves_and_round_trips() -> None:
    s = load_scenario("ordinal-engagement")
    assert s.meta.id == "ordinal-engagement" and s.meta.title and s.meta.source
    assert s.ordinal == frozenset({"game"})
    game = s.games["game"]
    assert isinstance(game, NormalFormGame)
    assert len(solve(game).equilibria) == 3  # a Stag Hunt: two pure, one mixed
    again = parse_scenario(write_scenario(s))
    assert again == s
    assert write_scenario(again) == write_scenario(s)


def test_replacement_games_rebuild_the_games_built_on_them() -> None:
    from equishift.games.errors import GameError

    s = parse_scenario(ORDINAL)
    pd = s.games["pd"]
    assert isinstance(pd, NormalFormGame)
    cardinal = pd.with_payoffs([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    t = parse_scenario(ORDINAL, games={"pd": cardinal})
    assert t.games["pd"] == cardinal and t.ordinal == frozenset()
    deal = t.games["deal"]
    assert isinstance(deal, RepeatedGame) and deal.stage == cardinal
    with pytest.raises(GameError, match="no game 'nope' in the file"):
        parse_scenario(ORDINAL, games={"nope": cardinal})
    other = NormalFormGame([[[1, 1], [0, 0]], [[0, 0], [1, 1]]])
    with pytest.raises(GameError, match="players and strategies"):
        parse_scenario(ORDINAL, games={"pd": other})
    with pytest.raises(GameError, match="must be a NormalFormGame"):
        parse_scenario(ORDINAL, games={"pd": deal})  # type: ignore[dict-item]
    with pytest.raises(GameError, match="players and strategies"):
        parse_scenario(ORDINAL, games={"deal": cardinal})
