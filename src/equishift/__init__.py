"""equishift: evaluate policy recommendations with game theory.

A recommendation is a change to a game; equishift computes the equilibria
before and after, verifies every one of them, and reports how they shift.

>>> from equishift.games import NormalFormGame
>>> from equishift.solver import solve
>>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                 strategies=[["C", "D"], ["C", "D"]])
>>> [eq.by_label() for eq in solve(pd).equilibria]
[{'Player 1': {'D': Fraction(1, 1)}, 'Player 2': {'D': Fraction(1, 1)}}]
"""

__version__ = "0.1.0"
