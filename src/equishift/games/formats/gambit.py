"""Gambit's ``.nfg`` (strategic) and ``.efg`` (extensive) file formats.

Both formats are whitespace-insensitive token streams: double-quoted strings
(``\\"`` escapes a quote, ``\\\\`` a backslash), braces, commas and bare words
(numbers, node types). Numbers are read exactly: ``3``, ``1.5``, ``.80`` and
``3/2`` become :class:`fractions.Fraction`. A file whose precision flag is
``D`` (double) gives payoffs as floats; ``R`` (the usual) keeps them exact.
Files written here use ``R`` for exact games and ``D`` for float games, so
writing and reading back gives an equal game.

``.nfg`` comes in two versions, both read here: the *payoff* version (a flat
list of payoffs, player 1's strategy changing fastest) and the *outcome*
version (a list of outcomes, then one outcome number per profile, 0 meaning
all payoffs 0). The writer produces the payoff version.

Every problem in a file raises :class:`~equishift.games.errors.FormatError`
naming the file, the line and what was expected.

>>> g = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { { "C" "D" } { "C" "D" } } '
...               '3 3 5 0 0 5 1 1')
>>> g.strategies, g.payoff(("D", "C"))
((('C', 'D'), ('C', 'D')), (Fraction(5, 1), Fraction(0, 1)))
>>> parse_nfg(write_nfg(g)) == g
True
>>> parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 } 1 2 3')
Traceback (most recent call last):
...
equishift.games.errors.FormatError: <text>:1: expected 8 payoffs (4 cells × 2 players), found 3
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import FormatError, GameError
from ..extensive_form import (
    CHANCE,
    DECISION,
    TERMINAL,
    ExtensiveFormGame,
    Outcome,
    _RawInfoset,
    _RawTree,
    _unique_labels,
    gc_paused,
)
from ..normal_form import NormalFormGame
from ..numbers import Number, parse_number

__all__ = [
    "parse_efg",
    "parse_game",
    "parse_nfg",
    "read_efg",
    "read_game",
    "read_nfg",
    "write_efg",
    "write_nfg",
]

COMMENT_PREFIX = "comment: "
"""Provenance entries of a :class:`NormalFormGame` starting with this hold the file's comment."""


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # "str", "{", "}", ",", "word"
    text: str
    line: int

    def show(self) -> str:
        if self.kind == "str":
            shown = self.text if len(self.text) <= 40 else self.text[:37] + "..."
            return f'the string "{shown}"'
        shown = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return repr(shown)


def _tokenize(text: str, path: str | None) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(text)
    line = 1
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch.isspace():
            i += 1
        elif ch in "{},":
            tokens.append(_Token(ch, ch, line))
            i += 1
        elif ch == '"':
            start_line = line
            i += 1
            buf: list[str] = []
            while True:
                if i >= n:
                    raise FormatError(
                        "unterminated string: a '\"' opened here is never closed",
                        path=path,
                        line=start_line,
                    )
                c = text[i]
                if c == "\\" and i + 1 < n:
                    nxt = text[i + 1]
                    if nxt == "\n":
                        line += 1
                    buf.append(nxt)
                    i += 2
                    continue
                if c == '"':
                    i += 1
                    break
                if c == "\n":
                    line += 1
                buf.append(c)
                i += 1
            tokens.append(_Token("str", "".join(buf), start_line))
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '{},"':
                j += 1
            tokens.append(_Token("word", text[i:j], line))
            i = j
    return tokens


class _Reader:
    """A cursor over tokens with 'expect' helpers that raise FormatError."""

    def __init__(self, text: str, path: str | Path | None) -> None:
        self.path = None if path is None else str(path)
        self.tokens = _tokenize(text, self.path)
        self.pos = 0
        # End-of-file errors point at the last token (the file "ends" there).
        self.last_line = self.tokens[-1].line if self.tokens else 1

    def error(self, message: str, tok: _Token | None = None) -> FormatError:
        line = tok.line if tok is not None else self.last_line
        return FormatError(message, path=self.path, line=line)

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self, what: str) -> _Token:
        tok = self.peek()
        if tok is None:
            raise self.error(f"expected {what}, found the end of the file")
        self.pos += 1
        return tok

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.next(what)
        if tok.kind != kind:
            raise self.error(f"expected {what}, found {tok.show()}", tok)
        return tok

    def string(self, what: str) -> str:
        return self.expect("str", what).text

    def word(self, what: str) -> _Token:
        return self.expect("word", what)

    def integer(self, what: str, *, minimum: int = 0) -> tuple[int, _Token]:
        tok = self.next(what)
        if tok.kind != "word" or not tok.text.isdigit():
            raise self.error(f"expected {what}, found {tok.show()}", tok)
        value = int(tok.text)
        if value < minimum:
            raise self.error(f"expected {what} of at least {minimum}, found {value}", tok)
        return value, tok

    def number(self, what: str, *, floats: bool = False) -> Number:
        tok = self.next(what)
        return self.to_number(tok, what, floats=floats)

    def to_number(self, tok: _Token, what: str, *, floats: bool = False) -> Number:
        if tok.kind != "word":
            raise self.error(f"expected {what}, found {tok.show()}", tok)
        try:
            value = parse_number(tok.text, what=what)
        except GameError:
            raise self.error(f"expected {what}, found {tok.show()}", tok) from None
        return float(value) if floats else value

    def at(self, kind: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == kind

    def skip_commas(self) -> None:
        while self.at(","):
            self.pos += 1

    def string_list(self, what: str) -> list[str]:
        """``{ "a" "b" ... }``."""
        self.expect("{", f"'{{' opening the list of {what}")
        out: list[str] = []
        while True:
            tok = self.next(f"a quoted label in the list of {what} or '}}'")
            if tok.kind == "}":
                return out
            if tok.kind != "str":
                raise self.error(
                    f"expected a quoted label in the list of {what} or '}}', found {tok.show()}",
                    tok,
                )
            out.append(tok.text)

    def header(self, magic: str, version: str) -> tuple[bool, str, list[str], _Token]:
        """``MAGIC version R|D "title" { players }``; returns (floats, title, players)."""
        tok = self.peek()
        if tok is None:
            raise self.error(f"the file is empty; expected a Gambit game starting with '{magic}'")
        if tok.kind != "word" or tok.text != magic:
            raise self.error(
                f"expected '{magic}' at the start of the file, found {tok.show()}", tok
            )
        self.pos += 1
        ver = self.word(f"the format version ({version})")
        if ver.text != version:
            raise self.error(f"expected {magic} format version {version}, found {ver.show()}", ver)
        prec = self.word("the precision flag 'R' (rational) or 'D' (double)")
        if prec.text not in ("R", "D"):
            raise self.error(
                f"expected the precision flag 'R' (rational) or 'D' (double), found {prec.show()}",
                prec,
            )
        title = self.string("the quoted title of the game")
        start = self.peek()
        players = self.string_list("players")
        if not players:
            raise self.error("the list of players is empty; expected at least one player", start)
        assert start is not None
        return prec.text == "D", title, players, start


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"file is not UTF-8 text ({exc.reason})", path=path) from None
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", path=path) from None


def _looks_like_text(source: str | Path, magic: str) -> bool:
    return isinstance(source, str) and ("\n" in source or source.lstrip().startswith(magic + " "))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fmt(value: Number, floats: bool) -> str:
    if floats:
        return repr(float(value))
    assert isinstance(value, Fraction)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def _unique(labels: Sequence[str], default: str) -> list[str]:
    return list(_unique_labels(labels, lambda k: default.format(k + 1)))


# ---------------------------------------------------------------------------------------------
# .nfg
# ---------------------------------------------------------------------------------------------
def parse_nfg(text: str, *, path: str | Path | None = None) -> NormalFormGame:
    """Parse the text of a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    text
        The file's contents.
    path
        Named in error messages and recorded in the game's provenance.

    Returns
    -------
    NormalFormGame
        Exact when every number is exact (and the precision flag is ``R``).
        Empty labels become ``"1"``, ``"2"``, ... (``"Player 1"`` ... for
        players); repeated labels become ``"x_1"``, ``"x_2"`` (as in Gambit). A non-empty comment is
        kept in the provenance as ``"comment: ..."``.

    Raises
    ------
    FormatError
        With the line and what was expected.

    Examples
    --------
    The outcome version: outcomes, then one outcome number per profile.

    >>> g = parse_nfg('''NFG 1 R "coordination" { "A" "B" }
    ... { { "x" "y" } { "x" "y" } }
    ... { { "hit" 1, 1 } { "miss" 0, 0 } }
    ... 1 2 2 1''')
    >>> g.payoff(("y", "y"))
    (Fraction(1, 1), Fraction(1, 1))
    >>> parse_nfg('NFG 1 R "" { "A" } { 2 } 1 x', path="g.nfg")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: g.nfg:1: expected a payoff (a number), found 'x'
    """
    r = _Reader(text, path)
    floats, title, raw_players, _ = r.header("NFG", "1")
    n_players = len(raw_players)
    open_tok = r.expect("{", "'{' opening the strategies (labels or counts per player)")
    raw_strats: list[list[str]] = []
    if r.at("{"):
        for i in range(n_players):
            tok = r.peek()
            if tok is not None and tok.kind == "}":
                raise r.error(f"expected strategy labels for {n_players} players, found {i}", tok)
            labels = r.string_list(f"strategies of player {i + 1}")
            if not labels:
                raise r.error(f"player {i + 1} has no strategies; expected at least one", tok)
            raw_strats.append(labels)
    else:
        for i in range(n_players):
            count, _tok = r.integer(f"the number of strategies of player {i + 1}", minimum=1)
            raw_strats.append([""] * count)
    close = r.next("'}' closing the strategies")
    if close.kind != "}":
        raise r.error(
            f"expected '}}' after the strategies of {n_players} players, found {close.show()}",
            close,
        )
    del open_tok
    comment = r.string("comment") if r.at("str") else ""
    shape = tuple(len(s) for s in raw_strats)
    n_cells = int(np.prod(shape))
    payoffs: list[Number]
    if r.at("{"):
        payoffs = _nfg_outcomes(r, n_players, n_cells, floats)
    else:
        payoffs = []
        need = n_cells * n_players
        while r.peek() is not None and len(payoffs) < need:
            payoffs.append(r.number("a payoff (a number)", floats=floats))
        if len(payoffs) < need:
            raise r.error(
                f"expected {need} payoffs ({n_cells} cells × {n_players} players), "
                f"found {len(payoffs)}"
            )
    extra = r.peek()
    if extra is not None:
        raise r.error(
            f"unexpected {extra.show()} after the payoffs; expected the end of the file", extra
        )
    arr = np.empty(n_cells * n_players, dtype=object if not floats else np.float64)
    arr[:] = payoffs
    # Player 1's strategy changes fastest: reshape reversed, then reverse the axes back.
    arr = arr.reshape((*reversed(shape), n_players))
    arr = arr.transpose((*reversed(range(n_players)), n_players))
    players = _unique(raw_players, "Player {}")
    strategies = [_unique(s, "{}") for s in raw_strats]
    prov = [f"read from {path}" if path is not None else "parsed from .nfg text"]
    if comment.strip():
        prov.append(COMMENT_PREFIX + comment)
    try:
        game = NormalFormGame(
            np.ascontiguousarray(arr),
            players=players,
            strategies=strategies,
            title=title,
            provenance=prov,
        )
    except GameError as exc:  # pragma: no cover - the parser checks what the game checks
        raise FormatError(str(exc), path=path) from None
    return game


def _nfg_outcomes(r: _Reader, n_players: int, n_cells: int, floats: bool) -> list[Number]:
    r.expect("{", "'{' opening the list of outcomes")
    outcomes: list[list[Number]] = []
    while True:
        tok = r.next("'{' opening an outcome or '}' closing the list of outcomes")
        if tok.kind == "}":
            break
        if tok.kind != "{":
            raise r.error(
                f"expected '{{' opening an outcome or '}}' closing the list of outcomes, "
                f"found {tok.show()}",
                tok,
            )
        k = len(outcomes) + 1
        r.string(f"the quoted label of outcome {k}")
        vals: list[Number] = []
        while True:
            r.skip_commas()
            t2 = r.next(f"a payoff of outcome {k} or '}}'")
            if t2.kind == "}":
                break
            vals.append(
                r.to_number(t2, f"a payoff of outcome {k} (a number) or '}}'", floats=floats)
            )
        if len(vals) != n_players:
            raise r.error(
                f"expected {n_players} payoffs (one per player) in outcome {k}, found {len(vals)}",
                tok,
            )
        outcomes.append(vals)
    zero: list[Number] = [0.0 if floats else Fraction(0)] * n_players
    payoffs: list[Number] = []
    count = 0
    while r.peek() is not None and count < n_cells:
        k, tok = r.integer("an outcome number")
        if k > len(outcomes):
            raise r.error(
                f"outcome number {k} is out of range; the file defines {len(outcomes)} "
                "outcome(s) (0 means no outcome)",
                tok,
            )
        payoffs.extend(zero if k == 0 else outcomes[k - 1])
        count += 1
    if count < n_cells:
        raise r.error(f"expected {n_cells} outcome numbers (one per cell), found {count}")
    return payoffs


def read_nfg(source: str | Path) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file (a path; a string holding the file's text also works).

    Raises
    ------
    FormatError
        When the file cannot be read or is malformed.
    """
    if _looks_like_text(source, "NFG"):
        return parse_nfg(str(source))
    return parse_nfg(_read_text(source), path=source)


def write_nfg(
    game: NormalFormGame, path: str | Path | None = None, *, comment: str | None = None
) -> str:
    """The game as ``.nfg`` text (payoff version); also written to ``path`` when given.

    ``comment`` defaults to a ``"comment: ..."`` entry of the game's provenance
    (where :func:`parse_nfg` keeps a file's comment).

    >>> g = NormalFormGame.from_arrays([[1, 0]], [["1/2", 2]], players=["R", "C"])
    >>> print(write_nfg(g), end="")
    NFG 1 R "" { "R" "C" }
    <BLANKLINE>
    { { "1" }
    { "1" "2" }
    }
    ""
    <BLANKLINE>
    1 1/2 0 2
    """
    floats = not game.is_exact
    if comment is None:
        comment = next(
            (p[len(COMMENT_PREFIX) :] for p in game.provenance if p.startswith(COMMENT_PREFIX)), ""
        )
    players = " ".join(_quote(p) for p in game.players)
    lines = [f"NFG 1 {'D' if floats else 'R'} {_quote(game.title)} {{ {players} }}", ""]
    strat_lines = ["{ " + " ".join(_quote(s) for s in labs) + " }" for labs in game.strategies]
    strat_lines[0] = "{ " + strat_lines[0]
    lines.extend(strat_lines)
    lines.append("}")
    lines.append(_quote(comment))
    lines.append("")
    n = game.n_players
    flat = game.payoffs.transpose((*reversed(range(n)), n)).reshape(-1)
    lines.append(" ".join(_fmt(v, floats) for v in flat.tolist()))
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


# ---------------------------------------------------------------------------------------------
# .efg
# ---------------------------------------------------------------------------------------------
def parse_efg(text: str, *, path: str | Path | None = None) -> ExtensiveFormGame:
    """Parse the text of a Gambit ``.efg`` file.

    Node lines, in preorder::

        p "node" player infoset ["infoset" { "action" ... }] outcome ["outcome" { payoffs }]
        c "node" infoset ["infoset" { "action" prob ... }] outcome ["outcome" { payoffs }]
        t "node" outcome ["outcome" { payoffs }]

    An information set's label and actions (an outcome's label and payoffs)
    may be omitted after their first appearance; when repeated they must
    agree. Outcome 0 means no outcome.

    Examples
    --------
    >>> g = parse_efg('''EFG 2 R "entry" { "E" "I" } ""
    ... p "" 1 1 "" { "Out" "In" } 0
    ... t "" 1 "out" { 0, 2 }
    ... p "" 2 1 "" { "Fight" "Accommodate" } 0
    ... t "" 2 "war" { -1, -1 }
    ... t "" 3 "peace" { 1, 1 }''')
    >>> g.n_nodes, [h.label for h in g.infosets[0]]
    (5, ['E:1'])
    >>> parse_efg('EFG 2 R "" { "A" } ""\\np "" 1 1 "" { "x" } 0\\nq "" 0', path="g.efg")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: g.efg:3: unknown node type 'q'; expected 'p' \
(player), 'c' (chance) or 't' (terminal)
    """
    with gc_paused():
        return _parse_efg(text, path)


def _parse_efg(text: str, path: str | Path | None) -> ExtensiveFormGame:
    prov = [f"read from {path}" if path is not None else "parsed from .efg text"]
    fast = _fast_efg(text)
    if fast is not None:
        raw_fast, title_fast, comment_fast = fast
        try:
            return ExtensiveFormGame(
                raw_fast, title=title_fast, comment=comment_fast, provenance=prov
            )
        except GameError as exc:
            raise FormatError(str(exc), path=path) from None
    r = _Reader(text, path)
    floats, title, raw_players, _ = r.header("EFG", "2")
    n_players = len(raw_players)
    comment = r.string("comment") if r.at("str") else ""
    raw = _RawTree(players=list(raw_players))
    infoset_ids: dict[tuple[int, int], int] = {}
    outcome_ids: dict[int, int] = {}
    # Stack of (node, number of children still expected).
    open_nodes: list[list[int]] = []
    first = True
    while r.peek() is not None:
        tok = r.next("a node")
        if not first and not open_nodes:
            raise r.error(
                f"unexpected {tok.show()}: the tree is already complete; expected the end of "
                "the file",
                tok,
            )
        if tok.kind != "word" or tok.text not in ("p", "c", "t"):
            raise r.error(
                f"unknown node type {tok.show()}; expected 'p' (player), 'c' (chance) "
                "or 't' (terminal)",
                tok,
            )
        node_label = r.string(f"the quoted label of the node ('{tok.text}' node)")
        if open_nodes:
            parent, remaining = open_nodes[-1]
            action = raw.n_children[parent] - remaining
            open_nodes[-1][1] -= 1
            if open_nodes[-1][1] == 0:
                open_nodes.pop()
        else:
            parent, action = -1, -1
        first = False
        if tok.text == "t":
            v = raw.add_node(TERMINAL, parent, action, node_label)
        else:
            is_chance = tok.text == "c"
            if is_chance:
                player = -1
            else:
                player, ptok = r.integer("a player number")
                if not 1 <= player <= n_players:
                    raise r.error(
                        f"player number {player} is out of range; expected 1 to {n_players}",
                        ptok,
                    )
                player -= 1
            number, ntok = r.integer("an information set number", minimum=1)
            key = (player, number)
            given: tuple[str, list[str], list[Fraction] | None] | None = None
            if r.at("str"):
                ilabel = r.string("the information set label")
                acts, probs = _efg_actions(r, is_chance)
                given = (ilabel, acts, probs)
            if key not in infoset_ids:
                if given is None:
                    who = "chance" if is_chance else f"player {player + 1}"
                    raise r.error(
                        f"information set {number} of {who} appears for the first time "
                        "without its label and actions; expected a quoted label and '{'",
                        ntok,
                    )
                infoset_ids[key] = len(raw.infosets)
                raw.infosets.append(_RawInfoset(player, given[0], given[1], given[2]))
            else:
                old = raw.infosets[infoset_ids[key]]
                if given is not None and (
                    given[0] != old.label or given[1] != old.actions or given[2] != old.probs
                ):
                    who = "chance" if is_chance else f"player {player + 1}"
                    raise r.error(
                        f"information set {number} of {who} is redefined with another label, "
                        "actions or probabilities than at its first appearance",
                        ntok,
                    )
            h = infoset_ids[key]
            v = raw.add_node(CHANCE if is_chance else DECISION, parent, action, node_label)
            raw.infoset[v] = h
            raw.infosets[h].members.append(v)
            raw.n_children[v] = len(raw.infosets[h].actions)
            open_nodes.append([v, raw.n_children[v]])
        raw.outcome[v] = _efg_outcome(r, raw, outcome_ids, n_players, floats)
    if first:
        raise r.error("the file has no nodes; expected a 'p', 'c' or 't' node after the header")
    if open_nodes:
        v, remaining = open_nodes[-1]
        raise r.error(
            f"the file ends but node {v + 1} (in file order) still expects {remaining} more "
            f"child node(s)"
        )
    try:
        return ExtensiveFormGame(raw, title=title, comment=comment, provenance=prov)
    except GameError as exc:
        raise FormatError(str(exc), path=path) from None


_FAST_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{},]|[^\s{},"]+|"', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class _Fallback(Exception):
    """The fast .efg reader met something unusual: the careful reader takes over."""


def _fast_efg(text: str) -> tuple[_RawTree, str, str] | None:
    """Read well-formed ``.efg`` text quickly (one regex, no token objects).

    Returns ``None`` whenever anything is unusual or wrong; the careful
    token-by-token reader then parses the text again and reports errors with
    their line numbers. For valid files both give the same tree.
    """
    toks = _FAST_TOKEN.findall(text)
    try:
        return _fast_efg_tokens(toks)
    except (_Fallback, IndexError, ValueError, GameError):
        return None


def _fast_efg_tokens(toks: list[str]) -> tuple[_RawTree, str, str]:
    def string(i: int) -> str:
        tok = toks[i]
        if tok[0] != '"' or len(tok) < 2:
            raise _Fallback
        inner = tok[1:-1]
        return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner

    if toks[0] != "EFG" or toks[1] != "2" or toks[2] not in ("R", "D"):
        raise _Fallback
    floats = toks[2] == "D"
    title = string(3)
    if toks[4] != "{":
        raise _Fallback
    i = 5
    players: list[str] = []
    while toks[i] != "}":
        players.append(string(i))
        i += 1
    i += 1
    n_players = len(players)
    if n_players == 0:
        raise _Fallback
    comment = ""
    if i < len(toks) and toks[i][0] == '"':
        comment = string(i)
        i += 1
    raw = _RawTree(players=players)
    kinds, parents, actions, labels = raw.kind, raw.parent, raw.action, raw.labels
    node_iset, node_out, n_children = raw.infoset, raw.outcome, raw.n_children
    infoset_ids: dict[tuple[int, int], int] = {}
    outcome_ids: dict[int, int] = {}
    numbers: dict[str, Number] = {}
    open_nodes: list[list[int]] = []
    n_toks = len(toks)

    def number(tok: str) -> Number:
        val = numbers.get(tok)
        if val is None:
            if tok in "{},":
                raise _Fallback
            exact = parse_number(tok)
            val = numbers[tok] = float(exact) if floats else exact
        return val

    while i < n_toks:
        if not open_nodes and kinds:
            raise _Fallback
        typ = toks[i]
        label = toks[i + 1]
        if label[0] != '"' or len(label) < 2:
            raise _Fallback
        label = label[1:-1]
        if "\\" in label:
            label = _ESCAPE.sub(r"\1", label)
        i += 2
        if open_nodes:
            top = open_nodes[-1]
            parent = top[0]
            action = n_children[parent] - top[1]
            top[1] -= 1
            if top[1] == 0:
                open_nodes.pop()
        else:
            parent, action = -1, -1
        v = len(kinds)
        parents.append(parent)
        actions.append(action)
        labels.append(label)
        if typ == "t":
            kinds.append(TERMINAL)
            node_iset.append(-1)
            n_children.append(0)
        elif typ == "p" or typ == "c":
            is_chance = typ == "c"
            if is_chance:
                player = -1
            else:
                tok = toks[i]
                if not tok.isdigit():
                    raise _Fallback
                player = int(tok) - 1
                i += 1
                if not 0 <= player < n_players:
                    raise _Fallback
            tok = toks[i]
            if not tok.isdigit():
                raise _Fallback
            num = int(tok)
            i += 1
            if num < 1:
                raise _Fallback
            key = (player, num)
            h = infoset_ids.get(key)
            if toks[i][0] == '"':
                ilabel = string(i)
                if toks[i + 1] != "{":
                    raise _Fallback
                i += 2
                acts: list[str] = []
                probs: list[Fraction] = []
                while toks[i] != "}":
                    acts.append(string(i))
                    i += 1
                    if is_chance:
                        while toks[i] == ",":
                            i += 1
                        p = parse_number(toks[i])
                        if p < 0:
                            raise _Fallback
                        probs.append(p)
                        i += 1
                        while toks[i] == ",":
                            i += 1
                i += 1
                if not acts or (is_chance and sum(probs, Fraction(0)) != 1):
                    raise _Fallback
                if h is None:
                    h = infoset_ids[key] = len(raw.infosets)
                    raw.infosets.append(
                        _RawInfoset(player, ilabel, acts, probs if is_chance else None)
                    )
                else:
                    old = raw.infosets[h]
                    if (
                        ilabel != old.label
                        or acts != old.actions
                        or (probs if is_chance else None) != old.probs
                    ):
                        raise _Fallback
            elif h is None:
                raise _Fallback
            kinds.append(CHANCE if is_chance else DECISION)
            node_iset.append(h)
            k = len(raw.infosets[h].actions)
            n_children.append(k)
            open_nodes.append([v, k])
        else:
            raise _Fallback
        # The outcome.
        tok = toks[i]
        if not tok.isdigit():
            raise _Fallback
        num = int(tok)
        i += 1
        if i < n_toks and toks[i][0] == '"':
            olabel = string(i)
            if toks[i + 1] != "{" or num == 0:
                raise _Fallback
            i += 2
            vals: list[Number] = []
            while True:
                while toks[i] == ",":
                    i += 1
                if toks[i] == "}":
                    break
                vals.append(number(toks[i]))
                i += 1
            i += 1
            if len(vals) != n_players:
                raise _Fallback
            o = outcome_ids.get(num)
            if o is None:
                o = outcome_ids[num] = len(raw.outcomes)
                raw.outcomes.append(Outcome(olabel, tuple(vals)))
            elif tuple(vals) != raw.outcomes[o].payoffs:
                raise _Fallback
            node_out.append(o)
        elif num == 0:
            node_out.append(-1)
        else:
            o = outcome_ids.get(num)
            if o is None:
                raise _Fallback
            node_out.append(o)
    if not kinds or open_nodes:
        raise _Fallback
    return raw, title, comment


def _efg_actions(r: _Reader, is_chance: bool) -> tuple[list[str], list[Fraction] | None]:
    start = r.expect("{", "'{' opening the list of actions")
    acts: list[str] = []
    probs: list[Fraction] = []
    while True:
        tok = r.next("a quoted action label or '}'")
        if tok.kind == "}":
            break
        if tok.kind != "str":
            raise r.error(f"expected a quoted action label or '}}', found {tok.show()}", tok)
        acts.append(tok.text)
        if is_chance:
            r.skip_commas()
            p = r.number(f'the probability of chance action "{tok.text}" (a number)')
            assert isinstance(p, Fraction)
            if p < 0:
                raise r.error(f'the probability of chance action "{tok.text}" is negative', tok)
            probs.append(p)
            r.skip_commas()
    if not acts:
        raise r.error("the list of actions is empty; expected at least one action", start)
    if is_chance:
        total = sum(probs, Fraction(0))
        if total != 1:
            raise r.error(f"chance probabilities sum to {total}, expected 1", start)
        return acts, probs
    return acts, None


def _efg_outcome(
    r: _Reader, raw: _RawTree, outcome_ids: dict[int, int], n_players: int, floats: bool
) -> int:
    number, ntok = r.integer("an outcome number (0 for none)")
    if not r.at("str"):
        if number == 0:
            return -1
        if number not in outcome_ids:
            raise r.error(
                f"outcome {number} appears for the first time without its label and payoffs; "
                "expected a quoted label and '{'",
                ntok,
            )
        return outcome_ids[number]
    label = r.string("the outcome label")
    r.expect("{", f"'{{' opening the payoffs of outcome {number}")
    vals: list[Number] = []
    while True:
        r.skip_commas()
        tok = r.next(f"a payoff of outcome {number} or '}}'")
        if tok.kind == "}":
            break
        vals.append(
            r.to_number(tok, f"a payoff of outcome {number} (a number) or '}}'", floats=floats)
        )
    if len(vals) != n_players:
        raise r.error(
            f"expected {n_players} payoffs (one per player) in outcome {number}, found {len(vals)}",
            ntok,
        )
    if number == 0:
        raise r.error("outcome 0 means 'no outcome' and cannot have payoffs", ntok)
    if number in outcome_ids:
        old = raw.outcomes[outcome_ids[number]]
        if tuple(vals) != old.payoffs:
            raise r.error(
                f"outcome {number} is redefined with other payoffs than at its first appearance",
                ntok,
            )
        return outcome_ids[number]
    outcome_ids[number] = len(raw.outcomes)
    raw.outcomes.append(Outcome(label, tuple(vals)))
    return outcome_ids[number]


def read_efg(source: str | Path) -> ExtensiveFormGame:
    """Read a Gambit ``.efg`` file (a path; a string holding the file's text also works).

    Raises
    ------
    FormatError
        When the file cannot be read or is malformed.
    """
    if _looks_like_text(source, "EFG"):
        return parse_efg(str(source))
    return parse_efg(_read_text(source), path=source)


def write_efg(game: ExtensiveFormGame, path: str | Path | None = None) -> str:
    """The game as ``.efg`` text; also written to ``path`` when given.

    Labels are written as the game holds them from its file or model (empty
    labels stay empty), so reading the text back gives an equal game.

    >>> from equishift.games.extensive_form import Decision, Terminal
    >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
    ...     "x": Terminal((0,), outcome="zero"), "y": Terminal(("1/2",))}, infoset="I"))
    >>> print(write_efg(g), end="")
    EFG 2 R "" { "A" }
    ""
    <BLANKLINE>
    p "" 1 1 "I" { "x" "y" } 0
    t "" 1 "zero" { 0 }
    t "" 2 "" { 1/2 }
    """
    floats = not game.is_exact
    t = game.tree
    players = " ".join(_quote(p) for p in game.file_players)
    lines = [
        f"EFG 2 {'D' if floats else 'R'} {_quote(game.title)} {{ {players} }}",
        _quote(game.comment),
        "",
    ]
    cols = game.infoset_columns()
    heads: list[tuple[str, str]] = []  # per information set, the node line after its label
    acts_memo: dict[Any, str] = {}
    for g in range(len(cols.labels)):
        file_label = cols.file_labels[g]
        file_actions = cols.file_actions[g]
        probs = cols.probs[g]
        key = (file_actions, probs)
        acts = acts_memo.get(key)
        if acts is None:
            if probs is not None:
                acts = " ".join(
                    f"{_quote(a)} {_fmt(p, False)}"
                    for a, p in zip(file_actions, probs, strict=True)
                )
            else:
                acts = " ".join(_quote(a) for a in file_actions)
            acts_memo[key] = acts
        who = "" if probs is not None else f"{int(cols.player[g]) + 1} "
        rest = f"{who}{int(cols.local_index[g]) + 1} {_quote(file_label)} {{ {acts} }}"
        heads.append(("c" if probs is not None else "p", rest))
    values, scale = game.scaled_outcome_payoffs()
    numbers: dict[int, int] = {}
    pay_memo: dict[tuple[Any, ...], str] = {}
    kinds = t.kind.tolist()
    node_infoset = t.infoset.tolist()
    node_outcome = t.outcome.tolist()
    for v in range(game.n_nodes):
        label = _quote(game.node_label(v))
        if kinds[v] == TERMINAL:
            head = f"t {label}"
        else:
            typ, rest = heads[node_infoset[v]]
            head = f"{typ} {label} {rest}"
        o = node_outcome[v]
        if o < 0:
            lines.append(f"{head} 0")
        else:
            if o not in numbers:
                numbers[o] = len(numbers) + 1
            row = tuple(values[o].tolist())
            pays = pay_memo.get(row)
            if pays is None:
                nums = [Fraction(x, scale) for x in row] if not floats else list(row)
                pays = pay_memo[row] = ", ".join(_fmt(x, floats) for x in nums)
            olabel = game.outcome_label(o)
            lines.append(f"{head} {numbers[o]} {_quote(olabel)} {{ {pays} }}")
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


# ---------------------------------------------------------------------------------------------
# Either
# ---------------------------------------------------------------------------------------------
def parse_game(text: str, *, path: str | Path | None = None) -> NormalFormGame | ExtensiveFormGame:
    """Parse ``.nfg`` or ``.efg`` text, choosing by its header.

    >>> parse_game('EFG 2 R "" { "A" } "" t "" 0').n_nodes
    1
    >>> parse_game("hello")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: <text>:1: expected a Gambit game starting with 'NFG' \
(strategic form) or 'EFG' (extensive form), found 'hello'
    """
    head = _FAST_TOKEN.match(text, len(text) - len(text.lstrip()))
    if head is not None and head.group() in ("NFG", "EFG"):  # no need to tokenize it all
        parse = parse_nfg if head.group() == "NFG" else parse_efg
        return parse(text, path=path)
    r = _Reader(text, path)
    tok = r.peek()
    if tok is not None and tok.kind == "word" and tok.text == "NFG":
        return parse_nfg(text, path=path)
    if tok is not None and tok.kind == "word" and tok.text == "EFG":
        return parse_efg(text, path=path)
    found = "the end of the file" if tok is None else tok.show()
    raise r.error(
        "expected a Gambit game starting with 'NFG' (strategic form) or 'EFG' "
        f"(extensive form), found {found}",
        tok,
    )


def read_game(path: str | Path) -> NormalFormGame | ExtensiveFormGame:
    """Read a Gambit ``.nfg`` or ``.efg`` file, choosing the form by its header.

    Raises
    ------
    FormatError
        When the file cannot be read, is neither format, or is malformed.
    """
    return parse_game(_read_text(path), path=path)
