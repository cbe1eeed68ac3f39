"""Compute what a briefing shows beyond the evaluations: robustness and verdict maps.

Here rather than in :mod:`equishift.report`, which only builds and renders what it is given
and never solves (``equishift.report.briefing_extras`` is this same function).

:func:`briefing_extras` runs :func:`~equishift.recommendations.robustness.robustness` and
:func:`~equishift.recommendations.maps.verdict_map` for each recommendation, on the scenario
file that holds it, and returns what :func:`~equishift.report.build_briefing` takes. This is
the only expensive step of a briefing; nothing here runs unless it is called.

Examples
--------
>>> from equishift.recommendations.brief import R1, brief_games
>>> from equishift.recommendations.evaluate import evaluate
>>> from equishift.recommendations.briefing_extras import briefing_extras
>>> from equishift.report import build_briefing
>>> ev = evaluate(R1, brief_games())
>>> extras = briefing_extras([ev], n_samples=8, seed=1, map_size=3, flips=False)
>>> sorted(extras.robustness), sorted(extras.maps), extras.notes
(['R1'], ['R1'], {})
>>> b = build_briefing([ev], **extras.build_arguments())
>>> b.sections[0].verdict_map.figure.kind, b.stamp.seed
('map', 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..games.errors import EquishiftError
from .evaluate import Evaluation

if TYPE_CHECKING:
    from .maps import VerdictMap
    from .robustness import Robustness

__all__ = ["BriefingExtras", "Progress", "briefing_extras"]

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: called before each step and once at the end
(``step`` is ``"robustness R1"``, ``"map R1"`` or ``"done"``)."""


@dataclass(frozen=True)
class BriefingExtras:
    """Robustness results and verdict maps by recommendation id, and why some are missing.

    ``notes`` holds, by id, why a recommendation has no map (or no robustness): no scenario
    file known, fewer than two parameters that change its verdict, an error while computing.
    """

    robustness: Mapping[str, Robustness] = field(default_factory=dict)
    maps: Mapping[str, VerdictMap] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)

    def build_arguments(self) -> dict[str, Any]:
        """Keyword arguments for :func:`~equishift.report.build_briefing`:
        ``robustness``, ``maps`` and ``map_notes``."""
        return {
            "robustness": dict(self.robustness),
            "maps": dict(self.maps),
            "map_notes": dict(self.notes),
        }


def _id(item: Evaluation | str) -> str:
    return item if isinstance(item, str) else item.recommendation.id


def briefing_extras(
    items: Sequence[Evaluation | str],
    *,
    n_samples: int | None = 200,
    seed: int = 0,
    maps: bool = True,
    map_size: int = 21,
    regimes: bool = True,
    method: str = "sobol",
    flips: bool = True,
    scenarios: Mapping[str, str | Path] | None = None,
    progress: Progress | None = None,
    robustness_options: Mapping[str, Any] | None = None,
    robustness_results: Mapping[str, Robustness] | None = None,
) -> BriefingExtras:
    """Robustness and verdict maps for each recommendation, ready for ``build_briefing``.

    Parameters
    ----------
    items
        Evaluations (or recommendation ids), in reading order.
    n_samples
        Samples per robustness analysis; ``None`` or 0 for no robustness analysis.
    seed, method, flips
        Passed to :func:`~equishift.recommendations.robustness.robustness` (the seed is the
        same for every recommendation, so each is reproducible on its own).
    maps
        Whether to draw a verdict map for each recommendation. The axes are the two top
        parameters of the robustness sensitivity when robustness was computed, otherwise
        those a one-at-a-time scan finds change the verdict most (see
        :func:`~equishift.recommendations.maps.verdict_map`).
    map_size
        Grid values per map axis (``map_size ** 2`` verdicts per map, plus the default).
    regimes
        Also outline, on maps of small parametric matrix games, where the game before the
        change has different equilibria (one solve per grid point).
    scenarios
        The scenario file (bundled name or path) of each recommendation id; the brief's
        :data:`~equishift.recommendations.brief.SCENARIO_OF` by default.
    progress
        Called as ``progress(step, done, total)`` before each step and once with ``"done"``.
    robustness_options
        More keyword arguments for
        :func:`~equishift.recommendations.robustness.robustness` (for example ``workers``).
    robustness_results
        Robustness already computed (for example by
        :func:`~equishift.recommendations.robustness.brief_robustness`, which pools every
        recommendation's samples over the workers), by recommendation id: used as they are.

    Returns
    -------
    BriefingExtras
        Pass ``**extras.build_arguments()`` to :func:`~equishift.report.build_briefing`.
        A recommendation with no known scenario file, or whose map cannot be drawn, is left
        out with the reason in ``notes``; errors of the analysis itself propagate.
    """
    from .maps import MapError, TooFewParameters, verdict_map
    from .robustness import robustness

    if scenarios is None:
        from .brief import SCENARIO_OF

        scenarios = SCENARIO_OF
    ids = list(dict.fromkeys(_id(i) for i in items))
    given = dict(robustness_results or {})
    do_rob = bool(n_samples)
    steps = [
        (kind, rid) for rid in ids for kind, on in (("robustness", do_rob), ("map", maps)) if on
    ]
    total = len(steps)
    robs: dict[str, Robustness] = {}
    vmaps: dict[str, VerdictMap] = {}
    notes: dict[str, str] = {}
    if not do_rob:
        robs.update({rid: r for rid, r in given.items() if rid in ids})
    for done, (kind, rid) in enumerate(steps):
        if progress is not None:
            progress(f"{kind} {rid}", done, total)
        source = scenarios.get(rid)
        if source is None:
            notes[rid] = f"No scenario file is known for {rid}, so nothing was sampled or mapped."
            continue
        if kind == "robustness" and rid in given:
            robs[rid] = given[rid]
            continue
        if kind == "robustness":
            assert n_samples is not None
            robs[rid] = robustness(
                source,
                rid,
                n=n_samples,
                seed=seed,
                method=method,
                flips=flips,
                **dict(robustness_options or {}),
            )
            continue
        try:
            vmaps[rid] = verdict_map(
                source, rid, size=map_size, robustness=robs.get(rid), regimes=regimes
            )
        except TooFewParameters as exc:
            how = "in the robustness samples" if exc.by == "sensitivity" else "one at a time"
            seen = ", ".join(exc.found) or "none"
            notes[rid] = (
                "No map was drawn: fewer than two of the uncertain values were seen to change "
                f"the verdict ({how}: {seen})."
            )
        except MapError as exc:
            notes[rid] = f"No map was drawn: {exc}."
        except EquishiftError as exc:  # a scenario that cannot be rebuilt: say so, go on
            notes[rid] = f"No map was drawn: it could not be computed ({exc})."
    if progress is not None:
        progress("done", total, total)
    return BriefingExtras(robs, vmaps, notes)
