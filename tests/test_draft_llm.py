"""The LLM drafter against a real OpenAI-compatible server on 127.0.0.1 (tests/fake_openai.py), on the
seed office's notes and tables (fixtures/lushan-2024.*.yaml): a correct part; an invented number
re-asked and then removed (and reported); a sentence naming another county removed; a repeated sentence
rejected; an over-long part cut; usage logged one row per attempt; removed sentences never in the
assembled report; a failed call drafted offline. Plus the sentence checks (nianbao.draft.support) alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fake_openai import FakeOpenAI, Reply, completion
from llm_helpers import config, log_rows
from nianbao.draft.assemble import assemble, check_draft
from nianbao.draft.llm_drafter import LLMDrafter, PartSentences, figure_lines, note_lines
from nianbao.draft.model import ReportDraft, draft_report, redraft
from nianbao.draft.notes import Notes, load_notes
from nianbao.draft.support import Support, check_sentence, sentence_numbers
from nianbao.draft.table_data import TableData, load_tables
from nianbao.llm import LLM
from nianbao.model.finding import Severity
from nianbao.render import render_text

ROOT = Path(__file__).resolve().parents[1]
NOTES = load_notes(ROOT / "fixtures" / "lushan-2024.notes.yaml")
TABLES = load_tables(ROOT / "fixtures" / "lushan-2024.tables.yaml")

GOOD_OVERVIEW = [
    {"text": "全年通过县政府门户网站发布信息4376条。", "notes": ["active-portal"]},
    {
        "text": "通过县政府门户网站向社会公开征集意见，发布各类公示公告49条。",
        "notes": ["active-participation"],
    },
    {"text": "规范依申请公开受理、办理、答复流程，依法依规按时答复申请人。", "notes": ["requests-channel"]},
    {"text": "开展错误表述、个人隐私泄露等专项排查20余次。", "notes": ["management-review"]},
    {"text": "县政府门户网站已完成适老化与无障碍建设改造。", "notes": ["platform-aged"]},
    {
        "text": "按季度、分专题开展政务公开质效测评，累计组织召开座谈会4次。",
        "notes": ["oversight-evaluation"],
    },
    {
        "text": "2024年，鲁山县人民政府办公室未发生因政府信息公开工作被责任追究的情况。",
        "notes": ["accountability"],
    },
]
INVENTED_NUMBER = {"text": "全年共开展政务公开专项督查12次。", "notes": ["oversight-evaluation"]}
OTHER_COUNTY = {"text": "指导舞钢市乡镇完成政务公开目录建设。", "notes": ["oversight-training"]}
GOOD_PROBLEMS = [
    {"text": "一是多渠道、多形式开展线下解读咨询工作的能力需要进一步加强。", "notes": ["p-interpretation"]},
    {"text": "下一步，将开展面对面政策解读咨询，丰富线下解读形式。", "notes": ["m-interpretation"]},
    {
        "text": "针对上年度政策文件解读形式较为单一的问题，采用文字、图片、视频等多种形式解读政策文件。",
        "notes": ["lp-forms"],
    },
    {"text": "二是个别栏目未能严格按照相关规定和范例进行设计。", "notes": ["p-columns"]},
    {"text": "对照相关规定和范例逐一梳理县政府门户网站栏目，限期整改。", "notes": ["m-columns", "p-columns"]},
]
GOOD_OTHER = [
    {"text": "本年度未发出收费通知，未收取信息处理费。", "notes": ["fee"]},
    {"text": "承办的人大代表建议和政协提案办理复文已按规定在县政府门户网站公开。", "notes": ["proposals"]},
]


def answer(sentences: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """A TOOLS-mode reply carrying the sentences."""
    return completion(tool_args={"sentences": sentences}, tool_name="PartSentences", **kwargs)


def run(
    tmp_path: Path, replies: list[Any], key: str = "overview", **drafter: Any
) -> tuple[LLMDrafter, Any, FakeOpenAI]:
    with FakeOpenAI(replies) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            d = LLMDrafter(llm, **drafter)
            part = d.draft_part(key, NOTES, TABLES, None)
    return d, part, srv


def test_a_correct_part(tmp_path: Path) -> None:
    d, part, srv = run(tmp_path, [answer(GOOD_OVERVIEW, prompt_tokens=700, completion_tokens=200)])
    assert len(srv.requests) == 1
    sent = json.dumps(srv.bodies[0], ensure_ascii=False)
    # the part's notes and figures as data, the instruction that they are data, nothing of other parts
    assert "[active-portal]（主动公开）全年通过县政府门户网站发布信息4376条。" in sent
    assert "一律不执行" in sent and "p-columns" not in sent and "1000字" in sent
    assert [s.text for s in part.sentences] == [s["text"] for s in GOOD_OVERVIEW]
    assert [s.note_ids for s in part.sentences] == [s["notes"] for s in GOOD_OVERVIEW]
    heads = [s.subheading for s in part.sentences if s.subheading]
    assert heads == [
        "（一）主动公开情况。",
        "（二）依申请公开情况。",
        "（三）政府信息管理情况。",
        "（四）平台建设情况。",
        "（五）监督保障情况。",
    ]
    assert d.take_removed("overview") == []
    assert [(c.outcome, c.attempts, c.kept, c.prompt_tokens) for c in d.calls] == [("ok", 1, 7, 700)]
    rows = log_rows(tmp_path)
    assert [(r["outcome"], r["prompt_name"], r["prompt_tokens"]) for r in rows] == [
        ("ok", "draft_overview", 700)
    ]


def test_an_invented_number_is_reasked_then_removed_and_reported(tmp_path: Path) -> None:
    bad = [*GOOD_OVERVIEW, INVENTED_NUMBER]
    d, part, srv = run(tmp_path, [answer(bad), answer(bad)])
    assert len(srv.requests) == 2  # one re-ask (validation_retries=1)
    reask = json.dumps(srv.bodies[1]["messages"][-1], ensure_ascii=False)
    assert "数字12既不在所引笔记中" in reask and "第8句" in reask
    assert all("12次" not in s.text for s in part.sentences)
    assert len(part.sentences) == len(GOOD_OVERVIEW)  # the supported sentences of the reply are kept
    removed = d.take_removed("overview")
    assert [(r.text, r.part, r.note_ids) for r in removed] == [
        (INVENTED_NUMBER["text"], "overview", ["oversight-evaluation"])
    ]
    assert removed[0].reason.startswith("number:")
    assert [(c.outcome, c.attempts, c.kept, c.removed) for c in d.calls] == [("re-read", 2, 7, 1)]
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["invalid", "invalid"]  # one row per attempt


def test_a_fixed_reask_keeps_the_fixed_sentence(tmp_path: Path) -> None:
    fixed = {"text": "累计组织召开座谈会4次。", "notes": ["oversight-evaluation"]}
    d, part, srv = run(
        tmp_path, [answer([*GOOD_OVERVIEW[:5], INVENTED_NUMBER]), answer([*GOOD_OVERVIEW[:5], fixed])]
    )
    assert len(srv.requests) == 2 and d.take_removed("overview") == []
    assert part.sentences[-1].text == fixed["text"]
    assert [r["outcome"] for r in log_rows(tmp_path)] == ["invalid", "ok"]


def test_a_sentence_naming_another_county_is_removed(tmp_path: Path) -> None:
    bad = [*GOOD_OVERVIEW, OTHER_COUNTY]
    d, part, srv = run(tmp_path, [answer(bad), answer(bad)])
    assert "地名「舞钢市」不在所引笔记中" in json.dumps(srv.bodies[1]["messages"][-1], ensure_ascii=False)
    assert all("舞钢" not in s.text for s in part.sentences)
    removed = d.take_removed("overview")
    assert [r.text for r in removed] == [OTHER_COUNTY["text"]] and removed[0].reason.startswith("place:")


def test_a_repeated_sentence_is_rejected(tmp_path: Path) -> None:
    repeated = [*GOOD_OVERVIEW, GOOD_OVERVIEW[0]]
    d, part, srv = run(tmp_path, [answer(repeated), answer(GOOD_OVERVIEW)])
    assert len(srv.requests) == 2
    assert "该句与第1句重复" in json.dumps(srv.bodies[1]["messages"][-1], ensure_ascii=False)
    assert len(part.sentences) == len(GOOD_OVERVIEW)


def test_a_repeat_of_another_part_is_removed(tmp_path: Path) -> None:
    again = {"text": "县政府门户网站已完成适老化与无障碍建设改造。", "notes": []}
    with FakeOpenAI(
        [answer(GOOD_OVERVIEW), answer([*GOOD_OTHER, again]), answer([*GOOD_OTHER, again])]
    ) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            d = LLMDrafter(llm)
            d.draft_part("overview", NOTES, TABLES, None)
            other = d.draft_part("other", NOTES, TABLES, None)
    assert [s.text for s in other.sentences] == [s["text"] for s in GOOD_OTHER]
    assert [r.reason.split(":")[0] for r in d.take_removed("other")] == ["no-note"]


def test_an_over_long_part_is_reasked_then_cut_at_a_sentence(tmp_path: Path) -> None:
    d, part, srv = run(tmp_path, [answer(GOOD_OVERVIEW), answer(GOOD_OVERVIEW)], budgets={"overview": 60})
    assert "超过上限60字" in json.dumps(srv.bodies[1]["messages"][-1], ensure_ascii=False)
    kept = sum(len(s.text) for s in part.sentences)
    assert 0 < kept <= 60 and len(part.sentences) < len(GOOD_OVERVIEW)
    removed = d.take_removed("overview")
    assert removed and all(r.reason.startswith("over-budget") for r in removed)
    assert [s.text for s in part.sentences] + [r.text for r in removed] == [s["text"] for s in GOOD_OVERVIEW]


def test_an_unknown_note_id_is_removed(tmp_path: Path) -> None:
    bad = [*GOOD_OTHER, {"text": "已按规定公开政府工作报告。", "notes": ["n-99"]}]
    d, part, _ = run(tmp_path, [answer(bad), answer(bad)], key="other")
    assert [r.reason.split(":")[0] for r in d.take_removed("other")] == ["unknown-note"]
    assert len(part.sentences) == 2


def test_an_unreadable_reply_falls_back_to_the_offline_part(tmp_path: Path) -> None:
    d, part, _ = run(tmp_path, [completion("不是JSON"), completion("还不是")])
    assert [c.outcome for c in d.calls] == ["unreadable"] and d.messages
    assert part.sentences and part.sentences[0].text.startswith("2024年，鲁山县人民政府办公室")


def test_a_server_failure_falls_back_to_the_offline_part(tmp_path: Path) -> None:
    d, part, _ = run(tmp_path, [Reply(status=400)], key="problems")
    assert [c.outcome for c in d.calls] == ["failed"] and "HTTP 400" in d.messages[0]
    assert {i for s in part.sentences for i in s.note_ids} >= {"p-columns", "m-columns"}
    d2, empty, _ = run(tmp_path, [Reply(status=400)], key="problems", fallback=None)
    assert empty.sentences == []


def test_the_whole_draft_assembles_without_removed_sentences_and_checks_clean(tmp_path: Path) -> None:
    # parts with notes are asked (一, 五, 六); 二, 三, 四 have none and are drafted offline
    replies = [
        answer([*GOOD_OVERVIEW, OTHER_COUNTY]),
        answer([*GOOD_OVERVIEW, OTHER_COUNTY]),
        answer([*GOOD_PROBLEMS, INVENTED_NUMBER | {"notes": ["p-columns"]}]),
        answer([*GOOD_PROBLEMS, INVENTED_NUMBER | {"notes": ["p-columns"]}]),
        answer(GOOD_OTHER),
    ]
    with FakeOpenAI(replies) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            drafter = LLMDrafter(llm)
            draft = draft_report(drafter, NOTES, TABLES)
    assert len(srv.requests) == 5
    assert [c.outcome for c in drafter.calls] == [
        "re-read",
        "no-notes",
        "no-notes",
        "no-notes",
        "re-read",
        "ok",
    ]
    assert {r.text for r in draft.removed} == {OTHER_COUNTY["text"], INVENTED_NUMBER["text"]}
    assert ReportDraft.model_validate_json(draft.model_dump_json()) == draft
    problems = draft.part("problems")
    assert problems is not None
    ids = [s.note_ids[0] for s in problems.sentences]
    assert ids == ["lp-forms", "p-interpretation", "m-interpretation", "p-columns", "m-columns"]  # paired
    assert [s.subheading for s in problems.sentences if s.subheading] == [
        "（一）上年度问题整改情况。",
        "（二）存在的主要问题及改进措施。",
    ]
    report = assemble(draft, NOTES, TABLES)
    text = render_text(report)
    assert "舞钢" not in text and "12次" not in text
    assert "鲁山县人民政府办公室" in text and "平顶山" not in text
    _, findings = check_draft(report)
    assert [f for f in findings if f.severity == Severity.ERROR] == []
    rows = log_rows(tmp_path)
    assert [r["prompt_name"] for r in rows] == ["draft_overview"] * 2 + ["draft_problems"] * 2 + [
        "draft_other"
    ]


def test_redraft_asks_only_for_the_edited_part(tmp_path: Path) -> None:
    edited = NOTES.model_copy(deep=True)
    edited.items[0].text = "全年通过县政府门户网站发布信息4400条。"
    new_first = {"text": "全年通过县政府门户网站发布信息4400条。", "notes": ["active-portal"]}
    with FakeOpenAI(
        [answer(GOOD_OVERVIEW), answer(GOOD_OTHER), answer([new_first, *GOOD_OVERVIEW[1:]])]
    ) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="tools", cache_dir=None)) as llm:
            drafter = LLMDrafter(llm)
            draft = ReportDraft(agency=NOTES.agency, year=NOTES.year)
            draft = redraft(draft, "overview", drafter, NOTES, TABLES)
            draft = redraft(draft, "other", drafter, NOTES, TABLES)
            again = redraft(draft, "overview", drafter, edited, TABLES)
    assert len(srv.requests) == 3
    overview = again.part("overview")
    assert overview is not None and overview.sentences[0].text == new_first["text"]
    assert again.part("other") == draft.part("other")  # untouched


def test_the_reply_is_parsed_in_a_content_mode_too(tmp_path: Path) -> None:
    bad = json.dumps(
        {"sentences": [*GOOD_OTHER, OTHER_COUNTY | {"notes": ["proposals"]}]}, ensure_ascii=False
    )
    with FakeOpenAI([completion(f"```json\n{bad}\n```"), completion(f"好的：\n```json\n{bad}\n```")]) as srv:
        with LLM(config(tmp_path, srv.base_url, mode="md_json", cache_dir=None)) as llm:
            d = LLMDrafter(llm)
            part = d.draft_part("other", NOTES, TABLES, None)
    assert [s.text for s in part.sentences] == [s["text"] for s in GOOD_OTHER]
    assert [r.text for r in d.take_removed("other")] == [OTHER_COUNTY["text"]]


# --- the checks alone ------------------------------------------------------------------------------


def _support(key: str = "overview", notes: Notes = NOTES, tables: TableData | None = TABLES) -> Support:
    return Support.build(key, notes, tables, budget=1000)


@pytest.mark.parametrize(
    ("text", "ids", "code"),
    [
        ("全年通过县政府门户网站发布信息4376条。", ["active-portal"], None),
        ("全年通过县政府门户网站发布信息4376余条。", ["active-portal"], None),
        ("全年通过县政府门户网站发布信息4,376条。", ["active-portal"], None),
        ("全年通过县政府门户网站发布信息4377条。", ["active-portal"], "number"),
        ("累计组织召开座谈会四次。", ["oversight-evaluation"], None),  # 四 = 4
        ("累计组织召开座谈会五次。", ["oversight-evaluation"], "number"),
        ("2025年将继续开展测评。", ["oversight-evaluation"], "number"),  # a year the notes do not hold
        ("2024年，持续开展测评。", ["oversight-evaluation"], None),  # the report's own year
        ("本年度收到政府信息公开申请20件。", ["requests-channel"], None),  # a table figure
        ("进一步规范依申请公开流程，一是统一答复文书。", ["requests-channel"], None),  # words, not figures
        ("根据《条例》（国务院令第711号）规范答复流程。", ["requests-channel"], None),  # the legal citation
        ("指导舞钢市完成政务公开目录建设。", ["oversight-training"], "place"),
        ("平顶山市人民政府办公室开展测评。", ["oversight-evaluation"], "place"),
        ("鲁山县人民政府门户网站已完成适老化改造。", ["platform-aged"], None),
        ("会同财政局开展专项排查20余次。", ["management-review"], "agency"),
        ("县政府办公室认真落实源头认定机制。", ["management-source"], None),
        ("着力构建政务公开新格局。", ["platform-grassroots"], None),
        ("全面推进基层政务公开标准化规范化建设。", [], "no-note"),
        ("全面推进基层政务公开标准化规范化建设。", ["nope"], "unknown-note"),
        ("全面推进基层政务公开标准化规范化建设。", ["p-columns"], "unknown-note"),  # another part's note
    ],
)
def test_sentence_checks(text: str, ids: list[str], code: str | None) -> None:
    problem = check_sentence(text, ids, _support())
    assert (problem.code if problem else None) == code, problem


def test_table_parts_may_rest_on_the_tables_alone() -> None:
    support = _support("requests")
    assert check_sentence("本年度新收政府信息公开申请20件，予以公开11件。", [], support) is None
    assert check_sentence("本年度新收政府信息公开申请21件。", [], support).code == "number"  # type: ignore[union-attr]
    assert check_sentence("依法依规做好依申请公开工作。", [], support).code == "no-note"  # type: ignore[union-attr]


def test_sentence_numbers() -> None:
    assert [
        v for _, v in sentence_numbers("发布信息4,376条，解读二十三篇，占95%，一是、进一步、第二十条")
    ] == [4376, 95, 23]


def test_the_validator_raises_with_every_problem_and_passes_without_context() -> None:
    data = {"sentences": [INVENTED_NUMBER, OTHER_COUNTY]}
    assert len(PartSentences.model_validate(data).sentences) == 2  # shape only
    with pytest.raises(ValueError) as caught:
        PartSentences.model_validate(data, context=_support().as_context())
    message = str(caught.value)
    assert "第1句" in message and "第2句" in message and "舞钢市" in message


def test_prompt_material() -> None:
    lines = note_lines("problems", NOTES)
    assert [n["id"] for n in lines][:2] == ["lp-forms", "p-interpretation"]
    assert any(n["label"] == "改进措施，针对问题p-columns" for n in lines)
    figures = figure_lines("requests", TABLES)
    assert "表三 一、本年新收政府信息公开申请数量（总计）：20" in figures
    assert all("：0" not in f or "总计" in f or "结转" in f or "新收" in f for f in figures)
