"""Hypothesis strategies that draw valid games (shared by the test modules)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from equishift.games import NormalFormGame


@st.composite
def int_games(
    draw: st.DrawFn,
    *,
    min_players: int = 2,
    max_players: int = 2,
    max_strategies: int = 4,
    low: int = -3,
    high: int = 3,
) -> NormalFormGame:
    """Exact games with small integer payoffs: many ties, so many degenerate games."""
    n = draw(st.integers(min_players, max_players))
    shape = tuple(draw(st.integers(1, max_strategies)) for _ in range(n))
    size = int(np.prod(shape)) * n
    values = draw(st.lists(st.integers(low, high), min_size=size, max_size=size))
    return NormalFormGame(np.array(values, dtype=np.int64).reshape((*shape, n)))
