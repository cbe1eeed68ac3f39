"""Gambit .nfg/.efg reading and writing, checked against the reference games.

Compared with the reference (the shared ``reference`` folder, pygambit 16.7):
every one of the 114 files parses; writing and reading back gives an equal
game; for ``.nfg`` files the strategy counts, strategy labels and the full
payoff table equal ``expected/<file>.json`` (the reduced forms of ``.efg``
files are checked in ``test_extensive.py``). Malformed files raise only
:class:`FormatError`, with the line.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import ExtensiveFormGame, FormatError, NormalFormGame
from equishift.games.formats import (
    parse_efg,
    parse_game,
    parse_nfg,
    read_efg,
    read_game,
    read_nfg,
    write_efg,
    write_nfg,
)

from .paths import REFERENCE

GAMES = sorted((REFERENCE / "games").glob("*.[ne]fg"))
NFG_FILES = [p for p in GAMES if p.suffix == ".nfg"]
EFG_FILES = [p for p in GAMES if p.suffix == ".efg"]


def expected(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((REFERENCE / "expected" / f"{path.name}.json").read_text())


def test_reference_corpus_is_present() -> None:
    assert len(GAMES) == 114, f"expected 114 reference games in {REFERENCE}"
    assert len(NFG_FILES) == 25 and len(EFG_FILES) == 89


# -- every reference file ------------------------------------------------------------------------
@pytest.mark.parametrize("path", GAMES, ids=lambda p: p.name)
def test_reference_file_parses_and_round_trips(path: Path) -> None:
    game = read_game(path)
    exp = expected(path)
    assert list(game.players) == [p or f"Player {k + 1}" for k, p in enumerate(exp["players"])]
    if path.suffix == ".nfg":
        assert isinstance(game, NormalFormGame)
        text = write_nfg(game)
        again = parse_nfg(text)
    else:
        assert isinstance(game, ExtensiveFormGame)
        text = write_efg(game)
        again = parse_efg(text)
        assert again.comment == game.comment
        assert again.n_nodes == exp["n_nodes"]
    assert again == game
    assert again.title == game.title == exp["title"]
    assert again.is_exact and game.is_exact
    # Writing is deterministic: a second round trip gives the same text.
    assert (write_nfg(again) if path.suffix == ".nfg" else write_efg(again)) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("path", NFG_FILES, ids=lambda p: p.name)
def test_nfg_matches_gambit_table(path: Path) -> None:
    game = read_nfg(path)
    exp = expected(path)
    assert list(game.shape) == exp["payoff_shape"]
    labels = [list(s) for s in game.strategies]
    assert labels == exp["strategy_labels"]
    table = np.array(exp["payoff_table"], dtype=object)
    assert table.shape == game.payoffs.shape
    assert all(Fraction(a) == b for a, b in zip(table.ravel(), game.payoffs.ravel(), strict=True))


def test_outcome_and_payoff_versions_agree() -> None:
    a = read_nfg(REFERENCE / "games" / "tests-coordination_4x4_outcome.nfg")
    b = read_nfg(REFERENCE / "games" / "tests-coordination_4x4_payoff.nfg")
    assert np.array_equal(a.payoffs, b.payoffs)
    assert a.strategies[0] == ("1-1", "1-2", "1-3", "1-4")
    assert b.strategies[0] == ("1", "2", "3", "4")


def test_read_game_dispatches_on_header(tmp_path: Path) -> None:
    nfg = tmp_path / "g.txt"
    nfg.write_text('NFG 1 R "t" { "A" } { 2 } 1 2\n')
    assert isinstance(read_game(nfg), NormalFormGame)
    efg = tmp_path / "h.txt"
    efg.write_text('EFG 2 R "t" { "A" } ""\nt "" 0\n')
    assert isinstance(read_game(efg), ExtensiveFormGame)
    other = tmp_path / "x.nfg"
    other.write_text("[game]\nform = 'normal'\n")
    with pytest.raises(FormatError, match=r"x\.nfg:1: expected a Gambit game"):
        read_game(other)
    with pytest.raises(FormatError, match="cannot read the file"):
        read_game(tmp_path / "missing.nfg")
    binary = tmp_path / "b.nfg"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FormatError, match="not UTF-8"):
        read_game(binary)


def test_read_accepts_text_and_paths(tmp_path: Path) -> None:
    text = 'NFG 1 R "t" { "A" "B" } { 1 1 }\n"a comment"\n1 2\n'
    g = read_nfg(text)
    assert g.payoff(("1", "1")) == (1, 2)
    assert "comment: a comment" in g.provenance
    p = tmp_path / "g.nfg"
    write_nfg(g, p)
    g2 = read_nfg(str(p))
    assert g2 == g and f"read from {p}" in g2.provenance
    assert '"a comment"' in p.read_text()
    e = read_efg('EFG 2 R "" { "A" } ""\nt "" 1 "o" { 3 }\n')
    q = tmp_path / "g.efg"
    write_efg(e, q)
    assert read_efg(q) == e


def test_numbers_are_exact_and_float_games_round_trip() -> None:
    g = parse_nfg('NFG 1 R "" { "A" } { 3 } 1.5 3/2 -.25')
    assert g.is_exact
    assert g.payoffs[:, 0].tolist() == [Fraction(3, 2), Fraction(3, 2), Fraction(-1, 4)]
    f = NormalFormGame.from_arrays([0.1, 1 / 3])
    text = write_nfg(f)
    assert text.startswith("NFG 1 D ")
    back = parse_nfg(text)
    assert not back.is_exact and back == f
    d = parse_nfg('NFG 1 D "" { "A" } { 1 } 0.1')
    assert not d.is_exact and d.payoffs[0, 0] == 0.1


def test_labels_with_quotes_and_backslashes_round_trip() -> None:
    g = NormalFormGame.from_arrays(
        [[1, 2]], [[3, 4]], players=['say "hi"', "back\\slash"], strategies=[["a"], ["x{", "}"]]
    ).with_title('A "quoted" title')
    back = parse_nfg(write_nfg(g))
    assert back == g and back.title == g.title


def test_empty_and_repeated_labels_are_made_unique() -> None:
    g = parse_nfg('NFG 1 R "" { "" "" } { { "" "x" } { "d" "d" } } 0 0 0 0 0 0 0 0')
    assert g.players == ("Player 1", "Player 2")
    assert g.strategies == (("1", "x"), ("d_1", "d_2"))


def test_multiline_comment_and_line_numbers() -> None:
    text = 'NFG 1 R "t" { "A" "B" } { 2 2 }\n"line one\nline two\n"\n1 1 0 0\n0 0 1 oops\n'
    with pytest.raises(FormatError) as info:
        parse_nfg(text, path="c.nfg")
    assert info.value.line == 6 and info.value.path == "c.nfg"
    assert "expected a payoff (a number), found 'oops'" in str(info.value)


# -- malformed files -----------------------------------------------------------------------------
NFG_ERRORS = [
    ("", 1, "the file is empty"),
    ('EFG 2 R "" { "A" } ""', 1, "expected 'NFG' at the start"),
    ('NFG 2 R "" { "A" } { 1 } 1', 1, "expected NFG format version 1, found '2'"),
    ('NFG 1 Q "" { "A" } { 1 } 1', 1, "precision flag"),
    ('NFG 1 R { "A" } { 1 } 1', 1, "expected the quoted title of the game, found '{'"),
    ('NFG 1 R "" { } { } ', 1, "list of players is empty"),
    ('NFG 1 R "" { "A" "B" }\n{ 2 x }\n', 2, "number of strategies of player 2, found 'x'"),
    ('NFG 1 R "" { "A" "B" }\n{ 2 0 }\n', 2, "at least 1, found 0"),
    ('NFG 1 R "" { "A" "B" }\n{ { "a" } }\n', 2, "strategy labels for 2 players, found 1"),
    ('NFG 1 R "" { "A" "B" }\n{ { "a" } { } }\n', 2, "player 2 has no strategies"),
    (
        'NFG 1 R "" { "A" "B" }\n{ 3 1 }\n\n1 2 3 4 5',
        4,
        "expected 6 payoffs (3 cells × 2 players), found 5",
    ),
    ('NFG 1 R "" { "A" }\n{ 1 }\n1 2', 3, "unexpected '2' after the payoffs"),
    ('NFG 1 R "" { "A" }\n{ 1 }\n1/0', 3, "expected a payoff (a number), found '1/0'"),
    ('NFG 1 R "oops { "A" } { 1 } 1', 1, "unterminated string"),
    ('NFG 1 R "" { "A" } { 2 }\n{ { "o" 1 } }\n1 2', 3, "outcome number 2 is out of range"),
    (
        'NFG 1 R "" { "A" } { 2 }\n{ { "o" 1 2 } }\n1 1',
        2,
        "expected 1 payoffs (one per player) in outcome 1, found 2",
    ),
    (
        'NFG 1 R "" { "A" } { 2 }\n{ { "o" 1 } }\n1',
        3,
        "expected 2 outcome numbers (one per cell), found 1",
    ),
    ('NFG 1 R "" { "A" } { 1 }\n{ "o" 1 }\n1', 2, "expected '{' opening an outcome"),
    ('NFG 1 R "" { "A" } { 1 }\n{ { "o" x } }\n1', 2, "a payoff of outcome 1 (a number)"),
]


@pytest.mark.parametrize(("text", "line", "message"), NFG_ERRORS)
def test_malformed_nfg(text: str, line: int, message: str) -> None:
    with pytest.raises(FormatError) as info:
        parse_nfg(text, path="bad.nfg")
    assert message in info.value.message
    assert info.value.line == line
    assert str(info.value).startswith(f"bad.nfg:{line}: ")


EFG_HEAD = 'EFG 2 R "" { "A" "B" } ""\n'
EFG_ERRORS = [
    (EFG_HEAD, 1, "the file has no nodes"),
    (EFG_HEAD + 'x "" 0', 2, "unknown node type 'x'; expected 'p' (player), 'c' (chance) or 't'"),
    (EFG_HEAD + 'p "" 3 1 "" { "a" } 0\nt "" 0', 2, "player number 3 is out of range"),
    (EFG_HEAD + 'p "" 1 1 0\nt "" 0', 2, "appears for the first time without its label"),
    (EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0', 3, "still expects 1 more child"),
    (EFG_HEAD + 't "" 0\nt "" 0', 3, "the tree is already complete"),
    (EFG_HEAD + 't "" 1 "o" { 1 }', 2, "expected 2 payoffs (one per player) in outcome 1, found 1"),
    (EFG_HEAD + 't "" 1', 2, "outcome 1 appears for the first time without its label"),
    (EFG_HEAD + 'c "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 0\nt "" 0', 2, "sum to 5/6, expected 1"),
    (EFG_HEAD + 'c "" 1 "" { "a" x } 0\nt "" 0', 2, 'probability of chance action "a"'),
    (EFG_HEAD + 'c "" 1 "" { "a" -1 "b" 2 } 0\nt "" 0\nt "" 0', 2, "is negative"),
    (EFG_HEAD + 'p "" 1 1 "" { } 0', 2, "the list of actions is empty"),
    (EFG_HEAD + 'p "" 1 1 "" { a } 0', 2, "expected a quoted action label or '}', found 'a'"),
    (
        EFG_HEAD + 'c "" 1 "" { "a" 1 } 0\np "" 1 1 "" { "x" } 0\np "" 1 1 "" { "y" } 0\nt "" 0',
        4,
        "information set 1 of player 1 is redefined",
    ),
    (
        EFG_HEAD + 'p "" 1 1 "" { "x" "y" } 0\nt "" 1 "o" { 1, 2 }\nt "" 1 "o" { 1, 3 }',
        4,
        "outcome 1 is redefined with other payoffs",
    ),
    (EFG_HEAD + 't "" 0 "o" { 1 2 }', 2, "outcome 0 means 'no outcome'"),
    (EFG_HEAD + 'p "lab\n\n', 2, "unterminated string"),
    ('EFG 2 R "" { "A" } ""\nt "" 1 "o" { 1 } extra', 2, "unexpected 'extra': the tree is"),
]


@pytest.mark.parametrize(("text", "line", "message"), EFG_ERRORS)
def test_malformed_efg(text: str, line: int, message: str) -> None:
    with pytest.raises(FormatError) as info:
        parse_efg(text, path="bad.efg")
    assert message in info.value.message
    assert info.value.line == line


def test_error_names_the_file(tmp_path: Path) -> None:
    p = tmp_path / "broken.efg"
    p.write_text(EFG_HEAD + 'p "" 1 1 "" { "a" } 0\n')
    with pytest.raises(FormatError, match=r"broken\.efg:2: the file ends but node 1"):
        read_efg(p)


# -- fuzzing: only FormatError ever comes out ----------------------------------------------------
def _mutations(text: str, rng: random.Random, n: int) -> list[str]:
    out = [text[: len(text) * k // 8] for k in range(8)]
    tokens = text.split()
    junk = ["x", "{", "}", '"', ",", "0", "-1", "1/0", "99", "p", "t", "c", '""', "1.5e", "\\"]
    for _ in range(n):
        toks = list(tokens)
        op = rng.randrange(5)
        k = rng.randrange(len(toks))
        if op == 0:
            del toks[k]
        elif op == 1:
            toks[k] = rng.choice(junk)
        elif op == 2:
            toks.insert(k, rng.choice(junk))
        elif op == 3:
            j = rng.randrange(len(toks))
            toks[k], toks[j] = toks[j], toks[k]
        else:
            toks = toks[:k]
        out.append(" ".join(toks))
        pos = rng.randrange(len(text))
        out.append(text[:pos] + rng.choice(junk) + text[pos + 1 :])
    return out


@pytest.mark.parametrize("path", GAMES, ids=lambda p: p.name)
def test_fuzzed_reference_files_raise_only_format_error(path: Path) -> None:
    rng = random.Random(path.name)
    text = path.read_text()
    for mutated in _mutations(text, rng, 15):
        try:
            parse_game(mutated, path=path.name)
        except FormatError as exc:
            assert exc.path == path.name
            assert exc.message


# -- property tests ------------------------------------------------------------------------------
labels = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6)
fractions = st.fractions(min_value=-100, max_value=100, max_denominator=12)


@st.composite
def normal_form_games(draw: st.DrawFn) -> NormalFormGame:
    shape = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    n = len(shape)
    values = draw(
        st.lists(fractions, min_size=int(np.prod(shape)) * n, max_size=int(np.prod(shape)) * n)
    )
    arr = np.empty((*shape, n), dtype=object)
    arr.ravel()[:] = values
    players = draw(st.lists(labels.filter(str.strip), min_size=n, max_size=n, unique=True))
    strategies = [
        draw(st.lists(labels.filter(str.strip), min_size=k, max_size=k, unique=True)) for k in shape
    ]
    title = draw(labels)
    return NormalFormGame(arr, players=players, strategies=strategies, title=title)


@settings(max_examples=60, deadline=None)
@given(normal_form_games())
def test_nfg_round_trip_property(game: NormalFormGame) -> None:
    back = parse_nfg(write_nfg(game))
    assert back == game
    assert back.title == game.title
