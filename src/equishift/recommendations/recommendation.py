"""A recommendation of the brief as data: its words, its target games, transforms, success test.

A :class:`Recommendation` quotes the brief (sentence and section), names the game(s) it acts on,
lists the :mod:`~equishift.recommendations.transforms` that encode it, and says what success
means, with one criterion from a small vocabulary:

=========================== ==========================================================
:class:`TargetIsEquilibrium` the target profile is an equilibrium after the change
:class:`TargetIsUnique`      ... and the only one
:class:`TargetIsSelected`    ... and the one selected (payoff or risk dominance)
:class:`ThresholdBelow`      δ* (the critical discount factor) falls below δ
:class:`ProbabilityFalls`    the probability of given outcomes (war, a crash) falls
:class:`WelfareRises`        welfare (utilitarian or minimum) at the worst equilibrium rises
:class:`BecomesStable`       an unstable race (continuous game) becomes stable
:class:`SeparatingExists`    a signalling game has a separating (reassuring) equilibrium
:class:`ActionAvoided`       no perfect Bayesian equilibrium of a tree plays an action
=========================== ==========================================================

:func:`recommendation_from_dict` reads one from a TOML-like table (the ``recommendations``
tables of a scenario file), naming the key path in every error.

Examples
--------
>>> rec = recommendation_from_dict({
...     "id": "R1c", "title": "Reversible first steps",
...     "quote": "no chance at reconciliation must be wasted", "section": "1",
...     "targets": "engagement",
...     "transforms": [{"op": "shift_payoffs", "profiles": [["Engage", "Hedge"]],
...                     "deltas": [["3/2", 0]]}],
...     "success": {"kind": "target_is_selected", "profile": ["Engage", "Engage"],
...                 "rule": "risk"}})
>>> rec.criterion
TargetIsSelected(profile=('Engage', 'Engage'), rule='risk')
>>> recommendation_from_dict({"id": "x"}, "recommendations[2]")
Traceback (most recent call last):
...
equishift.games.errors.FormatError: recommendations[2]: missing key(s) ['title', 'quote', ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from ..games.errors import FormatError, GameError
from .transforms import Compose, Transform, transform_from_dict

__all__ = [
    "CRITERIA",
    "ActionAvoided",
    "BecomesStable",
    "Criterion",
    "ProbabilityFalls",
    "Recommendation",
    "SeparatingExists",
    "TargetIsEquilibrium",
    "TargetIsSelected",
    "TargetIsUnique",
    "ThresholdBelow",
    "WelfareRises",
    "criterion_from_dict",
    "recommendation_from_dict",
    "recommendations_from_tables",
]


def _labels(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise GameError(f"{what}: expected a list of strategy labels, found {value!r}")
    out = tuple(value)
    if not out or not all(isinstance(v, str) and v for v in out):
        raise GameError(f"{what}: expected a list of non-empty labels, found {value!r}")
    return out


@dataclass(frozen=True)
class Criterion:
    """Base class of success criteria; ``criterion`` is the registered name."""

    criterion: ClassVar[str] = ""

    def describe(self) -> str:
        """One line for people."""
        return self.criterion

    def to_dict(self) -> dict[str, Any]:
        """The TOML-like table read by :func:`criterion_from_dict`."""
        out: dict[str, Any] = {"kind": self.criterion}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out


@dataclass(frozen=True)
class TargetIsEquilibrium(Criterion):
    """Success: the pure ``profile`` is a Nash equilibrium of the changed game."""

    criterion: ClassVar[str] = "target_is_equilibrium"
    profile: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "profile", _labels(self.profile, f"{self.criterion}.profile"))

    def describe(self) -> str:
        return f"({', '.join(self.profile)}) becomes an equilibrium"


@dataclass(frozen=True)
class TargetIsUnique(TargetIsEquilibrium):
    """Success: ``profile`` is the changed game's only equilibrium (complete solution needed)."""

    criterion: ClassVar[str] = "target_is_unique"

    def describe(self) -> str:
        return f"({', '.join(self.profile)}) becomes the unique equilibrium"


@dataclass(frozen=True)
class TargetIsSelected(Criterion):
    """Success: ``profile`` is the equilibrium selected by ``rule`` (``"payoff"`` or ``"risk"``).

    Payoff dominance: it Pareto-dominates every other equilibrium. Risk dominance: Harsanyi &
    Selten (1988), for 2-player games with strict pure equilibria.
    """

    criterion: ClassVar[str] = "target_is_selected"
    profile: tuple[str, ...]
    rule: str = "payoff"

    def __post_init__(self) -> None:
        object.__setattr__(self, "profile", _labels(self.profile, f"{self.criterion}.profile"))
        if self.rule not in ("payoff", "risk"):
            raise GameError(
                f"{self.criterion}.rule: expected 'payoff' or 'risk', not {self.rule!r}"
            )

    def describe(self) -> str:
        return f"({', '.join(self.profile)}) becomes the {self.rule}-dominant equilibrium"


@dataclass(frozen=True)
class ThresholdBelow(Criterion):
    """Success: the critical discount factor δ* falls below the discount factor in play.

    Parameters
    ----------
    kind
        The threshold: ``"delta_star"`` (the only one so far).
    value_parameter
        What it is compared with: ``"delta"``, the game's per-contact discount factor (or a
        parameter of that name).
    profile
        The cooperative profile to sustain (in every issue of a linked game).
    """

    criterion: ClassVar[str] = "threshold_below"
    profile: tuple[str, ...]
    kind: str = "delta_star"
    value_parameter: str = "delta"

    def __post_init__(self) -> None:
        object.__setattr__(self, "profile", _labels(self.profile, f"{self.criterion}.profile"))
        if self.kind != "delta_star":
            raise GameError(f"{self.criterion}.kind: expected 'delta_star', not {self.kind!r}")

    def describe(self) -> str:
        return (
            f"the critical discount factor for ({', '.join(self.profile)}) falls below "
            f"{self.value_parameter}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.criterion,
            "profile": list(self.profile),
            "threshold": self.kind,
            "value_parameter": self.value_parameter,
        }


@dataclass(frozen=True)
class ProbabilityFalls(Criterion):
    """Success: the probability of the outcomes ``profiles`` (named ``quantity``) falls.

    The probability is computed from each equilibrium; the worst case over equilibria counts.
    A profile names strategies of the first players; players added later (an enforcer) are
    marginalised, so the same profiles serve before and after. For a crisis-bargaining model
    (Fearon 1995) the probability is that of war at the proposer's optimal offer, and
    ``profiles`` may be empty.
    """

    criterion: ClassVar[str] = "probability_falls"
    quantity: str
    profiles: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if isinstance(self.profiles, str) or not isinstance(self.profiles, Sequence):
            raise GameError(f"{self.criterion}.profiles: expected a list of profiles")
        object.__setattr__(
            self,
            "profiles",
            tuple(
                _labels(p, f"{self.criterion}.profiles[{k}]") for k, p in enumerate(self.profiles)
            ),
        )

    def describe(self) -> str:
        return f"the probability of {self.quantity} falls"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.criterion,
            "quantity": self.quantity,
            "profiles": [list(p) for p in self.profiles],
        }


@dataclass(frozen=True)
class WelfareRises(Criterion):
    """Success: welfare at the worst equilibrium rises (``"utilitarian"`` or ``"minimum"``).

    For a strategic triangle (no equilibria) welfare is the configuration's total score, or
    its lowest player score.
    """

    criterion: ClassVar[str] = "welfare_rises"
    measure: str = "utilitarian"

    def __post_init__(self) -> None:
        if self.measure not in ("utilitarian", "minimum"):
            raise GameError(
                f"{self.criterion}.measure: expected 'utilitarian' or 'minimum', "
                f"not {self.measure!r}"
            )

    def describe(self) -> str:
        return f"{self.measure} welfare at the worst equilibrium rises"


@dataclass(frozen=True)
class BecomesStable(Criterion):
    """Success: the equilibrium of a continuous (Richardson) race becomes asymptotically stable."""

    criterion: ClassVar[str] = "becomes_stable"

    def describe(self) -> str:
        return "the arms-race equilibrium becomes stable"


@dataclass(frozen=True)
class SeparatingExists(Criterion):
    """Success: a signalling game has a separating equilibrium in which the receiver answers
    the message of ``sender_type`` with ``action`` (Kydd 2000: reassurance by a costly signal).

    >>> SeparatingExists("trustworthy", "Cooperate").describe()
    "a separating equilibrium exists in which 'trustworthy' is met with 'Cooperate'"
    """

    criterion: ClassVar[str] = "separating_exists"
    sender_type: str
    action: str

    def __post_init__(self) -> None:
        for name in ("sender_type", "action"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v:
                raise GameError(f"{self.criterion}.{name}: expected a non-empty label, found {v!r}")

    def describe(self) -> str:
        return (
            f"a separating equilibrium exists in which {self.sender_type!r} is met with "
            f"{self.action!r}"
        )


@dataclass(frozen=True)
class ActionAvoided(Criterion):
    """Success: in every perfect Bayesian equilibrium of a game tree, ``player`` never takes
    ``action`` (e.g. the U.S. never launches a "bloody nose" strike).

    The measure is the largest probability of the action at any of its information sets over
    all equilibria (0 when avoided).

    >>> ActionAvoided("US", "Strike").describe()
    "US never plays 'Strike' in any perfect Bayesian equilibrium"
    """

    criterion: ClassVar[str] = "action_avoided"
    player: str
    action: str

    def __post_init__(self) -> None:
        for name in ("player", "action"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v:
                raise GameError(f"{self.criterion}.{name}: expected a non-empty label, found {v!r}")

    def describe(self) -> str:
        return f"{self.player} never plays {self.action!r} in any perfect Bayesian equilibrium"


CRITERIA: dict[str, type[Criterion]] = {
    c.criterion: c
    for c in (
        TargetIsEquilibrium,
        TargetIsUnique,
        TargetIsSelected,
        ThresholdBelow,
        ProbabilityFalls,
        WelfareRises,
        BecomesStable,
        SeparatingExists,
        ActionAvoided,
    )
}
"""Registered success criteria: name → class."""


def criterion_from_dict(data: Mapping[str, Any], path: str = "success") -> Criterion:
    """Build a criterion from ``{kind = "...", ...}`` (see :data:`CRITERIA`).

    >>> criterion_from_dict({"kind": "threshold_below", "profile": ["C", "C"]})
    ThresholdBelow(profile=('C', 'C'), kind='delta_star', value_parameter='delta')
    >>> criterion_from_dict({"kind": "luck"}, "recommendations[0].success")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: recommendations[0].success.kind: unknown criterion ...
    """
    if not isinstance(data, Mapping):
        raise FormatError(f"expected a table {{kind = ...}}, found {data!r}", path=path)
    name = data.get("kind")
    cls = CRITERIA.get(name) if isinstance(name, str) else None
    if cls is None:
        raise FormatError(
            f"unknown criterion {name!r}; expected one of {', '.join(CRITERIA)}",
            path=f"{path}.kind",
        )
    kwargs = {k: v for k, v in data.items() if k != "kind"}
    if cls is ThresholdBelow and "threshold" in kwargs:
        kwargs["kind"] = kwargs.pop("threshold")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise FormatError(f"unknown key(s) {unknown} for {name}", path=path)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise FormatError(f"{name}: {exc}", path=path) from exc
    except GameError as exc:
        raise FormatError(str(exc), path=path) from exc


@dataclass(frozen=True)
class Recommendation:
    """One recommendation: the brief's words, the games, the change, and what success means.

    Attributes
    ----------
    id, title
        Short identifier (``"R4"``) and title.
    quote, section
        The brief's own sentence(s), verbatim, and where they are.
    targets
        Names of the game(s) it acts on (keys of the games mapping given to ``evaluate``); the
        transforms apply to the first.
    transforms
        The change, in order.
    criterion
        The success criterion.
    notes
        Modelling notes: defaults, ranges, sources.
    """

    id: str
    title: str
    quote: str
    section: str
    targets: tuple[str, ...]
    transforms: tuple[Transform, ...]
    criterion: Criterion
    notes: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.targets, str):
            object.__setattr__(self, "targets", (self.targets,))
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "transforms", tuple(self.transforms))
        if not self.targets:
            raise GameError(f"recommendation {self.id!r} names no target game")
        for t in self.transforms:
            if not isinstance(t, Transform):
                raise GameError(f"recommendation {self.id!r}: {t!r} is not a transform")
        if not isinstance(self.criterion, Criterion):
            raise GameError(f"recommendation {self.id!r}: the criterion must be a Criterion")

    @property
    def transform(self) -> Compose:
        """All transforms as one."""
        return Compose(self.transforms)

    def to_dict(self) -> dict[str, Any]:
        """The TOML-like table read by :func:`recommendation_from_dict`."""
        return {
            "id": self.id,
            "title": self.title,
            "quote": self.quote,
            "section": self.section,
            "targets": list(self.targets),
            "transforms": [t.to_dict() for t in self.transforms],
            "success": self.criterion.to_dict(),
            "notes": self.notes,
        }


_REQUIRED = ("id", "title", "quote", "section", "targets", "transforms", "success")


def recommendation_from_dict(
    data: Mapping[str, Any], path: str = "recommendation"
) -> Recommendation:
    """Build a :class:`Recommendation` from a TOML-like table; errors name the key path.

    Keys: ``id``, ``title``, ``quote``, ``section``, ``targets`` (a name or a list),
    ``transforms`` (a list of transform tables), ``success`` (a criterion table), ``notes``.
    """
    if not isinstance(data, Mapping):
        raise FormatError(f"expected a table, found {data!r}", path=path)
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise FormatError(f"missing key(s) {missing}", path=path)
    unknown = sorted(set(data) - {*_REQUIRED, "notes"})
    if unknown:
        raise FormatError(f"unknown key(s) {unknown}", path=path)
    for key in ("id", "title", "quote", "section", "notes"):
        if key in data and not isinstance(data[key], str):
            raise FormatError(f"expected a string, found {data[key]!r}", path=f"{path}.{key}")
    targets = data["targets"]
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list | tuple) or not all(isinstance(t, str) for t in targets):
        raise FormatError("expected a game name or a list of names", path=f"{path}.targets")
    steps = data["transforms"]
    if not isinstance(steps, list | tuple):
        raise FormatError("expected a list of transform tables", path=f"{path}.transforms")
    transforms = tuple(
        transform_from_dict(s, f"{path}.transforms[{k}]") for k, s in enumerate(steps)
    )
    criterion = criterion_from_dict(data["success"], f"{path}.success")
    try:
        return Recommendation(
            id=data["id"],
            title=data["title"],
            quote=data["quote"],
            section=data["section"],
            targets=tuple(targets),
            transforms=transforms,
            criterion=criterion,
            notes=data.get("notes", ""),
        )
    except GameError as exc:
        raise FormatError(str(exc), path=path) from exc


def recommendations_from_tables(
    tables: Iterable[Any], *, source: str | None = None
) -> tuple[Recommendation, ...]:
    """Read the raw ``[[recommendations]]`` tables of a scenario file.

    Parameters
    ----------
    tables
        Objects with ``key`` (the key path, ``"recommendations[0]"``), ``data`` (the table) and
        optionally ``line`` -- such as ``Scenario.recommendations`` -- or ``(key, data)`` pairs.
    source
        The file name, for error messages.

    Raises
    ------
    FormatError
        ``file:line: key.path: what was expected``.

    Examples
    --------
    >>> table = {"id": "R4", "title": "Link", "quote": "q", "section": "4",
    ...          "targets": "issues", "transforms": [{"op": "link"}],
    ...          "success": {"kind": "threshold_below", "profile": ["C", "C"]}}
    >>> [r.id for r in recommendations_from_tables([("recommendations[0]", table)])]
    ['R4']
    >>> bad = {**table, "transforms": [{"op": "lnik"}]}
    >>> recommendations_from_tables([("recommendations[1]", bad)], source="brief.toml")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: brief.toml: recommendations[1].transforms[0].op: ...
    """
    out = []
    for item in tables:
        if isinstance(item, tuple):
            key, data, line = item[0], item[1], None
        else:
            key, data, line = item.key, item.data, getattr(item, "line", None)
        try:
            out.append(recommendation_from_dict(data, key))
        except FormatError as exc:
            if source is None:
                raise
            raise FormatError(f"{exc.path}: {exc.message}", path=source, line=line) from exc
    return tuple(out)
