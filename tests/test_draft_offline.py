"""The offline drafter and assembly: the seed office's notes and tables give a report that checks clean,
states every noted number, and holds no number, place or agency that the notes and tables do not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nianbao import divisions
from nianbao.draft.assemble import (
    assemble,
    carry_over_problem,
    check_draft,
    input_problems,
    preamble_text,
    render_bytes,
)
from nianbao.draft.model import DRAFT_PARTS, DraftPart, DraftSentence, ReportDraft, draft_report, redraft
from nianbao.draft.notes import Notes, load_notes, notes_from_data
from nianbao.draft.offline import OfflineDrafter, requests_summary, review_summary, sentence
from nianbao.draft.table_data import TableData, load_tables, tables_from_data
from nianbao.model.finding import Finding
from nianbao.model.report import Report
from nianbao.render import render_text

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "fixtures" / "lushan-2024.notes.yaml"
TABLES = ROOT / "fixtures" / "lushan-2024.tables.yaml"
AGENCY = "鲁山县人民政府办公室"
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
# Figures of the fixed template wording: 国办公开办函〔2021〕30号 in the preamble.
TEMPLATE_NUMBERS = {"2021", "30"}


@pytest.fixture(scope="module")
def seed() -> tuple[Notes, TableData]:
    return load_notes(NOTES), load_tables(TABLES)


def drafted(notes: Notes, tables: TableData, previous: Report | None = None) -> tuple[ReportDraft, Report]:
    draft = draft_report(OfflineDrafter(), notes, tables, previous)
    return draft, assemble(draft, notes, tables, previous)


def findings_of(report: Report, previous: Report | None = None) -> list[Finding]:
    return check_draft(report, previous)[1]


def narrative(report: Report) -> str:
    """The rendered text without table rows (the tables are the table data, drawn by the renderer)."""
    return "\n".join(line for line in render_text(report).splitlines() if "\t" not in line)


def test_seed_offline_draft_checks_clean(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    draft, report = drafted(notes, tables)
    assert [(f.rule, f.severity.value) for f in findings_of(report)] == []
    assert draft.unused_notes == [] and draft.removed == []
    assert [p.key for p in draft.parts] == list(DRAFT_PARTS)


def test_every_noted_number_is_in_the_draft(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    _draft, report = drafted(notes, tables)
    text_numbers = set(NUMBER_RE.findall(narrative(report)))
    for note_id in notes.ids():
        for number in NUMBER_RE.findall(notes.text_of(note_id)):
            assert number in text_numbers, (note_id, number)
    # and the 依申请 figures of table 三 are stated
    assert "收到政府信息公开申请20件" in narrative(report) and "办结20件" in narrative(report)


def test_no_number_place_year_or_agency_that_the_inputs_do_not_hold(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    _draft, report = drafted(notes, tables)
    text = narrative(report)
    allowed = {n for i in notes.ids() for n in NUMBER_RE.findall(notes.text_of(i))}
    allowed |= tables.numbers() | {str(notes.year)} | {"1", "12", "31"} | TEMPLATE_NUMBERS
    invented = [n for n in NUMBER_RE.findall(text) if n not in allowed]
    assert invented == []
    years = {int(y) for y in re.findall(r"((?:19|20)\d\d)年", text)}
    assert years == {2024}
    # places: the agency's county and its parents only
    [county] = divisions.lookup("鲁山县")
    mine = {county.name, *(a.name for a in divisions.ancestors(county))}
    places = {m.name for m in divisions.find_in_text(text)}
    assert places and places <= mine, places - mine
    # agency: the title, the metadata and every 「…人民政府办公室」 / 「…人民政府」 naming a body
    assert (
        report.metadata.agency == AGENCY
        and report.metadata.title == f"{AGENCY}2024年政府信息公开工作年度报告"
    )
    assert text.splitlines()[0] == f"{AGENCY}2024年政府信息公开工作年度报告"
    for m in re.finditer(r"([\u4e00-\u9fff]{2,8}?)人民政府办公室", text):
        assert m.group(0) == AGENCY, m.group(0)
    assert "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止" in text


def test_sentences_carry_their_note_ids(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    draft, _ = drafted(notes, tables)
    overview = draft.part("overview")
    assert overview is not None
    by_id = {i: s for s in overview.sentences for i in s.note_ids}
    assert by_id["active-portal"].text == "全年通过县政府门户网站发布信息4376条。"
    assert by_id["active-portal"].subheading == "（一）主动公开情况。"
    problems = draft.part("problems")
    assert problems is not None
    ids = [s.note_ids for s in problems.sentences]
    # 五: last year's problem, then each problem followed by its measure
    assert ids == [["lp-forms"], ["p-interpretation"], ["m-interpretation"], ["p-columns"], ["m-columns"]]
    # table-only sentences rest on no note
    requests_sentence = next(s for s in overview.sentences if "收到政府信息公开申请" in s.text)
    assert requests_sentence.note_ids == []


def test_an_unused_note_is_listed(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed

    class Forgetful(OfflineDrafter):
        def draft_part(
            self, key: str, notes: Notes, tables: TableData, previous: Report | None = None
        ) -> DraftPart:
            part = super().draft_part(key, notes, tables, previous)
            part.sentences = [s for s in part.sentences if "platform-aged" not in s.note_ids]
            return part

    draft = draft_report(Forgetful(), notes, tables)
    assert draft.unused_notes == ["platform-aged"]


def test_redraft_replaces_one_part_only(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    draft, _ = drafted(notes, tables)
    data = yaml.safe_load(NOTES.read_text(encoding="utf-8"))
    data["notes"]["信息处理费"][0]["text"] = "本年度未发出收费通知，未收取信息处理费。"
    data["notes"]["建议提案办理"].append({"id": "proposals-2", "text": "建议提案办理情况按季度通报。"})
    edited = notes_from_data(data)
    again = redraft(draft, "other", OfflineDrafter(), edited, tables)
    for key in DRAFT_PARTS:
        if key != "other":
            assert again.part(key) == draft.part(key)
    other = again.part("other")
    assert other is not None and "建议提案办理情况按季度通报。" in other.text
    assert again.unused_notes == []
    with pytest.raises(ValueError):
        redraft(draft, "nope", OfflineDrafter(), edited, tables)


def test_requests_summary_with_carry_over_checks_clean(seed: tuple[Notes, TableData]) -> None:
    notes, _ = seed
    tables = tables_from_data(
        {
            "表二": {},
            "表三": {
                "本年新收": {"自然人": 7, "法律服务机构": 1},
                "上年结转": {"自然人": 2},
                "予以公开": {"自然人": 4},
                "部分公开": {"法律服务机构": 1},
                "本机关不掌握相关政府信息": {"自然人": 3},
                "结转下年度继续办理": {"自然人": 2},
            },
            "表四": {"行政复议": {"结果维持": 1}, "未经复议直接起诉": {"尚未审结": 1}},
        }
    )
    assert requests_summary(tables, 2024) == (
        "2024年，本机关收到政府信息公开申请8件，上年结转2件，办结8件，结转下年度继续办理2件。"
    )
    assert review_summary(tables) == "本年度因政府信息公开工作被申请行政复议1件，被提起行政诉讼1件。"
    _draft, report = drafted(notes, tables)
    assert findings_of(report) == []


def test_fee_notices_need_a_fee_note(seed: tuple[Notes, TableData]) -> None:
    notes, _ = seed
    tables = tables_from_data(
        {
            "表二": {},
            "表三": {"本年新收": {"自然人": 1}, "申请人逾期未按收费通知要求缴纳费用": {"自然人": 1}},
            "表四": {},
        }
    )
    data = yaml.safe_load(NOTES.read_text(encoding="utf-8"))
    del data["notes"]["信息处理费"]
    without = notes_from_data(data)
    [(zh, en)] = input_problems(without, tables)
    assert "（六）其他处理" in zh and "信息处理费" in zh and "fee notices" in en
    data["notes"]["信息处理费"] = [
        {
            "id": "fee",
            "text": "本年度发出收费通知1件，金额0.02万元，申请人逾期未缴纳，实际收取信息处理费0元。",
        }
    ]
    with_fee = notes_from_data(data)
    assert input_problems(with_fee, tables) == []
    _draft, report = drafted(with_fee, tables)
    assert [f.rule for f in findings_of(report) if f.severity.value == "error"] == []


def test_zero_fee_statement_is_added_when_part_six_is_silent(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    draft, _ = drafted(notes, tables)
    bare = draft.model_copy(
        update={
            "parts": [
                p if p.key != "other" else DraftPart(key="other", heading="六、其他需要报告的事项")
                for p in draft.parts
            ]
        }
    )
    report = assemble(bare, notes, tables)
    other = report.part("other")
    assert other is not None and other.text == "本年度未发出收费通知，未收取信息处理费。"
    assert findings_of(report) == []


def test_a_wrong_noted_figure_is_found_by_the_checker(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    data = yaml.safe_load(NOTES.read_text(encoding="utf-8"))
    data["notes"]["依申请公开"].append({"id": "wrong", "text": "全年共办理依申请公开25件。"})
    _draft, report = drafted(notes_from_data(data), tables)
    assert "TXT-REQUESTS" in {f.rule for f in findings_of(report)}


def test_carry_over_against_last_year(seed: tuple[Notes, TableData]) -> None:
    notes, tables = seed
    last_tables = tables_from_data(
        {
            "表二": {},
            "表三": {
                "本年新收": {"自然人": 3},
                "予以公开": {"自然人": 1},
                "结转下年度继续办理": {"自然人": 2},
            },
            "表四": {},
        }
    )
    last_notes = notes.model_copy(update={"year": 2023})
    _d, last = drafted(last_notes, last_tables)
    last_read, _ = check_draft(last)
    problem = carry_over_problem(tables, last_read)
    assert problem is not None
    zh, en = problem
    assert "表三“二、上年结转政府信息公开申请数量”为0件" in zh and "2023年度报告" in zh and "为2件" in zh
    assert "carried 2 over" in en
    same = last_read.model_copy(deep=True)
    assert same.table3 is not None
    for key, cell in list(same.table3.rows["carry_out"].cells.items()):
        same.table3.rows["carry_out"].cells[key] = cell.model_copy(update={"value": 0, "raw": "0"})
    assert carry_over_problem(tables, same) is None
    assert carry_over_problem(tables, None) is None


def test_render_bytes_and_preamble() -> None:
    assert "统计期限自2023年1月1日起至2023年12月31日止" in preamble_text(2023)
    assert "六个部分" in preamble_text(2023)
    notes, tables = load_notes(NOTES), load_tables(TABLES)
    _d, report = drafted(notes, tables)
    assert render_bytes(report, ".docx")[:2] == b"PK"
    assert render_bytes(report, ".md").decode("utf-8").startswith(AGENCY)


@pytest.mark.parametrize(
    ("raw", "out"),
    [
        ("发布信息4376条", "发布信息4376条。"),
        ("共5人次；", "共5人次。"),
        ("已完成。", "已完成。"),
        ("“重点领域”", "“重点领域”。"),
    ],
)
def test_sentence(raw: str, out: str) -> None:
    assert sentence(raw) == out


def test_draft_part_text_joins_paragraphs() -> None:
    part = DraftPart(
        key="problems",
        heading="五、存在的主要问题及改进情况",
        sentences=[
            DraftSentence(text="一是甲。", subheading="（一）问题。"),
            DraftSentence(text="措施甲。"),
            DraftSentence(text="二是乙。", paragraph_break=True),
        ],
    )
    assert part.text == "（一）问题。\n一是甲。措施甲。\n二是乙。"
