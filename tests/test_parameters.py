"""Parameters, the safe expression parser and parametric games."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame
from equishift.games.parameters import (
    Distribution,
    ExpressionError,
    Parameter,
    Parameters,
    UnknownParameterError,
    format_expression,
    parse_expression,
    symbol,
)
from equishift.games.parametric import ParametricGame

NAMES = ("a", "b", "T_D")
a, b, t_d = (symbol(n) for n in NAMES)


# -- Parameter and Parameters ---------------------------------------------------------------
def test_parameter_values_are_exact_for_exact_input() -> None:
    assert Parameter("x", "0.1").value == Fraction(1, 10)
    assert Parameter("x", 2).value == Fraction(2)
    assert Parameter("x", "2/3").value == Fraction(2, 3)
    assert Parameter("x", 0.5).value == 0.5
    assert not Parameter("x", 0.5).is_exact


def test_parameter_metadata_and_describe() -> None:
    p = Parameter(
        "T_D",
        5,
        range=(3, 8),
        distribution=("triangular", 3, 5, 8),
        unit="utility",
        note="a test is a permanent capability gain",
        source="MODELS.md DF",
    )
    assert p.range == (Fraction(3), Fraction(8))
    assert p.distribution == Distribution("triangular", (3, 5, 8))
    assert p.symbol == symbol("T_D")
    assert p.describe() == (
        "T_D = 5 utility [3, 8] ~ triangular(3, 5, 8) "
        "(a test is a permanent capability gain; MODELS.md DF)"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "1x", "value": 0}, "not valid"),
        ({"name": "a b", "value": 0}, "not valid"),
        ({"name": "exp", "value": 0}, "reserved"),
        ({"name": "lambda", "value": 0}, "reserved"),
        ({"name": "x", "value": 9, "range": (0, 1)}, "outside its range"),
        ({"name": "x", "value": 0, "range": (1, 0)}, "expected low <= high"),
        ({"name": "x", "value": 0, "range": (0,)}, "must be a pair"),
        ({"name": "x", "value": "abc"}, "not a number"),
        ({"name": "x", "value": True}, "boolean"),
        ({"name": "x", "value": float("nan")}, "NaN"),
        (
            {"name": "x", "value": 0, "range": (0, 1), "distribution": ("uniform", 0, 2)},
            "reaches outside its range",
        ),
        ({"name": "x", "value": 0, "distribution": ("beta", 1, 2)}, "unknown distribution"),
        ({"name": "x", "value": 0, "distribution": ("uniform", 1)}, "takes 2 arguments"),
        ({"name": "x", "value": 0, "distribution": ("uniform", 2, 1)}, "low < high"),
        ({"name": "x", "value": 0, "distribution": ("triangular", 0, 3, 2)}, "mode"),
        ({"name": "x", "value": 0, "distribution": "uniform"}, "must be a Distribution"),
        ({"name": "x", "value": 0, "unit": 3}, "must be text"),
    ],
)
def test_parameter_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(GameError, match=message):
        Parameter(**kwargs)


def test_parameter_is_frozen_and_with_value_checks_range() -> None:
    p = Parameter("x", 1, range=(0, 2))
    with pytest.raises(AttributeError):
        p.value = Fraction(2)  # type: ignore[misc]
    assert p.with_value(2).value == 2
    with pytest.raises(GameError, match="outside its range"):
        p.with_value(3)


def test_parameters_collection() -> None:
    ps = Parameters(
        {"R": 3, "T": {"value": "4.5", "range": [3, 6], "unit": "u"}, "P": Parameter("P", 1)}
    )
    assert ps.names == ("R", "T", "P")
    assert len(ps) == 3 and "T" in ps and "X" not in ps
    assert ps.defaults() == {"R": 3, "T": Fraction(9, 2), "P": 1}
    assert ps.symbols() == {"R": symbol("R"), "T": symbol("T"), "P": symbol("P")}
    assert ps.get("X") is None
    with pytest.raises(UnknownParameterError, match="expected one of 'R', 'T', 'P'"):
        ps["X"]
    with pytest.raises(KeyError):
        ps["X"]
    assert ps.with_values(T=5)["T"].value == 5
    assert ps["T"].value == Fraction(9, 2)  # unchanged: immutable
    with pytest.raises(GameError, match="outside its range"):
        ps.with_values(T=7)
    with pytest.raises(GameError, match="unknown parameter"):
        ps.with_values(X=1)
    assert ps.resolve({"T": 7}) == {"R": 3, "T": 7, "P": 1}  # ranges are not limits here
    assert Parameters(ps) == ps and hash(Parameters(ps)) == hash(ps)
    assert "T=9/2" in repr(ps)
    assert ps.merged([Parameter("S", 0)]).names == ("R", "T", "P", "S")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([Parameter("x", 1), Parameter("x", 2)], "duplicate parameter 'x'"),
        ({"x": {"value": 1, "colour": "red"}}, "unknown field"),
        ({"x": {"range": [0, 1]}}, "has no value"),
        ({"x": Parameter("y", 1)}, "stored under 'x' is named 'y'"),
        (["x"], "expected a Parameter"),
    ],
)
def test_parameters_validation(spec: Any, message: str) -> None:
    with pytest.raises(GameError, match=message):
        Parameters(spec)


# -- the parser -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", sympy.Integer(1)),
        ("0.1", sympy.Rational(1, 10)),
        ("2.5e-3", sympy.Rational(1, 400)),
        (".5", sympy.Rational(1, 2)),
        ("1 + 2 * 3", sympy.Integer(7)),
        ("(1 + 2) * 3", sympy.Integer(9)),
        ("2 ^ 3 ^ 2", sympy.Integer(512)),
        ("2 ** 3 ** 2", sympy.Integer(512)),
        ("-2 ^ 2", sympy.Integer(-4)),
        ("2 ^ -1", sympy.Rational(1, 2)),
        ("8 / 4 / 2", sympy.Integer(1)),
        ("1 - 2 - 3", sympy.Integer(-4)),
        ("--3", sympy.Integer(3)),
        ("+a", a),
        ("a − b × 2 ÷ 4", a - b / 2),
        ("a·b", a * b),
        ("T_D - 0.25*a", t_d - a / 4),
        ("exp(a) + log(b) + sqrt(4)", sympy.exp(a) + sympy.log(b) + 2),
        ("min(a, b, 1) - max(a, 0) + abs(b)", sympy.Min(a, b, 1) - sympy.Max(a, 0) + sympy.Abs(b)),
        ("exp(0)", sympy.Integer(1)),
    ],
)
def test_parse_expression(text: str, expected: Any) -> None:
    assert parse_expression(text, NAMES) == expected


def test_parse_never_evaluates_python() -> None:
    for text in ("__import__('os')", "a.__class__", "[1]", "lambda: 1", "a; b", "'1'"):
        with pytest.raises(GameError):
            parse_expression(text, NAMES)
    # Names sympify would treat specially are plain parameters here.
    for name in ("E", "I", "pi", "S", "N", "oo"):
        assert parse_expression(name, [name]) == symbol(name)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R_D - R_X", "expression 'R_D - R_X': unknown parameter 'R_X' at column 7; expected one"),
        ("3 * (a + 1", "expected ')' at column 11 to close the '(' at column 5, found the end"),
        ("3 * (a + 1))", "unexpected ')' at column 12"),
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("a +", "unexpected the end of the expression at column 4"),
        ("a $ b", "unexpected character '$' at column 3"),
        ("a b", "unexpected 'b' at column 3; expected an operator"),
        ("foo(a)", "unknown function 'foo' at column 1; expected one of exp, log"),
        ("exp a", "expected '(' at column 5 after the function 'exp'"),
        ("exp(a, b)", "function 'exp' at column 1 takes 1 argument, got 2"),
        ("max(a, )", "unexpected ')' at column 8"),
        ("1 / 0", "division by zero at column 5"),
        ("1 / (a - a)", "division by zero at column 5"),
        ("0 ^ -1", "division by zero"),
        ("log(0)", "log(0) at column 1 is undefined"),
        ("sqrt(-1)", "not a real number"),
        ("sqrt(-a^2)", "not a real number"),
        ("9 ^ 9 ^ 9", "too large to compute exactly"),
        ("1e5000", "too large an exponent"),
        ("(" * 150 + "1" + ")" * 150, "nested too deeply"),
        ("-" * 150 + "1", "nested too deeply"),
    ],
)
def test_parse_errors_name_place_and_expectation(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, ["R_D", "a", "b"])
    assert message in str(info.value)
    assert info.value.expression == text
    assert isinstance(info.value, GameError)


def test_parse_error_columns() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("a + R_X", ["a"])
    assert info.value.column == 5
    assert "expected one of 'a'" in str(info.value)


def test_parse_rejects_bad_arguments() -> None:
    with pytest.raises(GameError, match="must be text"):
        parse_expression(3, [])  # type: ignore[arg-type]
    with pytest.raises(GameError, match="not valid"):
        parse_expression("1", ["no good"])


def test_format_expression_writes_floats_as_decimals() -> None:
    assert format_expression(sympy.Float(-0.1) * a) == "((-0.1) * a)"
    assert parse_expression(format_expression(sympy.Float(2.5)), []) == sympy.Rational(5, 2)


def test_format_expression_rejects_foreign_objects() -> None:
    with pytest.raises(GameError, match="cannot write"):
        format_expression(sympy.pi)


# -- property tests -------------------------------------------------------------------------
_ALPHABET = "0123456789.eE+-*/^(), abT_Dxplogqrtminsqrtexpabs\u2212\u00d7$"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(alphabet=_ALPHABET, max_size=30), st.text(max_size=20)))
def test_fuzz_only_game_errors(text: str) -> None:
    """Malformed input never raises anything but a GameError."""
    try:
        value = parse_expression(text, NAMES)
    except GameError:
        return
    assert isinstance(value, sympy.Expr)


Tree = tuple[Any, ...]

_leaves = st.one_of(
    st.integers(0, 50).map(lambda n: ("int", n)),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False).map(
        lambda d: ("dec", d)
    ),
    st.sampled_from(NAMES).map(lambda n: ("name", n)),
)


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.tuples(st.just("^"), children, st.integers(-3, 3)),
        st.tuples(st.just("neg"), children),
        st.tuples(st.sampled_from(["exp", "log", "sqrt", "abs"]), children),
        st.tuples(st.sampled_from(["min", "max"]), children, children),
    )


trees = st.recursive(_leaves, _extend, max_leaves=8)


def _text(tree: Tree, pow_op: str, space: str) -> str:
    kind = tree[0]
    if kind == "int":
        return str(tree[1])
    if kind == "dec":
        return str(tree[1])
    if kind == "name":
        return str(tree[1])
    if kind == "neg":
        return f"(-{_text(tree[1], pow_op, space)})"
    if kind == "^":
        return f"({_text(tree[1], pow_op, space)}{space}{pow_op}{space}({tree[2]}))"
    if kind in ("+", "-", "*", "/"):
        lhs, rhs = _text(tree[1], pow_op, space), _text(tree[2], pow_op, space)
        return f"({lhs}{space}{kind}{space}{rhs})"
    args = f",{space}".join(_text(t, pow_op, space) for t in tree[1:])
    return f"{kind}({args})"


def _build(tree: Tree) -> Any:
    kind = tree[0]
    if kind == "int":
        return sympy.Integer(tree[1])
    if kind == "dec":
        f = Fraction(Decimal(tree[1]))
        return sympy.Rational(f.numerator, f.denominator)
    if kind == "name":
        return symbol(tree[1])
    if kind == "neg":
        return -_build(tree[1])
    if kind == "^":
        return _build(tree[1]) ** sympy.Integer(tree[2])
    if kind in ("+", "-", "*", "/"):
        lhs, rhs = _build(tree[1]), _build(tree[2])
        if kind == "+":
            return lhs + rhs
        if kind == "-":
            return lhs - rhs
        return lhs * rhs if kind == "*" else lhs / rhs
    funcs = {
        "exp": sympy.exp,
        "log": sympy.log,
        "sqrt": sympy.sqrt,
        "abs": sympy.Abs,
        "min": sympy.Min,
        "max": sympy.Max,
    }
    return funcs[kind](*(_build(t) for t in tree[1:]))


def _valid(expr: Any) -> bool:
    bad = expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I)
    return not bad and expr.is_real is not False


def _valid_tree(tree: Tree) -> bool:
    """Every sub-expression is defined and real (the parser checks each one)."""
    if tree[0] in ("int", "dec", "name"):
        return True
    children = [t for t in tree[1:] if isinstance(t, tuple)]
    if not all(_valid_tree(t) for t in children):
        return False
    return _valid(_build(tree))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees, st.sampled_from(["^", "**"]), st.sampled_from(["", " "]))
def test_printed_expressions_reparse_equal(tree: Tree, pow_op: str, space: str) -> None:
    """Printing a random expression and reparsing it gives an equal sympy expression."""
    text = _text(tree, pow_op, space)
    if not _valid_tree(tree):
        with pytest.raises(GameError):
            parse_expression(text, NAMES)
        return
    direct = _build(tree)
    try:
        parsed = parse_expression(text, NAMES)
    except ExpressionError as exc:  # pragma: no cover - reported with the failing example
        raise AssertionError(f"{text!r} is valid ({direct}) but was rejected: {exc}") from None
    assert parsed == direct
    again = parse_expression(format_expression(parsed), NAMES)
    assert again == parsed or sympy.simplify(again - parsed) == 0


# -- ParametricGame -------------------------------------------------------------------------
def _chicken() -> ParametricGame:
    return ParametricGame.from_arrays(
        [["R", "S"], ["T", "P"]],
        [["R", "T"], ["S", "P"]],
        parameters={"R": 3, "S": 2, "T": 4, "P": -10},
        strategies=[["Restrain", "Escalate"]] * 2,
        players=["DPRK", "US"],
    )


def test_parametric_game_at_and_default() -> None:
    g = _chicken()
    base = NormalFormGame.from_arrays(
        [[3, 2], [4, -10]],
        [[3, 4], [2, -10]],
        strategies=[["Restrain", "Escalate"]] * 2,
        players=["DPRK", "US"],
    )
    assert g.default() == base
    assert g.default().is_exact
    assert g.at(T="4.5").payoff(("Escalate", "Restrain")) == (Fraction(9, 2), Fraction(2))
    assert g.at({"T": 5}, P=-9).payoff(("Escalate", "Escalate")) == (-9, -9)
    assert not g.at(T=4.5).is_exact
    assert "parameters: R=3, S=2, T=4, P=-10" in g.default().provenance
    with pytest.raises(GameError, match="unknown parameter 'Q'"):
        g.at(Q=1)
    assert g.symbols == {n: symbol(n) for n in ("R", "S", "T", "P")}
    assert g.used_parameters() == ("R", "S", "T", "P")


def test_parametric_game_is_immutable() -> None:
    g = _chicken()
    with pytest.raises(ValueError, match="read-only"):
        g.payoffs[0, 0, 0] = sympy.Integer(1)
    h = g.with_parameter("T", 6)
    assert g.parameters["T"].value == 4 and h.parameters["T"].value == 6
    assert h.default().payoff(("Escalate", "Restrain"))[0] == 6
    assert g == _chicken() and g != h and hash(g) == hash(_chicken())
    with pytest.raises(AttributeError):
        g.foo = 1  # type: ignore[attr-defined]


def test_parametric_game_from_mapping_mirrors_normal_form() -> None:
    mapping: dict[Any, Any] = {
        ("Freeze", "Suspend"): ("R_D", 3),
        ("Freeze", "Exercise"): (0, 4),
        ("Test", "Suspend"): ("T_D", 0),
        ("Test", "Exercise"): (1, 1),
    }
    g = ParametricGame.from_mapping(
        mapping, parameters={"R_D": 3, "T_D": 5}, players=["DPRK", "US-ROK"]
    )
    assert g.strategies == (("Freeze", "Test"), ("Suspend", "Exercise"))
    numeric = {
        k: tuple(3 if v == "R_D" else 5 if v == "T_D" else v for v in vs)
        for k, vs in mapping.items()
    }
    assert g.default() == NormalFormGame.from_mapping(numeric, players=["DPRK", "US-ROK"])
    with pytest.raises(GameError, match="no payoffs given for profile"):
        ParametricGame.from_mapping({"A, X": (1, 1)}, strategies=[["A", "B"], ["X"]])
    with pytest.raises(GameError, match="unknown strategy"):
        ParametricGame.from_mapping({"A, Z": (1, 1)}, strategies=[["A"], ["X"]])
    with pytest.raises(GameError, match="has 1 payoffs, expected 2"):
        ParametricGame.from_mapping({"A, X": (1,)})


def test_parametric_game_accepts_sympy_and_names_bad_cells() -> None:
    x = sympy.Symbol("x")  # no assumptions: replaced by the parameter's real symbol
    g = ParametricGame([[[x + 1, sympy.Rational(1, 2)]]], parameters={"x": 1})
    assert g.payoff(("1", "1")) == (symbol("x") + 1, sympy.Rational(1, 2))
    with pytest.raises(GameError, match="uses 'y', which is not a parameter"):
        ParametricGame([[[sympy.Symbol("y"), 0]]], parameters={"x": 1})
    with pytest.raises(GameError, match=r"payoff of Player 2 at \('1', '1'\): expression 'x \+'"):
        ParametricGame([[["x", "x +"]]], parameters={"x": 1})
    with pytest.raises(GameError, match="expected an expression"):
        ParametricGame([[[sympy.Eq(x, 1), 0]]], parameters={"x": 1})
    with pytest.raises(GameError, match="ragged"):
        ParametricGame([[[1, 2], [3]]])
    with pytest.raises(GameError, match=r"expected \(n_1, \.\.\., n_N, N\)"):
        ParametricGame([1, 2])


def test_parametric_game_evaluation_errors_name_the_cell() -> None:
    g = ParametricGame([[["1/a", "log(a)"]]], parameters={"a": 1})
    assert g.at(a=2).payoff(("1", "1"))[0] == Fraction(1, 2)
    assert isinstance(g.at(a=2).payoff(("1", "1"))[1], float)
    with pytest.raises(GameError, match=r"payoff of Player 1 at \('1', '1'\) at a=0"):
        g.at(a=0)
    with pytest.raises(GameError, match="expected a finite real number"):
        g.at(a=-1)


def test_parametric_game_describe_and_text_round_trip() -> None:
    g = _chicken()
    assert g.describe().splitlines()[1] == "Restrain, Escalate: S, T"
    text = g.to_text()
    again = ParametricGame.from_mapping(
        text, parameters=g.parameters, players=g.players, strategies=g.strategies
    )
    assert again == g
    assert "ParametricGame(''" in repr(g)
