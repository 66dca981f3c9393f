"""The drafting eval (nianbao.evals: cases, metrics, runner, compare; `nianbao eval drafting|compare`).

- The offline drafter on the seed office's notes scores number recall 1, no unsupported numbers, no
  identity or checker errors.
- A deliberately broken drafter (drops a note, invents a number, swaps the agency for another county's)
  scores worse on exactly the matching metrics and on no other gating metric: each breakage alone.
- compare reports the regressions; the CLI writes the results JSON and the Markdown summary.
- The LLM drafter runs over the seed case against tests/fake_openai.py with recorded replies.
- CI guard: the offline drafter over every drafting case present meets the thresholds.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corpus_paths import FIXTURES
from fake_openai import FakeOpenAI, completion
from llm_helpers import config
from nianbao.cli import app
from nianbao.draft import DraftPart, DraftSentence, Notes, OfflineDrafter, TableData, load_notes
from nianbao.evals import (
    DraftingCase,
    compare_results,
    load_drafting_cases,
    load_results,
    markdown_summary,
    run_drafting,
)
from nianbao.evals import metrics as m
from nianbao.evals.cases import DEFAULT_CASES, load_case
from nianbao.model.report import Report

# The gating metrics: a breakage must move exactly the ones it concerns. chrF and the length ratio
# measure likeness to the reference and move with any change of text, so they are not among them.
GATING = (
    "number_recall",
    "unsupported_rate",
    "required_fact_recall",
    "identity_errors",
    "checker_errors",
    "repeated_rate",
)
REQUIRED = ["4376", "适老化", "政务公开质效测评", "信息处理费"]


@pytest.fixture
def seed_case(tmp_path: Path) -> DraftingCase:
    """The seed office's case in a temporary directory, from fixtures/lushan-2024.*.yaml (independent of
    the cases under evals/, which others edit)."""
    d = tmp_path / "cases" / "seed-tmp"
    d.mkdir(parents=True)
    shutil.copy(FIXTURES / "lushan-2024.notes.yaml", d / "notes.yaml")
    shutil.copy(FIXTURES / "lushan-2024.tables.yaml", d / "tables.yaml")
    (d / "case.yaml").write_text(
        "id: seed-tmp\ntitle: 鲁山县人民政府办公室2024年政府信息公开工作年度报告\nsource: seed\n"
        "reference: {fixture: lushan-2024.txt}\nrequired_facts: "
        + json.dumps(REQUIRED, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    return load_case(d, fixtures=FIXTURES)


class BrokenDrafter:
    """The offline drafter, broken on purpose: drops a note's sentences, adds a sentence with an invented
    number, or writes another county's agency for the reporting one."""

    def __init__(self, *, drop: str | None = None, invent: bool = False, swap: str | None = None) -> None:
        self.inner = OfflineDrafter()
        self.drop, self.invent, self.swap = drop, invent, swap

    def draft_part(self, key: str, notes: Notes, tables: TableData, previous: Report | None) -> DraftPart:
        part = self.inner.draft_part(key, notes, tables, previous)
        sentences: list[DraftSentence] = []
        carried: dict[str, Any] = {}  # a dropped sentence's sub-heading goes to the next one
        for s in part.sentences:
            if self.drop is not None and self.drop in s.note_ids:
                if s.subheading is not None:
                    carried = {"subheading": s.subheading}
                continue
            sentences.append(s.model_copy(update=carried) if carried else s)
            carried = {}
        if self.invent and key == "overview":
            sentences.append(
                DraftSentence(text="全年共开展政务公开专项督查12次。", note_ids=["oversight-evaluation"])
            )
        if self.swap is not None:
            sentences = [
                s.model_copy(update={"text": s.text.replace(notes.agency, self.swap)}) for s in sentences
            ]
        return part.model_copy(update={"sentences": sentences})


def metrics_of(case: DraftingCase, drafter: Any) -> dict[str, float | None]:
    results = run_drafting([case], drafter)
    (result,) = results.cases
    assert result.error is None and result.skipped is None
    return result.metrics


# --------------------------------------------------------------------------------- the offline drafter


def test_offline_drafter_on_the_seed(seed_case: DraftingCase) -> None:
    results = run_drafting([seed_case], OfflineDrafter())
    (case,) = results.cases
    mt = case.metrics
    # 10 noted numbers (4376条, 300余条, 49条, 20余次, 4次, 1次, 2024年, 〔2020〕109号, 表三's 20件), all stated
    assert case.parts["overview"]["numbers_noted"] + case.parts["other"]["numbers_noted"] == 9
    assert mt["number_recall"] == 1.0 and case.missing_numbers == []
    assert mt["unsupported_rate"] == 0.0 and case.unsupported_numbers == []
    assert mt["required_fact_recall"] == 1.0
    assert mt["identity_errors"] == 0 and case.identity == []
    assert mt["checker_errors"] == 0
    assert mt["repeated_rate"] == 0.0
    chrf, length = mt["chrf"], mt["length_ratio"]
    assert chrf is not None and 30 < chrf < 90  # like the seed's own text, not a copy of it
    assert length is not None and 0.5 < length < 1.5
    assert results.config.drafter == "offline" and results.config.prompt_hashes == {}
    assert results.usage.calls == 0 and results.means["number_recall"] == 1.0


def test_each_breakage_moves_exactly_its_metrics(seed_case: DraftingCase) -> None:
    good = metrics_of(seed_case, OfflineDrafter())
    cases = {
        # 4376条 is one of 10 noted numbers and one of 4 required facts
        "drop": (BrokenDrafter(drop="active-portal"), {"number_recall": 0.9, "required_fact_recall": 0.75}),
        "invent": (BrokenDrafter(invent=True), {"unsupported_rate": None}),
        "swap": (BrokenDrafter(swap="郏县人民政府办公室"), {"identity_errors": None}),
    }
    for name, (drafter, moved) in cases.items():
        bad = metrics_of(seed_case, drafter)
        for metric in GATING:
            if metric in moved:
                assert bad[metric] != good[metric], (name, metric)
                better = m.DIRECTIONS[metric] == "higher"
                worse = bad[metric] < good[metric] if better else bad[metric] > good[metric]  # type: ignore[operator]
                assert worse, (name, metric, good[metric], bad[metric])
                if moved[metric] is not None:
                    assert bad[metric] == pytest.approx(moved[metric]), (name, metric)
            else:
                assert bad[metric] == good[metric], (name, metric, good[metric], bad[metric])


def test_the_broken_details_name_the_breakage(seed_case: DraftingCase) -> None:
    res = run_drafting(
        [seed_case], BrokenDrafter(drop="active-portal", invent=True, swap="郏县人民政府办公室")
    )
    (case,) = res.cases
    assert case.missing_numbers == ["4376条（active-portal）"]
    assert case.missing_facts == ["4376"]
    assert case.unsupported_numbers == ["12次"]
    assert any(i.startswith("agency:郏县人民政府办公室") for i in case.identity)
    assert any(i.startswith("place:郏县") for i in case.identity)
    assert any(i.startswith("check:ID-AGENCY") for i in case.identity)  # the checker sees it too
    md = markdown_summary(res)
    assert "4376条（active-portal）" in md and "12次" in md and "郏县" in md


# --------------------------------------------------------------------------------------- the metrics


def test_numbers_are_normalised() -> None:
    stated = m.stated_numbers("发布信息４，３７６条，办理二十余件，占比百分之九十五，1.2万条")
    assert [(str(v), u) for v, u in stated] == [("4376", "条"), ("95", "%"), ("12000", "条"), ("20", "余件")]
    notes = load_notes(FIXTURES / "lushan-2024.notes.yaml")
    allowed = m.allowed_values(notes, None)
    assert m.unsupported_numbers("全年发布信息四千三百七十六条。", allowed) == (1, [])
    assert m.unsupported_numbers("召开座谈会五次，发布4377条。", allowed) == (2, ["4377条", "5次"])


def test_number_recall_wants_the_unit() -> None:
    noted = [m.NotedNumber(m.Decimal(4376), "条", "n", "overview")]  # type: ignore[attr-defined]
    assert m.number_recall(noted, "发布信息4376条。")[0] == 1.0
    assert m.number_recall(noted, "发布信息4376件。")[0] == 0.0
    assert m.number_recall(noted, "发布信息4,376条。")[0] == 1.0


def test_identity_scan_and_repeats() -> None:
    notes = load_notes(FIXTURES / "lushan-2024.notes.yaml")
    clean = "2024年，鲁山县人民政府办公室举办全县培训会1次。"
    assert m.identity_scan(clean, notes) == []
    found = {i.label() for i in m.identity_scan("2022年，舞钢市人民政府办公室组织培训。", notes)}
    assert found == {"agency:舞钢市人民政府办公室", "place:舞钢市", "year:2022年"}
    assert m.repeated_rate("发布信息4376条。发布信息4376条。召开会议。")[0] == pytest.approx(1 / 3)
    assert m.required_fact_recall(["4376", "政策 解读"], "发布４３７６条；政策解读") == (1.0, [])


def test_chrf_is_character_level() -> None:
    assert m.chrf("全年发布信息4376条", "全年发布信息4376条") == pytest.approx(100.0)
    low = m.chrf("本机关未收到申请", "全年发布信息4376条")
    assert low is not None and low < 10
    assert m.chrf("x", None) is None and m.length_ratio("一二三", "一二三四五六") == 0.5


# ---------------------------------------------------------------------------------- compare and CLI


def test_compare_reports_the_regressions(seed_case: DraftingCase) -> None:
    a = run_drafting([seed_case], OfflineDrafter())
    b = run_drafting([seed_case], BrokenDrafter(drop="active-portal", invent=True, swap="郏县人民政府办公室"))
    cmp = compare_results(a, b)
    worse = {(c.case, c.metric) for c in cmp.worse}
    for metric in ("number_recall", "required_fact_recall", "unsupported_rate", "identity_errors"):
        assert ("seed-tmp", metric) in worse and ("mean", metric) in worse
    assert ("seed-tmp", "checker_errors") not in worse
    assert not any(c.metric in GATING for c in cmp.better)
    back = compare_results(b, a)  # the other way round, the same metrics got better
    assert {(c.case, c.metric) for c in back.better} >= worse - {
        (c.case, c.metric) for c in cmp.worse if c.metric in ("chrf", "length_ratio")
    }


def test_cli_writes_results_and_markdown_and_compares(seed_case: DraftingCase, tmp_path: Path) -> None:
    runner = CliRunner()
    out, md = tmp_path / "r.json", tmp_path / "s.md"
    glob = str(seed_case.directory.parent) + "/*"
    r = runner.invoke(
        app, ["eval", "drafting", "--cases", glob, "-o", str(out), "--markdown", str(md), "--no-progress"]
    )
    assert r.exit_code == 0, r.output
    assert "seed-tmp" in r.output and "mean" in r.output and "number recall" in r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["config"]["drafter"] == "offline" and data["config"]["versions"]["nianbao"]
    assert data["cases"][0]["metrics"]["number_recall"] == 1.0 and "overview" in data["cases"][0]["parts"]
    assert data["means"]["unsupported_rate"] == 0.0
    text = md.read_text(encoding="utf-8")
    assert "| seed-tmp | 1.00 | 0.00 | 1.00 | 0 | 0 |" in text and "**mean**" in text

    worse = load_results(out)
    worse.cases[0].metrics["number_recall"] = 0.5
    worse.means["number_recall"] = 0.5
    bad = tmp_path / "bad.json"
    worse.write(bad)
    r = runner.invoke(app, ["eval", "compare", str(out), str(bad), "--fail-on-regression"])
    assert r.exit_code == 1, r.output
    assert "seed-tmp number_recall: 1 → 0.5" in r.output and "worse (2)" in r.output
    r = runner.invoke(app, ["eval", "compare", str(bad), str(out)])
    assert r.exit_code == 0 and "better (2)" in r.output


def test_cli_rejects_an_unknown_drafter_and_no_cases(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["eval", "drafting", "--drafter", "magic"]).exit_code == 2
    r = runner.invoke(app, ["eval", "drafting", "--cases", str(tmp_path) + "/*", "--no-progress"])
    assert r.exit_code == 2


# -------------------------------------------------------------------------------------- the LLM path


def _reply(sentences: list[tuple[str, str]], tokens: int) -> dict[str, Any]:
    return completion(
        tool_args={"sentences": [{"text": t, "notes": [i]} for i, t in sentences]},
        tool_name="PartSentences",
        prompt_tokens=tokens,
        completion_tokens=tokens // 4,
    )


def test_llm_drafter_over_the_seed_case(
    seed_case: DraftingCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao.draft.llm_drafter import LLMDrafter
    from nianbao.llm import LLM

    notes = load_notes(seed_case.notes_path)
    overview = [(n.id, n.text) for n in notes.by_part("overview")]
    overview.insert(
        1, ("requests-channel", "2024年，本机关收到政府信息公开申请20件，全部办结。")
    )  # 表三's figure
    problems = [(p.id, p.text) for p in notes.problems] + [(x.id, x.text) for x in notes.measures]
    problems += [(p.id, f"针对上年度“{p.text}”的问题，{p.done}") for p in notes.prior_problems]
    other = [(n.id, n.text) for n in notes.by_part("other")]
    # parts 二、三、四 have no notes: drafted offline, no call; one call each for 一、五、六
    replies = [_reply(overview, 1000), _reply(problems, 600), _reply(other, 400)]
    monkeypatch.setenv("NIANBAO_PRICE_PROMPT", "2")
    monkeypatch.setenv("NIANBAO_PRICE_COMPLETION", "8")
    with FakeOpenAI(replies) as srv, LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
        results = run_drafting([seed_case], LLMDrafter(llm))
    assert len(srv.requests) == 3
    (case,) = results.cases
    assert case.error is None, case.error
    assert case.metrics["number_recall"] == 1.0 and case.metrics["unsupported_rate"] == 0.0
    assert case.metrics["identity_errors"] == 0 and case.metrics["checker_errors"] == 0
    cfg = results.config
    assert cfg.drafter == "llm" and cfg.model == "fake-model"
    assert set(cfg.prompt_hashes) == {
        f"draft_{k}" for k in ("overview", "active", "requests", "review", "problems", "other")
    }
    assert all(len(h) == 64 for h in cfg.prompt_hashes.values())
    assert (case.usage.calls, case.usage.prompt_tokens, case.usage.completion_tokens) == (3, 2000, 500)
    assert case.usage.cost == pytest.approx((2000 * 2 + 500 * 8) / 1e6)
    assert results.usage.prompt_tokens == 2000
    assert "3 calls, 2000 prompt + 500 completion tokens" in markdown_summary(results)


def test_prices_unknown_cost_nothing() -> None:
    from nianbao.evals.runner import price_per_million

    assert price_per_million("m", {}) is None
    assert price_per_million("m", {"NIANBAO_PRICES": '{"m": [1, 3]}'}) == {"prompt": 1.0, "completion": 3.0}


# ----------------------------------------------------------------------------------------- CI guard


def _present_cases() -> Iterator[DraftingCase]:
    yield from load_drafting_cases()


THRESHOLDS = {"number_recall": 0.9, "unsupported_rate": 0.0, "identity_errors": 0.0, "checker_errors": 0.0}


@pytest.mark.skipif(not DEFAULT_CASES.is_dir(), reason="no evals/cases/drafting")
def test_ci_guard_offline_drafter_over_every_case() -> None:
    cases = list(_present_cases())
    runnable = [c for c in cases if c.skip is None]
    if not runnable:
        pytest.skip("no drafting case can run here")
    results = run_drafting(runnable, OfflineDrafter())
    failures = []
    for c in results.cases:
        if c.error is not None:
            failures.append(f"{c.id}: {c.error}")
            continue
        for metric, limit in THRESHOLDS.items():
            value = c.metrics[metric]
            ok = value is not None and (value >= limit if metric == "number_recall" else value <= limit)
            if not ok:
                failures.append(f"{c.id} {metric} = {value} (limit {limit})")
    mean = results.means["number_recall"]
    assert mean is not None and mean >= THRESHOLDS["number_recall"]
    assert not failures, "\n".join(failures) + "\n\n" + markdown_summary(results)
