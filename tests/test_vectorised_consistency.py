"""The vectorised path and the exact path agree when a game of the scenario cannot be built.

At a sample where any game of the scenario file cannot be built (a field outside its allowed
values, an expression that divides by zero, ...), the exact path reads the file with the
sampled values, fails with an :class:`~equishift.games.errors.EquishiftError` and reports the
sample as undetermined. A vectorised rule must give the same verdict there, whichever game
fails: another game of the file, or the one the recommendation changes.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.recommendations.brief import SCENARIO_OF
from equishift.recommendations.evaluate import scenario_recommendations
from equishift.recommendations.robustness import (
    ScenarioBuilder,
    _verdict,
    robustness,
    verdicts,
)
from equishift.recommendations.vectorised import Context, compile_verdict, scenario_guard

_HEAD = """
[meta]
id = "consistency"

[parameters]
T = {{ value = 5, range = [4, 8] }}
R = {{ value = 3, range = [2, 4] }}
delta = {{ value = "3/5", range = [0, "99/100"] }}
x = {{ value = "{x}", range = [{low}, {high}] }}

[games.pd]
form = "normal"
players = ["A", "B"]
strategies = {{ A = ["C", "D"], B = ["C", "D"] }}
payoffs."C, C" = ["R", "R"]
payoffs."C, D" = [0, "T"]
payoffs."D, C" = ["T", 0]
payoffs."D, D" = [1, 1]

[games.fixed]
form = "normal"
players = ["A", "B"]
strategies = {{ A = ["C", "D"], B = ["C", "D"] }}
payoffs."C, C" = [3, 3]
payoffs."C, D" = [0, 4]
payoffs."D, C" = [4, 0]
payoffs."D, D" = [1, 1]
"""

_DF = """
[[recommendations]]
id = "DF"
title = "t"
quote = "q"
section = "s"
targets = ["pd"]
transforms = [{ op = "make_repeated", delta = "3/5" }]
success = { kind = "threshold_below", profile = ["C", "C"], threshold = "delta_star", \
value_parameter = "delta" }
"""

_CONSTANT = """
[[recommendations]]
id = "K"
title = "t"
quote = "q"
section = "s"
targets = ["fixed"]
transforms = [{ op = "shift_payoffs", profiles = [["D", "C"]], deltas = [[-2, 0]] }]
success = { kind = "target_is_equilibrium", profile = ["C", "C"] }
"""

SIDE_GAMES: dict[str, str] = {
    # a discount factor that reaches 1 (RepeatedGame wants [0, 1))
    "repeated-delta": """
[games.side]
form = "repeated"
stage = "fixed"
delta = "x + 1/4"
""",
    # a detection probability that leaves [0, 1]
    "repeated-detection": """
[games.side]
form = "repeated"
stage = "fixed"
delta = "1/2"
detection = "2*x"
""",
    # a fatigue that stops being positive
    "continuous-fatigue": """
[games.side]
form = "continuous"
players = ["A", "B"]
fatigue = ["x - 1/4", 1]
grievances = [0, 0]
reactions = [[0, 1], [1, 0]]
""",
    # a probability of winning that leaves [0, 1]
    "bargaining-p": """
[games.side]
form = "bargaining"
p = "2*x"
proposer_cost = "1/10"
max_receiver_cost = 1
""",
    # a stage game whose payoff divides by zero at x = 1/2 (read when the stage is built)
    "stage-division": """
[games.ratio]
form = "normal"
players = ["A", "B"]
strategies = { A = ["C", "D"], B = ["C", "D"] }
payoffs."C, C" = ["1/(2*x - 1)", 1]
payoffs."C, D" = [0, 0]
payoffs."D, C" = [0, 0]
payoffs."D, D" = [1, 1]

[games.side]
form = "repeated"
stage = "ratio"
delta = "1/2"
""",
    # chance probabilities that leave [0, 1] (they still sum to 1)
    "tree-chance": """
[games.side]
form = "extensive"
players = ["A"]
tree.chance = { L = "2*x - 1/2", H = "3/2 - 2*x" }
tree.actions.L = { payoffs = [0] }
tree.actions.H = { payoffs = [1] }
""",
    # a prior that leaves [0, 1]
    "signalling-prior": """
[games.side]
form = "signalling"
types = { weak = "2*x", strong = "1 - 2*x" }
messages = ["m"]
actions = ["a"]
payoffs."weak, m, a" = [0, 0]
payoffs."strong, m, a" = [1, 1]
""",
}


def _scenario(
    tmp_path: Path,
    side: str,
    recommendation: str,
    low: str = "0",
    high: str = "1",
    x: str = "3/8",
) -> Path:
    """Write the family's file: the head, side game ``side`` and ``recommendation``.

    ``low``, ``high`` and ``x`` are TOML values of x's range and its default.
    """
    text = _HEAD.format(x=x, low=low, high=high) + SIDE_GAMES[side] + recommendation
    path = tmp_path / f"{side}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _counts(path: Path, rec_id: str, n: int, seed: int, exact: bool) -> tuple[int, int, int]:
    """(works, does not work, undetermined) of a robustness run, vectorised or exact."""
    r = robustness(path, rec_id, n=n, seed=seed, method="random", flips=False, exact=exact)
    return (r.works, r.fails, r.undetermined)


@pytest.mark.parametrize("side", sorted(SIDE_GAMES))
@pytest.mark.parametrize(("recommendation", "rec_id"), [(_DF, "DF"), (_CONSTANT, "K")])
def test_other_game_failing_is_undetermined_on_both_paths(
    tmp_path: Path, side: str, recommendation: str, rec_id: str
) -> None:
    """Another game of the file fails on part of x's range: the same counts on both paths."""
    path = _scenario(tmp_path, side, recommendation)
    fast = _counts(path, rec_id, 64, 3, exact=False)
    slow = _counts(path, rec_id, 64, 3, exact=True)
    assert fast == slow
    if side != "stage-division":
        assert slow[2] > 0  # the side game fails somewhere in the range


def test_other_game_valid_over_the_range_keeps_the_rule(tmp_path: Path) -> None:
    """When every other game is proved valid over the ranges, the rule decides every sample."""
    path = _scenario(tmp_path, "repeated-delta", _DF, low="0", high='"1/2"')
    r = robustness(path, "DF", n=64, seed=1, method="random", flips=False)
    assert r.rule == "repeated-threshold"
    assert r.exact_evaluations == 0 and r.undetermined == 0


def test_reason_names_the_failing_game(tmp_path: Path) -> None:
    """Samples the vectorised path calls undetermined carry the exact path's reason."""
    path = _scenario(tmp_path, "repeated-delta", _DF)
    r = robustness(path, "DF", n=32, seed=2, method="random", flips=False)
    assert r.rule == "repeated-threshold" and r.undetermined > 0
    assert any("games.side" in reason and "discount factor" in reason for reason in r.reasons)


@pytest.mark.parametrize("rec_id", sorted(SCENARIO_OF))
def test_bundled_files_need_no_checks(rec_id: str) -> None:
    """Every bundled game is valid over the ranges (proved once): no per-sample cost."""
    builder = ScenarioBuilder(SCENARIO_OF[rec_id])
    recs = {r.id: r for r in scenario_recommendations(builder.default)}
    assert scenario_guard(Context(builder.default, {}, recs[rec_id])) is None


def test_unknown_field_leaves_it_to_the_exact_path(tmp_path: Path) -> None:
    """A value whose validity cannot be checked (a reaction on the diagonal): no rule."""
    side = SIDE_GAMES["continuous-fatigue"].replace("[[0, 1], [1, 0]]", '[["x - 3/8", 1], [1, 0]]')
    path = tmp_path / "diagonal.toml"
    path.write_text(_HEAD.format(x="3/8", low=0, high=1) + side + _DF, encoding="utf-8")
    builder = ScenarioBuilder(path)
    assert compile_verdict(builder, "DF") is None


@pytest.mark.parametrize("side", sorted(SIDE_GAMES))
def test_points_on_the_edge(tmp_path: Path, side: str) -> None:
    """Values exactly where a game stops being valid (a division by zero, a bound)."""
    path = _scenario(tmp_path, side, _DF)
    builder = ScenarioBuilder(path)
    edges = ["0", "1/8", "1/4", "3/8", "1/2", "5/8", "3/4", "7/8", "1"]
    points = [{"x": e} for e in edges] + [{"x": e, "delta": "1/2"} for e in edges]
    expected = [_verdict(builder, "DF", p)[0] for p in points]
    assert verdicts(builder, "DF", points) == expected


def test_target_payoff_dividing_by_zero(tmp_path: Path) -> None:
    """The target game itself cannot be built at a sample: undetermined on both paths."""
    text = _HEAD.format(x="3/8", low="0", high="1") + _DF.replace(
        'targets = ["pd"]', 'targets = ["ratio"]'
    )
    text = text.replace(
        "[[recommendations]]", SIDE_GAMES["stage-division"] + "\n[[recommendations]]"
    )
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    builder = ScenarioBuilder(path)
    points = [{"x": e} for e in ("0", "1/4", "1/2", "3/4", "1")]
    expected = [_verdict(builder, "DF", p)[0] for p in points]
    assert expected[2] == "undetermined"
    assert verdicts(builder, "DF", points) == expected


_SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(
    side=st.sampled_from(sorted(SIDE_GAMES)),
    low=st.fractions(0, Fraction(3, 8), max_denominator=16),
    high=st.fractions(Fraction(3, 8), 1, max_denominator=16),
    seed=st.integers(0, 2**16),
    constant=st.booleans(),
)
def test_property_same_codes(
    tmp_path: Path, side: str, low: Fraction, high: Fraction, seed: int, constant: bool
) -> None:
    """Random ranges of x over the family: identical per-sample verdicts on both paths."""
    recommendation, rec_id = (_CONSTANT, "K") if constant else (_DF, "DF")
    path = _scenario(tmp_path, side, recommendation, f'"{low}"', f'"{high}"')
    builder = ScenarioBuilder(path)
    assert compile_verdict(builder, rec_id) is not None
    k = 8
    grid = [low + (high - low) * Fraction((seed + 7 * j) % (k + 1), k) for j in range(k)]
    points = [{"x": v, "delta": Fraction((seed >> j) % 100, 100)} for j, v in enumerate(grid)]
    expected = [_verdict(builder, rec_id, p)[0] for p in points]
    assert verdicts(builder, rec_id, points) == expected
    assert _counts(path, rec_id, 16, seed, exact=False) == _counts(path, rec_id, 16, seed, True)


_FIELDS: dict[str, str] = {
    "repeated-delta": '[games.side]\nform = "repeated"\nstage = "fixed"\ndelta = "{e}"\n',
    "repeated-lapse": (
        '[games.side]\nform = "repeated"\nstage = "fixed"\ndelta = "1/2"\nlapse = "{e}"\n'
    ),
    "repeated-rate": (
        '[games.side]\nform = "repeated"\nstage = "fixed"\nrate = "{e}"\ncontact_interval = 1\n'
    ),
    "linked-breakdown": (
        '[games.side]\nform = "linked"\ngames = ["fixed", "pd"]\nissues = ["one", "two"]\n'
        'delta = "1/2"\nbreakdown = ["{e}", 0]\n'
    ),
    "continuous-fatigue": (
        '[games.side]\nform = "continuous"\nplayers = ["A", "B"]\nfatigue = ["{e}", 1]\n'
        "grievances = [0, 0]\nreactions = [[0, 1], [1, 0]]\n"
    ),
    "bargaining-cost": (
        '[games.side]\nform = "bargaining"\np = "1/2"\nproposer_cost = "{e}"\n'
        "max_receiver_cost = 1\n"
    ),
    "stage-payoff": (
        '[games.ratio]\nform = "normal"\nplayers = ["A", "B"]\n'
        'strategies = {{ A = ["C", "D"], B = ["C", "D"] }}\npayoffs."C, C" = ["{e}", 1]\n'
        'payoffs."C, D" = [0, 0]\npayoffs."D, C" = [0, 0]\npayoffs."D, D" = [1, 1]\n\n'
        '[games.side]\nform = "repeated"\nstage = "ratio"\ndelta = "1/2"\n'
    ),
}

_small = st.fractions(-2, 2, max_denominator=4)


@st.composite
def _expressions(draw: st.DrawFn) -> tuple[str, list[Fraction]]:
    """An expression of x (a line, a parabola or a hyperbola) and values of x worth testing."""
    a, b, c = draw(_small), draw(_small), draw(st.fractions(0, 1, max_denominator=8))
    kind = draw(st.sampled_from(["line", "square", "ratio"]))
    text = {
        "line": f"({a})*x + ({b})",
        "square": f"({a})*(x - ({c}))^2 + ({b})",
        "ratio": f"({a})/(x - ({c})) + ({b})",
    }[kind]
    # where the expression meets the ends 0 and 1 of the fields' limits, and the pole
    special = [c]
    for end in (Fraction(0), Fraction(1)):
        if kind == "line" and a != 0:
            special.append((end - b) / a)
        if kind == "ratio" and end != b:
            special.append(c + a / (end - b))
    return text, [v for v in special if 0 <= v <= 1]


@_SETTINGS
@given(
    field=st.sampled_from(sorted(_FIELDS)),
    found=_expressions(),
    seed=st.integers(0, 2**16),
)
def test_property_random_fields(
    tmp_path: Path, field: str, found: tuple[str, list[Fraction]], seed: int
) -> None:
    """A random expression of x in a random field of another game: the same verdicts."""
    from hypothesis import assume

    from equishift.games.errors import EquishiftError

    text, special = found
    path = tmp_path / "random.toml"
    head = _HEAD.format(x="3/8", low=0, high=1)
    path.write_text(head + _FIELDS[field].format(e=text) + _DF, encoding="utf-8")
    try:
        builder = ScenarioBuilder(path)
    except EquishiftError:
        assume(False)  # the file is not valid at its own defaults
        return
    points = [{"x": v} for v in special] + [
        {"x": Fraction((seed + 5 * j) % 17, 16)} for j in range(6)
    ]
    expected = [_verdict(builder, "DF", p)[0] for p in points]
    assert verdicts(builder, "DF", points) == expected
    assert _counts(path, "DF", 16, seed, exact=False) == _counts(path, "DF", 16, seed, True)
