"""Recommendations as changes to games, and their evaluation.

* :mod:`.transforms` -- small immutable changes with ``apply(game) -> game``, composable,
  registered by name (:func:`transform_from_dict`).
* :mod:`.recommendation` -- :class:`Recommendation` (the brief's words, target games,
  transforms, success criterion) and :func:`recommendation_from_dict`.
* :mod:`.evaluate` -- :func:`evaluate`, :func:`compare_recommendations`, :func:`bundle`.
* :mod:`.brief` -- the brief's recommendations encoded so far, and their games.
"""

from .evaluate import Evaluation, bundle, compare_recommendations, evaluate
from .recommendation import (
    BecomesStable,
    ProbabilityFalls,
    Recommendation,
    TargetIsEquilibrium,
    TargetIsSelected,
    TargetIsUnique,
    ThresholdBelow,
    WelfareRises,
    recommendation_from_dict,
    recommendations_from_tables,
)
from .transforms import TRANSFORMS, Compose, Transform, transform_from_dict

__all__ = [
    "TRANSFORMS",
    "BecomesStable",
    "Compose",
    "Evaluation",
    "ProbabilityFalls",
    "Recommendation",
    "TargetIsEquilibrium",
    "TargetIsSelected",
    "TargetIsUnique",
    "ThresholdBelow",
    "Transform",
    "WelfareRises",
    "bundle",
    "compare_recommendations",
    "evaluate",
    "recommendation_from_dict",
    "recommendations_from_tables",
    "transform_from_dict",
]
