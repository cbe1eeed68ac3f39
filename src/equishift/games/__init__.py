"""Game values and their file formats. Imports nothing else from equishift."""

from .errors import EquishiftError, FormatError, GameError, SolverError
from .normal_form import NormalFormGame

__all__ = ["EquishiftError", "FormatError", "GameError", "NormalFormGame", "SolverError"]
