"""Malformed scenario files give one clean FormatError: the file, the place, what was expected.

Each file in ``tests/data/bad_scenarios/`` starts with comments saying what its error must
contain: ``# expect: <regex>`` (the expectation), ``# key: <key path>`` and/or
``# line: <n>``. A hypothesis fuzz mutates a valid file and checks that reading it either
succeeds or raises FormatError, never another exception.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.games import FormatError
from equishift.games.formats.scenario import parse_scenario, read_scenario
from equishift.recommendations.scenarios import scenario_path

BAD = Path(__file__).parent / "data" / "bad_scenarios"
FILES = sorted(BAD.glob("*.toml"))


def expectations(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# (expect|key|line): (.*)$", line)
        if m is None:
            break
        out[m.group(1)] = m.group(2).strip()
    return out


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_bad_file_gives_clean_error(path: Path) -> None:
    want = expectations(path)
    assert "expect" in want and ("key" in want or "line" in want), "corpus file lacks headers"
    with pytest.raises(FormatError) as info:
        read_scenario(path)
    err = info.value
    text = str(err)
    assert err.path == str(path)
    assert text.startswith(str(path))
    assert re.search(want["expect"], text), text
    if "key" in want:
        assert f": {want['key']}: " in text, text
    if "line" in want:
        assert err.line == int(want["line"]), text
    else:
        # Every semantic error still points at a line when the key can be found.
        assert err.line is not None, text


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[meta]\nid = "caf\xe9"\n')
    with pytest.raises(FormatError, match="not UTF-8") as info:
        read_scenario(path)
    assert info.value.line == 2


def test_text_without_path_says_text() -> None:
    with pytest.raises(FormatError, match=r"^<text>:1: meta: expected a table"):
        parse_scenario('meta = "x"')


def test_errors_never_execute_code(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = (
        '[game]\nform = "normal"\nplayers = ["A"]\nstrategies = { A = ["x"] }\n'
        f"payoffs = {{ x = [\"__import__('pathlib').Path('{marker}').touch()\"] }}\n"
    )
    with pytest.raises(FormatError, match="is not valid"):
        parse_scenario(text)
    assert not marker.exists()


# -- fuzz ---------------------------------------------------------------------------------------
VALID = [
    scenario_path(name).read_text(encoding="utf-8")
    for name in ("dual-freeze", "bloody-nose", "linked-korea-dialogue", "repeated-pd")
]
PIECES = [
    "=",
    "[",
    "]",
    "{",
    "}",
    '"',
    ",",
    "\n",
    ".",
    "0",
    "-1",
    "1e999",
    "true",
    "T_D",
    "theta",
    "nan",
    "inf",
    "payoffs",
    "actions",
    "chance",
    "ref",
    "form",
    '"1/0"',
    '"x ^ 9999999"',
    "[[recommendations]]",
    "[games.x]",
    "players",
    "#",
    "'",
    "\\",
    "é",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "swap-lines"]))
        pos = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:pos] + draw(st.sampled_from(PIECES)) + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        elif kind == "replace":
            text = text[:pos] + draw(st.sampled_from(PIECES)) + text[pos + 1 :]
        else:
            lines = text.splitlines()
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_only_format_errors(text: str) -> None:
    try:
        parse_scenario(text, path="fuzz.toml")
    except FormatError as exc:
        assert str(exc).startswith("fuzz.toml")


VALUES = st.one_of(
    st.sampled_from(["", "x", "T_D", "theta", "1/0", "1 - theta", "normal", "Freeze", "US"]),
    st.integers(-3, 3),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-2, max_value=2),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.just([1, 2]),
    st.just({"payoffs": [0, 0]}),
)


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for k, v in enumerate(data):
            out += _paths(v, (*prefix, k))
    return out


@st.composite
def structurally_mutated(draw: st.DrawFn) -> str:
    import tomllib
    from decimal import Decimal

    from equishift.games.formats.scenario import _dump

    data = tomllib.loads(draw(st.sampled_from(VALID)), parse_float=Decimal)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent: object = data
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        last = path[-1]
        kind = draw(st.sampled_from(["set", "delete", "rename"]))
        if kind == "set" or isinstance(parent, list):
            parent[last] = copy.deepcopy(draw(VALUES))  # type: ignore[index]
        elif kind == "delete":
            del parent[last]  # type: ignore[attr-defined]
        else:
            assert isinstance(parent, dict)
            parent[str(last) + draw(st.sampled_from(["s", "_", "x"]))] = parent.pop(last)
    return _dump(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structurally_mutated())
def test_fuzz_structure_only_format_errors(text: str) -> None:
    try:
        parse_scenario(text, path="fuzz.toml")
    except FormatError as exc:
        assert str(exc).startswith("fuzz.toml")


# -- recommendation tables: read by equishift.recommendations, same error style ----------------
REC_FILES = sorted((BAD / "recommendations").glob("*.toml"))


def test_recommendation_corpus_covers_the_kinds_of_mistake() -> None:
    names = {p.stem for p in REC_FILES}
    assert {
        "unknown-transform-op",
        "unknown-criterion",
        "unknown-target-game",
        "wrong-parameter-name",
    } <= names


@pytest.mark.parametrize("path", REC_FILES, ids=lambda p: p.stem)
def test_bad_recommendation_table_gives_clean_error(path: Path) -> None:
    from equishift.recommendations.evaluate import evaluate_scenario, scenario_recommendations

    want = expectations(path)
    scenario = read_scenario(path)  # the file itself is a valid scenario
    with pytest.raises(FormatError) as info:
        scenario_recommendations(scenario)
    text = str(info.value)
    assert text.startswith(f"{path}:"), text
    assert info.value.line is not None, text
    assert re.search(want["expect"], text), text
    assert f": {want['key']}: " in text, text
    with pytest.raises(FormatError):
        evaluate_scenario(path)


# -- ordinal games ----------------------------------------------------------------------------
ORDINAL_OK = """[meta]
id = "o"

[games.g]
form = "normal"
ordinal = true
players = ["A", "B"]
strategies = { A = ["x", "y"], B = ["u", "v"] }

[games.g.payoffs]
"x, u" = [4, 4]
"x, v" = [1, 3]
"y, u" = [3, 1]
"y, v" = [2, 2]
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "expect"),
    [
        (
            '"x, v" = [1, 3]',
            '"x, v" = [1.5, 3]',
            12,
            'games.g.payoffs."x, v"[0]',
            r"expected an integer rank .*found the number 1\.5",
        ),
        (
            '"x, v" = [1, 3]',
            '"x, v" = [1, 3.0]',
            12,
            'games.g.payoffs."x, v"[1]',
            r"expected an integer rank .*found the number 3\.0",
        ),
        (
            '"y, u" = [3, 1]',
            '"y, u" = ["T", 1]',
            13,
            'games.g.payoffs."y, u"[0]',
            r"expected an integer rank .*found the string 'T'",
        ),
        (
            '"y, v" = [2, 2]',
            '"y, v" = [2, true]',
            14,
            'games.g.payoffs."y, v"[1]',
            "expected an integer rank .*found the boolean true",
        ),
        (
            "ordinal = true",
            'ordinal = "yes"',
            6,
            "games.g.ordinal",
            "expected true or false .*found the string 'yes'",
        ),
        (
            "ordinal = true",
            "ordinal = 1",
            6,
            "games.g.ordinal",
            "expected true or false .*found the number 1",
        ),
        (
            'players = ["A", "B"]',
            'players = ["A", "B"]\narithmetic = "float"',
            8,
            "games.g.arithmetic",
            "ranks of an ordinal game are exact integers",
        ),
        (
            'form = "normal"',
            'form = "repeated"',
            6,
            "games.g.ordinal",
            "ordinal = true needs a game written with form = \"normal\".*found form = 'repeated'",
        ),
    ],
)
def test_bad_ordinal_input(old: str, new: str, line: int, key: str, expect: str) -> None:
    assert old in ORDINAL_OK
    parse_scenario(ORDINAL_OK, path="o.toml")  # the unchanged text is fine
    with pytest.raises(FormatError) as info:
        parse_scenario(ORDINAL_OK.replace(old, new), path="o.toml")
    text = str(info.value)
    assert text.startswith(f"o.toml:{line}: {key}: "), text
    assert re.search(expect, text), text


def test_ordinal_gambit_import_and_inline_stage_are_refused(tmp_path: Path) -> None:
    nfg = tmp_path / "g.nfg"
    nfg.write_text('NFG 1 R "g" { "A" "B" } { 1 1 }\n1 1\n', encoding="utf-8")
    path = tmp_path / "s.toml"
    path.write_text('[game]\ngambit = "g.nfg"\nordinal = true\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"s\.toml:3: game\.ordinal: .*found a Gambit import"):
        read_scenario(path)
    inline = (
        '[games.deal]\nform = "repeated"\ndelta = 0.9\n\n[games.deal.stage]\nordinal = true\n'
        'players = ["A"]\nstrategies = { A = ["x"] }\npayoffs = { x = [1] }\n'
    )
    with pytest.raises(FormatError, match=r"^t\.toml:6: games\.deal\.stage\.ordinal: an inline"):
        parse_scenario(inline, path="t.toml")


ORDINAL_VALID = [ORDINAL_OK, scenario_path("ordinal-engagement").read_text(encoding="utf-8")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ORDINAL_VALID), st.data())
def test_fuzz_ordinal_only_format_errors(text: str, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(text)))
        piece = data.draw(st.sampled_from([*PIECES, "2.5", "ordinal = true\n", "false", "4"]))
        text = text[:pos] + piece + text[pos + data.draw(st.integers(0, 1)) :]
    try:
        parse_scenario(text, path="fuzz.toml")
    except FormatError as exc:
        assert str(exc).startswith("fuzz.toml")
