"""Equilibrium computation. Imports :mod:`equishift.games` only."""

from .api import METHODS, solve
from .solution import BehaviorEquilibrium, Equilibrium, Solution
from .verify import Certificate, certificate, is_equilibrium, regrets

__all__ = [
    "METHODS",
    "BehaviorEquilibrium",
    "Certificate",
    "Equilibrium",
    "Solution",
    "certificate",
    "is_equilibrium",
    "regrets",
    "solve",
]
