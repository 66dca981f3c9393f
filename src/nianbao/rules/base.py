"""The rule protocol, the registry and the context a rule runs in.

A rule is a small class with a stable ``code``, a ``category``, a default ``severity``, the format-2021
rule ids it implements (``refs``), and a docstring that is its documentation: the first line is the
summary, then what it checks, why, and a bad and a good example. ``check`` yields findings; it never
raises on a damaged report (missing tables or cells are skipped or left to the template rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from nianbao.model.finding import Category, Finding, Location, Severity, Value
from nianbao.model.report import Report


@dataclass(frozen=True)
class CheckConfig:
    """Options for a check run."""

    ignore: frozenset[str] = frozenset()
    similarity_threshold: float = 0.5  # R40: 宿迁's assessment deducts above 50 %
    # R31 deadlines as (month, day) of the year after the report year.
    deadline_department: tuple[int, int] = (1, 31)
    deadline_government: tuple[int, int] = (3, 31)


@dataclass
class Context:
    """What a rule may look at besides the report itself."""

    previous: Report | None = None
    config: CheckConfig = field(default_factory=CheckConfig)


class Rule:
    """Base class of every rule. Subclasses set the class variables and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]  # dotted name, e.g. "table3.balance"
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    refs: ClassVar[tuple[str, ...]] = ()  # ids in format-2021.md §2, e.g. ("R01",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        """Yield findings for ``report``."""
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """First line of the docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    def finding(
        self,
        message: str,
        location: Location | None = None,
        *,
        expected: Value = None,
        actual: Value = None,
        evidence: Iterable[str] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """Build a finding of this rule."""
        return Finding(
            rule=self.code,
            category=self.category,
            severity=severity or self.severity,
            message=message,
            location=location or Location(),
            expected=expected,
            actual=actual,
            evidence=list(evidence),
        )


R = TypeVar("R", bound=type[Rule])

REGISTRY: dict[str, type[Rule]] = {}


def register(cls: R) -> R:
    """Class decorator: add a rule to the registry (codes must be unique)."""
    if cls.code in REGISTRY:
        raise ValueError(f"duplicate rule code {cls.code}")
    REGISTRY[cls.code] = cls
    return cls
