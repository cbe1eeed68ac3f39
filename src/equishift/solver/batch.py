"""Vectorised batches of games: millions of 2x2 samples per second for robustness analysis.

Robustness analysis solves the same small game at many sampled payoffs. This
module does that for whole arrays of games at once, with results identical to
the per-game functions (tests check every function against them):

========================================  ===============================================
batch function                            per-game equivalent
========================================  ===============================================
:func:`pure_equilibria_2x2`               :func:`equishift.solver.pure.pure_equilibria`
:func:`classify_2x2`                      :func:`equishift.games.taxonomy.classify`
:func:`mixed_equilibrium_2x2`             the completely mixed equilibrium of ``solve``
:func:`pure_equilibria_batch`             :func:`~equishift.solver.pure.pure_equilibria`
========================================  ===============================================

Input
-----
A batch of ``k`` 2x2 games is two arrays ``A`` (row player) and ``B`` (column
player) of shape ``(k, 2, 2)``; ``A[g, r, c]`` is the row player's payoff in
game ``g`` when row ``r`` meets column ``c``. Any integer dtype (signed or
unsigned, 8 to 64 bits) or floating dtype (16 to 64 bits) is accepted, and
``A`` and ``B`` may have different dtypes:

- comparisons (pure equilibria, classification) are made in the input dtype,
  exactly, so narrow integers (``int8``) are the fastest input - they move the
  fewest bytes;
- the mixed equilibrium is computed in ``float64``; integer payoffs give the
  exact indifference probabilities, correctly rounded, as long as their
  magnitude is below ``2**50`` (larger 64-bit integers raise
  :class:`~equishift.games.errors.GameError`);
- a NaN payoff raises :class:`~equishift.games.errors.GameError` naming the
  game, as :class:`~equishift.games.normal_form.NormalFormGame` does. Infinite
  payoffs compare as ordered values in the pure and classification functions and
  are rejected by :func:`mixed_equilibrium_2x2`;
- booleans, complex numbers and objects are rejected. Bad shapes raise
  :class:`~equishift.games.errors.GameError` with the shape found and expected.

Method
------
The arrays are processed in chunks of games that stay in the L2 cache (the
``chunk`` argument; chosen by dtype by default), with preallocated buffers and
in-place ufuncs, so the memory used beyond the result is a few MiB whatever ``k``
is. Each chunk is read as one flat contiguous array; comparing it with itself
shifted by one, two or three elements compares every pair of cells of every game
in one SIMD pass (the pairs that straddle two games are masked or shifted away
afterwards). The byte-sized boolean results are then combined four at a time as
``uint32`` words, one word per game.
Classification computes each player's four ranks (the number of cells strictly
below each cell, accumulated byte-wise from the shifted comparisons) and packs
them into 8 bits; the two players' codes index one table of 65536 class ids,
built once from :func:`equishift.games.taxonomy.classify_ordinal` on all 576
strict ordinal games. Every other code (some rank repeated: a tie) maps to
:data:`TIED`.

Examples
--------
>>> import numpy as np
>>> A = np.array([[[3, 0], [5, 1]], [[4, 0], [3, 2]]], dtype=np.int8)  # PD, Stag Hunt
>>> B = A.transpose(0, 2, 1).copy()
>>> pure_equilibria_2x2(A, B).reshape(2, 4).astype(int)
array([[0, 0, 0, 1],
       [1, 0, 0, 1]])
>>> class_names(classify_2x2(A, B))
["Prisoner's Dilemma", 'Stag Hunt']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any, Final, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..games.errors import GameError, SolverError
from ..games.taxonomy import Classification, all_strict_games, classify_ordinal, periodic_table

__all__ = [
    "STREAM_CHUNK",
    "TIED",
    "class_names",
    "class_table",
    "classify_2x2",
    "iter_chunks",
    "mixed_equilibrium_2x2",
    "pure_equilibria_2x2",
    "pure_equilibria_batch",
]

T = TypeVar("T")

STREAM_CHUNK: Final = 2**18
"""Default number of samples per chunk in :func:`iter_chunks`."""

TIED: Final = -1
"""Class id of a game in which some player has two equal payoffs (never forced to a class)."""

_MAX_EXACT: Final = 2**50  # integer magnitudes below this are exact in float64 sums

# -- input checks -------------------------------------------------------------------------


def _as_payoffs(x: ArrayLike, name: str) -> NDArray[Any]:
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise GameError(
            f"{name} has dtype {arr.dtype}; expected integer or floating payoffs "
            "(booleans, complex numbers and objects are not accepted)"
        )
    return arr


def _check_2x2(a_in: ArrayLike, b_in: ArrayLike) -> tuple[NDArray[Any], NDArray[Any]]:
    a = _as_payoffs(a_in, "A")
    b = _as_payoffs(b_in, "B")
    for name, arr in (("A", a), ("B", b)):
        if arr.ndim != 3 or arr.shape[1:] != (2, 2):
            raise GameError(
                f"{name} has shape {arr.shape}; expected (k, 2, 2): one 2x2 payoff matrix per game"
            )
    if a.shape[0] != b.shape[0]:
        raise GameError(
            f"A holds {a.shape[0]} games and B holds {b.shape[0]}; expected the same number"
        )
    return a, b


def _check_chunk(chunk: int) -> int:
    if isinstance(chunk, bool) or not isinstance(chunk, int | np.integer) or chunk < 1:
        raise SolverError(f"chunk must be a positive integer, got {chunk!r}")
    return int(chunk)


def _chunk_for(chunk: int | None, *arrays: NDArray[Any]) -> int:
    """``chunk`` checked, or by default one that keeps a chunk's work in the L2 cache.

    65536 games for 1- and 2-byte payoffs, 32768 for 4-byte and 16384 for 8-byte ones.
    """
    if chunk is not None:
        return _check_chunk(chunk)
    widest = max(arr.dtype.itemsize for arr in arrays)
    return 65536 // max(1, widest // 2)


def _flat(arr: NDArray[Any], start: int, stop: int) -> NDArray[Any]:
    """Games ``start:stop`` as one flat contiguous array (a view when already contiguous)."""
    return np.ascontiguousarray(arr[start:stop]).reshape(-1)


def _raise_nan(arr: NDArray[Any], name: str, start: int, stop: int) -> None:
    """Raise a GameError naming the first game in ``start:stop`` with a NaN payoff."""
    bad = np.isnan(arr[start:stop].reshape(stop - start, -1)).any(axis=1)
    game = start + int(np.argmax(bad))
    raise GameError(f"{name}[{game}] has a NaN payoff; expected finite numbers")


# -- pure equilibria of 2x2 games -----------------------------------------------------------

# Masks on one uint32 word per game: byte j is cell j of the game (j = 2 r + c).
_ROW0: Final = np.uint32(0x0000FFFF)  # cells (0, 0) and (0, 1); the rest is row 1
_COL0: Final = np.uint32(0x00FF00FF)  # cells (0, 0) and (1, 0); the rest is column 1


class _PureBuffers:
    """Scratch space for one chunk of :func:`pure_equilibria_2x2`."""

    def __init__(self, chunk: int) -> None:
        self.fwd = np.zeros(4 * chunk, dtype=bool)
        self.bwd = np.zeros(4 * chunk, dtype=bool)
        self.fwd32 = self.fwd.view(np.uint32)
        self.bwd32 = self.bwd.view(np.uint32)
        self.tmp = np.empty(chunk, dtype=np.uint32)

    def best_responses(self, flat: NDArray[Any], shift: int, mask_fwd: np.uint32) -> None:
        """Best-response bytes of one player into ``fwd32`` (one uint32 per game).

        Shift 2 compares the two rows (row player), shift 1 the two columns (column player).
        """
        m = flat.shape[0]
        c = m // 4
        np.greater_equal(flat[:-shift], flat[shift:], out=self.fwd[: m - shift])
        np.greater_equal(flat[shift:], flat[:-shift], out=self.bwd[shift:m])
        fwd, bwd, tmp = self.fwd32[:c], self.bwd32[:c], self.tmp[:c]
        np.bitwise_and(fwd, mask_fwd, out=fwd)
        np.bitwise_and(bwd, ~mask_fwd, out=tmp)
        np.bitwise_or(fwd, tmp, out=fwd)


def _nan_in_masks(words: NDArray[np.uint32], shift: int) -> bool:
    """True when some cell is neither >= nor <= its counterpart, i.e. is NaN."""
    either = words | (words >> np.uint32(8 * shift))
    lows = np.uint32(0x00000101 if shift == 2 else 0x00010001)
    return bool(np.any((either & lows) != lows))


def pure_equilibria_2x2(
    A: ArrayLike, B: ArrayLike, *, chunk: int | None = None
) -> NDArray[np.bool_]:
    """Pure-strategy Nash equilibria of many 2x2 games at once.

    Parameters
    ----------
    A, B
        Row and column player's payoffs, shape ``(k, 2, 2)``, integer or floating
        (see the module docstring for dtypes). Compared exactly in their own dtype.
    chunk
        Games per chunk (cache use; the result does not depend on it). By default
        65536 for 1- and 2-byte payoffs, 32768 for 4-byte and 16384 for 8-byte ones.

    Returns
    -------
    numpy.ndarray
        Boolean, shape ``(k, 2, 2)``: ``out[g, r, c]`` is true when the profile
        ``(r, c)`` is a pure equilibrium of game ``g`` (ties count as best
        responses, as in :func:`equishift.solver.pure.pure_equilibria`).

    Raises
    ------
    GameError
        On a bad shape or dtype, or a NaN payoff.

    Examples
    --------
    >>> import numpy as np
    >>> chicken_a = np.array([[[3, 2], [4, 0]]])
    >>> pure_equilibria_2x2(chicken_a, chicken_a.transpose(0, 2, 1))[0]
    array([[False,  True],
           [ True, False]])
    >>> pure_equilibria_2x2(np.zeros((0, 2, 2)), np.zeros((0, 2, 2))).shape
    (0, 2, 2)
    """
    a, b = _check_2x2(A, B)
    step = _chunk_for(chunk, a, b)
    k = a.shape[0]
    out = np.empty((k, 2, 2), dtype=bool)
    words = out.reshape(-1).view(np.uint32)
    buf = _PureBuffers(min(step, max(k, 1)))
    floats = (a.dtype.kind == "f", b.dtype.kind == "f")
    for start in range(0, k, step):
        stop = min(k, start + step)
        res = words[start:stop]
        buf.best_responses(_flat(a, start, stop), 2, _ROW0)
        if floats[0] and _nan_in_masks(buf.fwd32[: stop - start], 2):
            _raise_nan(a, "A", start, stop)
        res[...] = buf.fwd32[: stop - start]
        buf.best_responses(_flat(b, start, stop), 1, _COL0)
        if floats[1] and _nan_in_masks(buf.fwd32[: stop - start], 1):
            _raise_nan(b, "B", start, stop)
        np.bitwise_and(res, buf.fwd32[: stop - start], out=res)
    return out


# -- classification -------------------------------------------------------------------------


class _ClassifyBuffers:
    """Scratch space for one chunk of :func:`classify_2x2`."""

    def __init__(self, chunk: int) -> None:
        # ``up`` and ``down`` hold byte-wise comparisons; once both players' codes are
        # made, the same memory holds the table indices.
        scratch = np.empty(8 * chunk, dtype=np.uint8)
        self.up = scratch[: 4 * chunk].view(bool)
        self.down = scratch[4 * chunk :].view(bool)
        self.index = scratch.view(np.intp)
        self.tmp = np.empty(chunk, dtype=np.uint32)
        self.rot = np.empty(chunk, dtype=np.uint32)
        self.codes = (np.empty(chunk, dtype=np.uint32), np.empty(chunk, dtype=np.uint32))

    def rank_code(self, flat: NDArray[Any], code: NDArray[np.uint32]) -> NDArray[np.uint32]:
        """Each game's ranks ``r_j = #{cells below cell j}`` as ``r_0 + 4 r_1 + 16 r_2 + 64 r_3``.

        Byte ``j`` of a game's uint32 word accumulates ``r_j``; one multiplication then
        gathers the four 2-bit ranks into the top byte.
        """
        if flat.dtype.itemsize == 1:
            self._rotated_ranks(flat, code)
        else:
            self._shifted_ranks(flat, code)
        np.multiply(code, np.uint32(0x01041040), out=code)
        np.right_shift(code, np.uint32(24), out=code)
        return code

    def _rotated_ranks(self, flat: NDArray[Any], code: NDArray[np.uint32]) -> None:
        """Ranks of 1-byte payoffs: each game is one uint32 word, rotated cell by cell.

        After ``k`` rotations byte ``j`` of the word holds the game's cell ``j + k`` (mod 4),
        so comparing the rotated words with the payoffs compares every cell with every
        other cell of its own game, and no comparison straddles two games:
        ``r_j = sum over k = 1, 2, 3 of [cell j+k < cell j]``.
        """
        c = flat.shape[0] // 4
        rot, tmp = self.rot[:c], self.tmp[:c]
        cells = flat.view(np.uint32)
        up, down = self.up.view(np.uint32)[:c], self.down.view(np.uint32)[:c]
        for k in (1, 2, 3):
            src = cells if k == 1 else rot
            np.left_shift(src, np.uint32(24), out=tmp)
            np.right_shift(src, np.uint32(8), out=rot)
            np.bitwise_or(rot, tmp, out=rot)
            np.less(rot.view(flat.dtype), flat, out=(self.up if k == 1 else self.down)[: 4 * c])
            if k == 2:
                np.add(up, down, out=code)
            elif k == 3:
                np.add(code, down, out=code)

    def _shifted_ranks(self, flat: NDArray[Any], code: NDArray[np.uint32]) -> None:
        """Ranks of wider payoffs: the flat array compared with itself shifted.

        For a distance ``d``, ``up[p] = cell p < cell p+d`` is shifted up ``d`` bytes (to
        cell p+d) and ``down[p] = cell p < cell p-d`` down ``d`` bytes (to cell p-d); the
        comparisons that straddle two games are exactly the bytes shifted out of the word.
        """
        m = flat.shape[0]
        c = m // 4
        tmp = self.tmp[:c]
        up, down = self.up.view(np.uint32)[:c], self.down.view(np.uint32)[:c]
        for d in (1, 2, 3):
            np.less(flat[:-d], flat[d:], out=self.up[: m - d])
            np.less(flat[d:], flat[:-d], out=self.down[d:m])
            if d == 1:
                np.left_shift(up, np.uint32(8), out=code)
            else:
                np.left_shift(up, np.uint32(8 * d), out=tmp)
                np.add(code, tmp, out=code)
            np.right_shift(down, np.uint32(8 * d), out=tmp)
            np.add(code, tmp, out=code)


def _rank_code(values: Sequence[Any]) -> int:
    """:meth:`_ClassifyBuffers.rank_code` of one game, in plain Python."""
    ranks = [sum(1 for w in values if w < v) for v in values]
    return ranks[0] | ranks[1] << 2 | ranks[2] << 4 | ranks[3] << 6


@lru_cache(maxsize=1)
def _tables() -> tuple[NDArray[np.int16], tuple[Classification, ...]]:
    """Class id by ``rank_code(A) << 8 | rank_code(B)`` (TIED unless both are strict)."""
    table = periodic_table()
    positions = list(table)
    class_of = np.full(1 << 16, TIED, dtype=np.int16)
    for game in all_strict_games():
        row = tuple(game[r][c][0] for r in range(2) for c in range(2))
        col = tuple(game[r][c][1] for r in range(2) for c in range(2))
        pos = classify_ordinal(game).rg_position
        if pos is None:  # pragma: no cover - strict games always have a position
            raise AssertionError("a strict game has no periodic-table position")
        # Strict ranks are 1-4 here and 0-3 in the code: the code only uses their order.
        class_of[_rank_code(row) << 8 | _rank_code(col)] = positions.index(pos)
    return class_of, tuple(table[p] for p in positions)


def class_table() -> tuple[Classification, ...]:
    """The 144 strict classes, indexed by the class ids of :func:`classify_2x2`.

    Entry ``i`` is the :class:`~equishift.games.taxonomy.Classification` of the
    class's oriented form, in :func:`~equishift.games.taxonomy.periodic_table`
    order (layer, row, column).

    Examples
    --------
    >>> table = class_table()
    >>> len(table), table[0].name, table[0].rg_id
    (144, "Prisoner's Dilemma", '111')
    """
    return _tables()[1]


def class_names(ids: ArrayLike) -> list[str]:
    """Names of class ids from :func:`classify_2x2`; :data:`TIED` becomes ``"tied"``.

    Raises
    ------
    GameError
        When an id is neither :data:`TIED` nor a valid index of :func:`class_table`.

    Examples
    --------
    >>> class_names([0, -1, 72])
    ["Prisoner's Dilemma", 'tied', 'Stag Hunt']
    """
    table = class_table()
    out: list[str] = []
    for i in np.asarray(ids).reshape(-1).tolist():
        if i == TIED:
            out.append("tied")
        elif isinstance(i, int) and 0 <= i < len(table):
            out.append(table[i].name)
        else:
            raise GameError(f"{i!r} is not a class id; expected -1 (tied) or 0-{len(table) - 1}")
    return out


def classify_2x2(A: ArrayLike, B: ArrayLike, *, chunk: int | None = None) -> NDArray[np.int16]:
    """Class ids of many 2x2 games, as :func:`equishift.games.taxonomy.classify` classifies them.

    Parameters
    ----------
    A, B
        Row and column player's payoffs, shape ``(k, 2, 2)``, integer or floating;
        only the order of each player's four payoffs counts, compared exactly.
    chunk
        Games per chunk (the result does not depend on it); by default chosen by
        dtype as in :func:`pure_equilibria_2x2`.

    Returns
    -------
    numpy.ndarray
        ``int16`` of shape ``(k,)``: the index into :func:`class_table` of the
        game's strict class (its Robinson–Goforth position), or :data:`TIED`
        (-1) when either player has two equal payoffs - ties are never broken.

    Raises
    ------
    GameError
        On a bad shape or dtype, or a NaN payoff.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[[3, 0], [5, 1]], [[3, 2], [4, 0]], [[1, 1], [0, 2]]])
    >>> ids = classify_2x2(A, A.transpose(0, 2, 1))
    >>> ids.tolist(), class_names(ids)
    ([0, 7, -1], ["Prisoner's Dilemma", 'Chicken', 'tied'])
    >>> [class_table()[i].rg_id for i in ids[:2]]
    ['111', '122']
    """
    a, b = _check_2x2(A, B)
    step = _chunk_for(chunk, a, b)
    class_of = _tables()[0]
    floats = a.dtype.kind == "f" or b.dtype.kind == "f"
    k = a.shape[0]
    out = np.empty(k, dtype=np.int16)
    buf = _ClassifyBuffers(min(step, max(k, 1)))
    for start in range(0, k, step):
        stop = min(k, start + step)
        c = stop - start
        row = buf.rank_code(_flat(a, start, stop), buf.codes[0][:c])
        col = buf.rank_code(_flat(b, start, stop), buf.codes[1][:c])
        np.left_shift(row, np.uint32(8), out=row)
        index = buf.index[:c]
        np.bitwise_or(row, col, out=index)
        res = out[start:stop]
        class_of.take(index, out=res, mode="clip")  # every index is below 65536
        if floats and np.any(res == TIED):
            # A NaN compares neither < nor >, so it looks like a tie: check tied games only.
            tied = res == TIED
            for name, arr in (("A", a), ("B", b)):
                if arr.dtype.kind == "f" and np.isnan(arr[start:stop][tied]).any():
                    _raise_nan(arr, name, start, stop)
    return out


# -- completely mixed equilibrium of 2x2 games ------------------------------------------------


class _MixedBuffers:
    """Scratch space for one chunk of :func:`mixed_equilibrium_2x2`."""

    def __init__(self, chunk: int) -> None:
        self.cells = np.empty((chunk, 4), dtype=np.float64)
        self.own = np.empty(chunk, dtype=np.float64)
        self.den = np.empty(chunk, dtype=np.float64)
        self.flag = np.empty(chunk, dtype=bool)

    def as_float(self, arr: NDArray[Any], name: str, start: int, stop: int) -> NDArray[Any]:
        """Games ``start:stop`` as ``(n, 4)`` float64, refusing integers float64 cannot hold."""
        part = arr[start:stop].reshape(stop - start, 4)
        if arr.dtype == np.float64:
            return part
        wide = arr.dtype.kind in "iu" and arr.dtype.itemsize >= 8 and part.size > 0
        if wide and (int(part.max()) >= _MAX_EXACT or int(part.min()) <= -_MAX_EXACT):
            raise GameError(
                f"{name} has integer payoffs of magnitude 2**50 or more; the batch mixed "
                "equilibrium is exact only below that (pass floats, or solve those games "
                "one by one)"
            )
        cells = self.cells[: stop - start]
        np.copyto(cells, part)  # one contiguous conversion, exact
        return cells

    def indifference(
        self,
        cells: NDArray[Any],
        own: tuple[int, int],
        other: tuple[int, int],
        out: NDArray[np.float64],
        valid: NDArray[np.bool_],
        exact_ints: bool = False,
    ) -> bool:
        """``out = gap(other) / (gap(own) + gap(other))``, NaN where the sum is 0.

        ``gap((i, j)) = cells[:, i] - cells[:, j]``; ``valid`` where ``0 < out < 1``.
        Returns False when some denominator is not finite (a NaN or infinite payoff,
        or an overflow). ``exact_ints``: the cells came from integers (below
        ``2**50``), whose sums are always finite, so that check is skipped.
        """
        c = cells.shape[0]
        own_gap, den, flag = self.own[:c], self.den[:c], self.flag[:c]
        np.subtract(cells[:, own[0]], cells[:, own[1]], out=own_gap)
        np.subtract(cells[:, other[0]], cells[:, other[1]], out=out)
        np.add(own_gap, out, out=den)
        np.divide(out, den, out=out)
        np.greater(out, 0.0, out=valid)
        np.less(out, 1.0, out=flag)
        np.logical_and(valid, flag, out=valid)
        np.equal(den, 0.0, out=flag)
        if flag.any():
            np.copyto(out, np.nan, where=flag)
        return exact_ints or bool(np.isfinite(den).all())


def _check_finite(arr: NDArray[Any], name: str, start: int, stop: int) -> None:
    if arr.dtype.kind != "f":
        return
    bad = ~np.isfinite(arr[start:stop].reshape(stop - start, 4)).all(axis=1)
    if bad.any():
        game = start + int(np.argmax(bad))
        raise GameError(f"{name}[{game}] has a NaN or infinite payoff; expected finite numbers")


def mixed_equilibrium_2x2(
    A: ArrayLike, B: ArrayLike, *, chunk: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """The completely mixed equilibrium of many 2x2 games, in closed form.

    The row player plays row 0 with probability ``p`` and the column player
    plays column 0 with probability ``q``, each making the *other* player
    indifferent::

        p = (b11 - b10) / (b00 - b01 - b10 + b11)
        q = (a11 - a01) / (a00 - a01 - a10 + a11)

    When both denominators are non-zero and both ratios lie strictly between 0
    and 1, ``(p, q)`` is the game's unique equilibrium in which both players mix.
    Games where no such point exists (or where a player is indifferent whatever
    the other does, so that mixed equilibria form a continuum) are marked invalid.

    Parameters
    ----------
    A, B
        Row and column player's payoffs, shape ``(k, 2, 2)``, integer or floating;
        computed in float64 (exact, correctly rounded ``p`` and ``q`` for integers
        below ``2**50`` in magnitude).
    chunk
        Games per chunk (the result does not depend on it); 16384 by default.

    Returns
    -------
    p, q : numpy.ndarray
        float64, shape ``(k,)``: the indifference probabilities where their
        denominator is non-zero (possibly outside ``(0, 1)``), NaN where it is zero.
    valid : numpy.ndarray
        bool, shape ``(k,)``: both denominators non-zero and ``0 < p, q < 1``.

    Raises
    ------
    GameError
        On a bad shape or dtype, a NaN or infinite payoff, or 64-bit integers of
        magnitude ``2**50`` or more.

    Examples
    --------
    >>> import numpy as np
    >>> bos_a = np.array([[[2, 0], [0, 1]]])
    >>> bos_b = np.array([[[1, 0], [0, 2]]])
    >>> p, q, valid = mixed_equilibrium_2x2(bos_a, bos_b)
    >>> p.tolist(), q.tolist(), valid.tolist()
    ([0.6666666666666666], [0.3333333333333333], [True])
    >>> mixed_equilibrium_2x2(np.array([[[3, 0], [5, 1]]]), np.array([[[3, 5], [0, 1]]]))[2]
    array([False])
    """
    a, b = _check_2x2(A, B)
    step = 16384 if chunk is None else _check_chunk(chunk)
    k = a.shape[0]
    p = np.empty(k, dtype=np.float64)
    q = np.empty(k, dtype=np.float64)
    valid = np.empty(k, dtype=bool)
    buf = _MixedBuffers(min(step, max(k, 1)))
    ints_a, ints_b = a.dtype.kind in "iu", b.dtype.kind in "iu"  # finite gaps (below 2**50)
    valid_q = np.empty(min(step, max(k, 1)), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for start in range(0, k, step):
            stop = min(k, start + step)
            vq, vp = valid_q[: stop - start], valid[start:stop]
            # Row player indifferent: q (a00 - a10) = (1 - q) (a11 - a01); cells 0..3 = 00..11.
            if not buf.indifference(
                buf.as_float(a, "A", start, stop), (0, 2), (3, 1), q[start:stop], vq, ints_a
            ):
                _check_finite(a, "A", start, stop)
            # Column player indifferent: p (b00 - b01) = (1 - p) (b11 - b10).
            if not buf.indifference(
                buf.as_float(b, "B", start, stop), (0, 1), (3, 2), p[start:stop], vp, ints_b
            ):
                _check_finite(b, "B", start, stop)
            np.logical_and(vp, vq, out=vp)
    return p, q, valid


# -- general games ----------------------------------------------------------------------------


def pure_equilibria_batch(
    U: ArrayLike, *, tol: float = 0.0, chunk: int | None = None
) -> NDArray[np.bool_]:
    """Pure-strategy equilibria of a batch of N-player games of one shape.

    Parameters
    ----------
    U
        Payoffs of shape ``(k, n_1, ..., n_N, N)``: ``U[g, s..., i]`` is player
        ``i``'s payoff in game ``g`` at pure profile ``s`` - the layout of
        :attr:`NormalFormGame.payoffs <equishift.games.normal_form.NormalFormGame.payoffs>`
        with a leading batch axis. Integer or floating.
    tol
        Floating payoffs only: a deviation must gain more than ``tol`` to count,
        as in :func:`equishift.solver.pure.pure_equilibria`.
    chunk
        Games per chunk; by default about 1 MiB of payoffs. Each chunk allocates a
        few temporaries of that size, whatever the number of games.

    Returns
    -------
    numpy.ndarray
        Boolean, shape ``(k, n_1, ..., n_N)``: true at the pure equilibria.

    Raises
    ------
    GameError
        On a bad shape or dtype, a NaN payoff, or a negative ``tol``.

    Examples
    --------
    >>> import numpy as np
    >>> coordination = np.zeros((1, 2, 2, 2, 3), dtype=np.int8)  # 3 players, 2 strategies
    >>> coordination[0, 0, 0, 0] = coordination[0, 1, 1, 1] = 1
    >>> np.argwhere(pure_equilibria_batch(coordination)[0]).tolist()
    [[0, 0, 0], [1, 1, 1]]
    """
    u = _as_payoffs(U, "U")
    n = u.ndim - 2
    if n < 1 or u.shape[-1] != n or any(s == 0 for s in u.shape[1:-1]):
        raise GameError(
            f"U has shape {u.shape}; expected (k, n_1, ..., n_N, N) with N >= 1 players, at "
            "least one strategy each, and N payoffs in every cell"
        )
    if not tol >= 0.0:
        raise GameError(f"tol must be a non-negative number, got {tol!r}")
    k = u.shape[0]
    cell_bytes = max(1, int(np.prod(u.shape[1:])) * u.dtype.itemsize)
    step = max(1, 2**20 // cell_bytes) if chunk is None else _check_chunk(chunk)
    out = np.empty(u.shape[:-1], dtype=bool)
    floats = u.dtype.kind == "f"
    for start in range(0, k, step):
        stop = min(k, start + step)
        part = u[start:stop]
        if floats and np.isnan(part).any():
            _raise_nan(u, "U", start, stop)
        res = out[start:stop]
        res.fill(True)
        for i in range(n):
            ui = part[..., i]
            best = ui.max(axis=i + 1, keepdims=True)
            if floats and tol > 0.0:
                res &= ui >= best - tol
            else:
                res &= ui == best
    return out


# -- streaming ----------------------------------------------------------------------------------


def iter_chunks(
    sampler: Callable[[int, int], T], total: int, chunk: int = STREAM_CHUNK
) -> Iterator[T]:
    """Draw ``total`` samples in chunks, so peak memory does not grow with ``total``.

    Parameters
    ----------
    sampler
        Called as ``sampler(start, size)`` for consecutive ranges that cover
        ``0..total`` exactly; returns the samples of that range (e.g. a pair of
        payoff arrays). Seeding from ``start`` (e.g.
        ``np.random.default_rng([seed, start])``) makes every chunk reproducible
        on its own; one generator drawn in order works as well.
    total
        Number of samples, ``>= 0``.
    chunk
        Largest ``size`` passed to ``sampler``, ``>= 1``.

    Yields
    ------
    T
        Whatever ``sampler`` returns, one chunk at a time; consume each (reduce it
        to counts or sums) before the next to keep memory flat.

    Raises
    ------
    SolverError
        When ``total`` is negative or ``chunk`` is not a positive integer.

    Examples
    --------
    >>> import numpy as np
    >>> def sample(start: int, size: int) -> np.ndarray:
    ...     rng = np.random.default_rng([7, start])
    ...     return rng.integers(-9, 10, (2, size, 2, 2), dtype=np.int8)
    >>> n_pure = 0
    >>> for a, b in iter_chunks(sample, 10**5, chunk=30_000):  # chunks of 30k, 30k, 30k, 10k
    ...     n_pure += int(pure_equilibria_2x2(a, b).any(axis=(1, 2)).sum())
    >>> 0.8 < n_pure / 10**5 < 0.95  # share of games with a pure equilibrium
    True
    >>> [size for size in iter_chunks(lambda start, size: size, 10, 4)]
    [4, 4, 2]
    """
    step = _check_chunk(chunk)
    if isinstance(total, bool) or not isinstance(total, int | np.integer) or total < 0:
        raise SolverError(f"total must be a non-negative integer, got {total!r}")
    for start in range(0, int(total), step):
        yield sampler(start, min(step, int(total) - start))
