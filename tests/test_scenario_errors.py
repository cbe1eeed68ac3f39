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
