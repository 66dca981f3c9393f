"""The checker eval: run ``nianbao.check`` on reports whose mistakes are known and count hits, misses and
false alarms, per rule and per category (issue 6).

A case is one YAML file under ``evals/cases/checker/`` (see evals/README.md, "Checker eval")::

    id: seed-lushan-2024
    title: 鲁山县人民政府办公室2024年报告（种子）
    source: seed                    # seed | corpus | ours | generated
    report: {fixture: lushan-2024.txt}      # or {corpus: …} | {file: …} | {text: …}, optional replace
    previous: {fixture: clean-2023.txt}     # optional: last year's report, same keys
    exhaustive_errors: true         # every error-severity finding not expected is a false alarm
    expect:                         # each must be matched by some finding
      - {rule: STR-PARTS, severity: error, line: 9, contains: 一、总体情况}
    must_not:                       # a finding matching one of these is a false alarm
      - {category: arithmetic}

Item keys (all optional, all must hold): ``rule``, ``category``, ``severity``, ``line``, ``page``, ``part``,
``table``, ``row``, ``column``, ``expected``, ``actual`` (compared as strings) and ``contains`` (a string or
a list, each found in the message or the evidence). An ``expect`` item may also carry ``known_miss: <why>``:
a mistake the checker is known not to catch yet. It counts as a miss in recall (the numbers stay honest)
but does not fail the case; when it starts being found it is listed under "now found" so the mark is
removed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

import nianbao
from nianbao.model.finding import Category, Finding
from nianbao.model.report import Report
from nianbao.parse import parse
from nianbao.read import read_data
from nianbao.rules import REGISTRY, CheckConfig

ROOT = Path(__file__).resolve().parents[3]
CHECKER_CASES_DIR = ROOT / "evals" / "cases" / "checker"
FIXTURES_DIR = ROOT / "fixtures"
CORPUS_DIR = ROOT.parent / "shared" / "corpus"

ITEM_KEYS = frozenset(
    {
        "rule",
        "category",
        "severity",
        "line",
        "page",
        "part",
        "table",
        "row",
        "column",
        "expected",
        "actual",
        "contains",
    }
)
SOURCES = frozenset({"seed", "corpus", "ours", "generated"})

CheckFn = Callable[[Report, Report | None, CheckConfig], list[Finding]]


class CheckerCaseError(ValueError):
    """A checker case file is malformed."""


class CaseSkipped(Exception):
    """A case cannot run here (its corpus file is absent); ``str(exc)`` is the reason."""


@dataclass(frozen=True)
class CheckerCase:
    """One checker case, as loaded from its YAML file."""

    id: str
    title: str
    source: str
    report: dict[str, Any]
    previous: dict[str, Any] | None = None
    expect: list[dict[str, Any]] = field(default_factory=list)
    must_not: list[dict[str, Any]] = field(default_factory=list)
    exhaustive_errors: bool = False
    path: Path | None = None


def _check_items(items: Any, where: str, extra: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise CheckerCaseError(f"{where}: expected a list of mappings")
    for item in items:
        unknown = set(item) - ITEM_KEYS - extra
        if unknown:
            raise CheckerCaseError(f"{where}: unknown key(s) {sorted(unknown)}")
        if "rule" in item and item["rule"] not in REGISTRY:
            raise CheckerCaseError(f"{where}: unknown rule {item['rule']!r}")
        if "category" in item:
            Category(item["category"])  # raises ValueError for an unknown category
    return list(items)


def _check_spec(spec: Any, where: str) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise CheckerCaseError(f"{where}: expected a mapping")
    sources = [k for k in ("fixture", "base", "corpus", "file", "text") if k in spec]
    if len(sources) != 1:
        raise CheckerCaseError(f"{where}: give exactly one of fixture/base, corpus, file, text")
    return dict(spec)


def load_checker_case(path: Path) -> CheckerCase:
    """Load and validate one case file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CheckerCaseError(f"{path}: not a mapping")
    for key in ("id", "title", "source", "report"):
        if key not in data:
            raise CheckerCaseError(f"{path}: missing {key!r}")
    if data["source"] not in SOURCES:
        raise CheckerCaseError(f"{path}: source must be one of {sorted(SOURCES)}")
    return CheckerCase(
        id=str(data["id"]),
        title=str(data["title"]),
        source=str(data["source"]),
        report=_check_spec(data["report"], f"{path}: report"),
        previous=_check_spec(data["previous"], f"{path}: previous") if data.get("previous") else None,
        expect=_check_items(data.get("expect"), f"{path}: expect", frozenset({"known_miss"})),
        must_not=_check_items(data.get("must_not"), f"{path}: must_not"),
        exhaustive_errors=bool(data.get("exhaustive_errors", False)),
        path=path,
    )


def load_checker_cases(pattern: str | None = None, cases_dir: Path = CHECKER_CASES_DIR) -> list[CheckerCase]:
    """The cases under ``cases_dir`` whose id (file stem) matches the glob ``pattern``, sorted by id."""
    cases = sorted((load_checker_case(p) for p in cases_dir.glob("*.yaml")), key=lambda c: c.id)
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CheckerCaseError(f"duplicate case ids: {dupes}")
    if pattern:
        cases = [c for c in cases if fnmatch.fnmatch(c.id, pattern)]
    return cases


def build_case_report(
    spec: dict[str, Any], *, case_dir: Path | None = None, corpus_dir: Path = CORPUS_DIR
) -> Report:
    """Read the report a spec describes; raises :class:`CaseSkipped` when its corpus file is absent."""
    if "text" in spec:
        name, data = "<case>.txt", str(spec["text"]).encode("utf-8")
    else:
        if "corpus" in spec:
            path = corpus_dir / str(spec["corpus"])
            if not path.is_file():
                raise CaseSkipped(
                    f"corpus file {spec['corpus']} not found in {corpus_dir} (../shared is absent)"
                )
        elif "file" in spec:
            path = (case_dir or CHECKER_CASES_DIR) / str(spec["file"])
        else:
            path = FIXTURES_DIR / str(spec.get("fixture", spec.get("base")))
        if not spec.get("replace"):
            return nianbao.read(path)
        name, data = path.name, path.read_bytes()
    if spec.get("replace"):
        text = data.decode("utf-8")
        for old, new in spec["replace"]:
            if old not in text:
                raise CheckerCaseError(f"replacement source not found in {name}: {old!r}")
            text = text.replace(old, new, 1)
        data = text.encode("utf-8")
    return parse(read_data(data, name))


def finding_matches(f: Finding, item: dict[str, Any]) -> bool:
    """Whether finding ``f`` satisfies every key of the expectation ``item``."""
    span = f.location.span
    for key, want in item.items():
        if key == "known_miss":
            continue
        if key == "rule":
            ok = f.rule == want
        elif key == "category":
            ok = f.category.value == want
        elif key == "severity":
            ok = f.severity.value == want
        elif key in ("line", "page"):
            ok = span is not None and getattr(span, key) == want
        elif key in ("part", "table", "row", "column"):
            ok = getattr(f.location, key) == want
        elif key in ("expected", "actual"):
            ok = str(getattr(f, key)) == str(want)
        elif key == "contains":
            texts = [f.message, *f.evidence, str(f.expected), str(f.actual)]
            ok = all(any(s in t for t in texts) for s in ([want] if isinstance(want, str) else want))
        else:  # pragma: no cover - rejected when loading
            ok = False
        if not ok:
            return False
    return True


def describe_item(item: dict[str, Any]) -> str:
    """A one-line description of an expectation, e.g. ``T3-BALANCE line=41 actual=34``."""
    head = item.get("rule") or item.get("category") or "*"
    rest = " ".join(
        f"{k}={v}"
        for k, v in item.items()
        if k not in ("rule", "known_miss") and not (k == "category" and head == v)
    )
    return f"{head} {rest}".strip()


def _place(f: Finding) -> str:
    return f.location.describe() or "—"


def _rule_category(rule: str) -> str:
    return REGISTRY[rule].category.value if rule in REGISTRY else "?"


@dataclass
class Miss:
    """An expected finding that did not come."""

    case: str
    item: dict[str, Any]
    rule: str
    category: str
    # the findings of the same rule (or category) that did come, to show why none matched
    near: list[str] = field(default_factory=list)

    @property
    def known(self) -> str | None:
        """The case's reason when this miss is a recorded gap (``known_miss``), else None."""
        why = self.item.get("known_miss")
        return str(why) if why else None

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "rule": self.rule,
            "category": self.category,
            "expected_item": self.item,
            "description": describe_item(self.item),
            "known_miss": self.known,
            "near": self.near,
        }


@dataclass
class FalseAlarm:
    """A finding that should not have been raised."""

    case: str
    finding: Finding
    why: str  # the must_not item it matched, or "unexpected error"

    def to_json(self) -> dict[str, Any]:
        f = self.finding
        return {
            "case": self.case,
            "rule": f.rule,
            "category": f.category.value,
            "severity": f.severity.value,
            "place": _place(f),
            "message": f.message,
            "why": self.why,
        }


@dataclass
class Hit:
    """An expected finding that came."""

    case: str
    item: dict[str, Any]
    finding: Finding


@dataclass
class CheckerCaseResult:
    """The outcome of one case."""

    case: CheckerCase
    findings: list[Finding]
    hits: list[Hit]
    misses: list[Miss]
    false_alarms: list[FalseAlarm]

    @property
    def new_misses(self) -> list[Miss]:
        """Misses that are not recorded gaps: a regression."""
        return [m for m in self.misses if m.known is None]

    @property
    def now_found(self) -> list[Hit]:
        """Recorded gaps (``known_miss``) that the checker now finds."""
        return [h for h in self.hits if h.item.get("known_miss")]

    @property
    def passed(self) -> bool:
        """No miss other than a recorded gap, and no false alarm."""
        return not self.new_misses and not self.false_alarms

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "title": self.case.title,
            "source": self.case.source,
            "passed": self.passed,
            "expected": len(self.case.expect),
            "hits": len(self.hits),
            "misses": [m.to_json() for m in self.misses],
            "now_found": [describe_item(h.item) for h in self.now_found],
            "false_alarms": [a.to_json() for a in self.false_alarms],
            "findings": len(self.findings),
            "findings_by_severity": {
                s: sum(f.severity.value == s for f in self.findings) for s in ("error", "warning", "info")
            },
        }


@dataclass
class Counts:
    """True positives, misses and false alarms of one rule or category."""

    tp: int = 0
    misses: int = 0
    false_alarms: int = 0

    @property
    def precision(self) -> float | None:
        n = self.tp + self.false_alarms
        return self.tp / n if n else None

    @property
    def recall(self) -> float | None:
        n = self.tp + self.misses
        return self.tp / n if n else None

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "precision": self.precision,
            "recall": self.recall,
        }


def score_checker_case(case: CheckerCase, findings: list[Finding]) -> CheckerCaseResult:
    """Match the case's expectations against ``findings``."""
    hits: list[Hit] = []
    misses: list[Miss] = []
    for item in case.expect:
        match = next((f for f in findings if finding_matches(f, item)), None)
        if match is not None:
            hits.append(Hit(case.id, item, match))
            continue
        rule = str(item.get("rule", "*"))
        category = str(item.get("category") or _rule_category(rule))
        near = [
            f"{f.rule} {_place(f)} {f.message}"
            for f in findings
            if f.rule == rule or (rule == "*" and f.category.value == category)
        ]
        misses.append(Miss(case.id, item, rule, category, near))
    alarms: list[FalseAlarm] = []
    for f in findings:
        bad = next((item for item in case.must_not if finding_matches(f, item)), None)
        if bad is not None:
            alarms.append(FalseAlarm(case.id, f, f"must_not: {describe_item(bad)}"))
        elif (
            case.exhaustive_errors
            and f.severity.value == "error"
            and not any(finding_matches(f, item) for item in case.expect)
        ):
            alarms.append(FalseAlarm(case.id, f, "unexpected error (exhaustive_errors)"))
    return CheckerCaseResult(case, findings, hits, misses, alarms)


def _default_check(report: Report, previous: Report | None, config: CheckConfig) -> list[Finding]:
    return nianbao.check(report, previous, config)


@dataclass
class CheckerEvalResult:
    """All cases' outcomes and the counts per rule and per category."""

    results: list[CheckerCaseResult]
    skipped: list[tuple[str, str]]
    config: dict[str, Any]

    def per_rule(self) -> dict[str, Counts]:
        return self._tally(lambda rule, category: rule)

    def per_category(self) -> dict[str, Counts]:
        return self._tally(lambda rule, category: category)

    def total(self) -> Counts:
        return self._tally(lambda rule, category: "all").get("all", Counts())

    def _tally(self, key: Callable[[str, str], str]) -> dict[str, Counts]:
        out: dict[str, Counts] = {}
        for r in self.results:
            for h in r.hits:
                out.setdefault(key(h.finding.rule, h.finding.category.value), Counts()).tp += 1
            for m in r.misses:
                out.setdefault(key(m.rule, m.category), Counts()).misses += 1
            for a in r.false_alarms:
                out.setdefault(key(a.finding.rule, a.finding.category.value), Counts()).false_alarms += 1
        return dict(sorted(out.items()))

    @property
    def misses(self) -> list[Miss]:
        return [m for r in self.results for m in r.misses]

    @property
    def false_alarms(self) -> list[FalseAlarm]:
        return [a for r in self.results for a in r.false_alarms]

    def to_json(self) -> dict[str, Any]:
        total = self.total()
        return {
            "eval": "checker",
            "version": nianbao.__version__,
            "config": self.config,
            "summary": {
                "cases": len(self.results),
                "passed": sum(r.passed for r in self.results),
                "skipped": len(self.skipped),
                **total.to_json(),
            },
            "per_category": {k: v.to_json() for k, v in self.per_category().items()},
            "per_rule": {k: v.to_json() for k, v in self.per_rule().items()},
            "cases": [r.to_json() for r in self.results],
            "skipped": [{"id": i, "reason": why} for i, why in self.skipped],
        }

    def to_markdown(self) -> str:
        def pct(x: float | None) -> str:
            return "—" if x is None else f"{x:.3f}"

        total = self.total()
        lines = [
            "# Checker eval",
            "",
            f"nianbao {nianbao.__version__}; {len(self.results)} cases run, "
            f"{sum(r.passed for r in self.results)} passed, {len(self.skipped)} skipped. "
            f"Overall: precision {pct(total.precision)}, recall {pct(total.recall)} "
            f"({total.tp} found, {total.misses} missed, {total.false_alarms} false alarms).",
            "",
            "## Per category",
            "",
            "| category | found | missed | false alarms | precision | recall |",
            "|---|---|---|---|---|---|",
        ]
        for k, c in self.per_category().items():
            lines.append(
                f"| {k} | {c.tp} | {c.misses} | {c.false_alarms} | {pct(c.precision)} | {pct(c.recall)} |"
            )
        lines += [
            "",
            "## Per rule",
            "",
            "| rule | found | missed | false alarms | precision | recall |",
            "|---|---|---|---|---|---|",
        ]
        for k, c in self.per_rule().items():
            lines.append(
                f"| {k} | {c.tp} | {c.misses} | {c.false_alarms} | {pct(c.precision)} | {pct(c.recall)} |"
            )
        lines += [
            "",
            "## Cases",
            "",
            "| case | source | expected | found | missed | false alarms | findings |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.results:
            lines.append(
                f"| {r.case.id} | {r.case.source} | {len(r.case.expect)} | {len(r.hits)} | "
                f"{len(r.misses)} | {len(r.false_alarms)} | {len(r.findings)} |"
            )
        lines += ["", "## Misses", ""]
        lines += [
            f"- `{m.case}`: {describe_item(m.item)} not found"
            + (f" (known gap: {m.known})" if m.known else "")
            for m in self.misses
        ] or ["None."]
        lines += ["", "## False alarms", ""]
        lines += [
            f"- `{a.case}`: {a.finding.rule} {_place(a.finding)} {a.finding.message} ({a.why})"
            for a in self.false_alarms
        ] or ["None."]
        if self.skipped:
            lines += ["", "## Skipped", ""]
            lines += [f"- `{i}`: {why}" for i, why in self.skipped]
        return "\n".join(lines) + "\n"


def run_checker_eval(
    cases: Iterable[CheckerCase],
    *,
    config: CheckConfig | None = None,
    check_fn: CheckFn | None = None,
    corpus_dir: Path = CORPUS_DIR,
    on_case: Callable[[str], None] | None = None,
) -> CheckerEvalResult:
    """Read and check every case's report (with its previous one) and score the findings.

    ``check_fn`` replaces ``nianbao.check`` (for tests of the eval itself); ``on_case`` is called with
    each case id after it ran (a progress bar).
    """
    cfg = config or CheckConfig()
    run = check_fn or _default_check
    results: list[CheckerCaseResult] = []
    skipped: list[tuple[str, str]] = []
    case_list = list(cases)
    for case in case_list:
        case_dir = case.path.parent if case.path else None
        try:
            report = build_case_report(case.report, case_dir=case_dir, corpus_dir=corpus_dir)
            previous = (
                build_case_report(case.previous, case_dir=case_dir, corpus_dir=corpus_dir)
                if case.previous
                else None
            )
        except CaseSkipped as exc:
            skipped.append((case.id, str(exc)))
        else:
            results.append(score_checker_case(case, run(report, previous, cfg)))
        if on_case:
            on_case(case.id)
    meta = {
        "cases": [c.id for c in case_list],
        "ignore": sorted(cfg.ignore),
        "check": "nianbao.check" if check_fn is None else getattr(check_fn, "__name__", repr(check_fn)),
        "corpus_present": corpus_dir.is_dir(),
    }
    return CheckerEvalResult(results, skipped, meta)
