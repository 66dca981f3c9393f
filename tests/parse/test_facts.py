"""Standard narrative statements → facts: patterns, qualifiers, scope and spans."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import nianbao
from corpus_paths import FIXTURES
from nianbao.model.report import Fact, Heading, Paragraph, Part, Report
from nianbao.model.span import Span
from nianbao.parse.facts import extract_facts


def _facts(text: str, part: str = "overview", line: int = 13) -> list[Fact]:
    para = Paragraph(text=text, span=Span(line=line, column=1), part=part)
    heading = Heading(
        text="一、总体情况", number="一", title="总体情况", depth=1, span=Span(line=1, column=1)
    )
    return extract_facts(Report(parts=[Part(key=part, heading=heading, paragraphs=[para])]))


def _pairs(facts: list[Fact]) -> list[tuple[str, int | Decimal]]:
    return [(f.key, f.value) for f in facts]


def _one(facts: list[Fact], key: str) -> Fact:
    hits = [f for f in facts if f.key == key]
    assert len(hits) == 1, (key, _pairs(facts))
    return hits[0]


def test_seed_sentence_with_spaces_and_span_of_the_number() -> None:
    text = "（二）依申请公开情况。2024 年，共办理线下依申请公开信息 20 件，涉及自然人及法人共 5 人次；"
    facts = _facts(text)
    assert _pairs(facts) == [("requests.handled", 20), ("applicants.person_times", 5)]
    handled = _one(facts, "requests.handled")
    assert handled.span == Span(line=13, column=text.index(" 20 件") + 2)
    assert handled.quote == "办理线下依申请公开信息 20 件" and handled.part == "overview"
    assert _one(facts, "applicants.person_times").unit == "人次"


def test_standard_request_paragraph() -> None:
    facts = _facts(
        "本局共收到政府信息公开申请37件，上年结转3件，共办理答复37件，结转下年度继续办理3件。"
        "其中，自然人申请30件，法人或其他组织申请7件。"
    )
    assert _pairs(facts) == [
        ("requests.received", 37),
        ("requests.carry_in", 3),
        ("requests.handled", 37),
        ("requests.carry_out", 3),
        ("applicants.natural", 30),
        ("applicants.legal", 7),
    ]


def test_carry_in_in_brackets_qualifies_the_count_before_it() -> None:
    facts = _facts(
        "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含\n上年结转 189 件），均在法定期限内答复。"
    )
    assert "incl_carry_in" not in _one(facts, "requests.received").qualifiers
    assert "incl_carry_in" in _one(facts, "requests.handled").qualifiers
    assert _one(facts, "requests.carry_in").value == 189


def test_received_including_carry_in() -> None:
    received = _one(_facts("本年度依申请公开工作中，受理申请二十件（含上年结转两件）。"), "requests.received")
    assert received.value == 20 and "incl_carry_in" in received.qualifiers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("结转下年度继续办理3件。", 3),
        ("共办理718件，结转下一年 31 件。", 31),
        ("顺延至下年度答复5件。", 5),
        ("转下一\n年度办理答复的有 1 件。", 1),
        ("另有5件申请转结下年度继续办理。", 5),
    ],
)
def test_carry_out_wordings(text: str, value: int) -> None:
    assert _one(_facts(text), "requests.carry_out").value == value


def test_chinese_numerals_and_approximations() -> None:
    facts = _facts("共受理政府信息公开申请一百零五件，办理答复两件，上年结转20余件。")
    assert _one(facts, "requests.received").value == 105
    assert _one(facts, "requests.handled").value == 2
    carry = _one(facts, "requests.carry_in")
    assert carry.value == 20 and "approx" in carry.qualifiers


def test_outcomes_and_percentages() -> None:
    facts = _facts(
        "其中，予以公开及部分公开 208 件（17.46%），不予公开 20 件（1.68%），因本机关不掌握等原因无法提供 564 件"
        "（47.36%），属信访、重复申请等不予处理 80 件（6.72%），其他处理 319 件（26.78%，含申请人主动撤回 157 件）。"
    )
    assert _pairs([f for f in facts if f.key.startswith("outcome.")]) == [
        ("outcome.open_partial", 208),
        ("outcome.deny", 20),
        ("outcome.unable", 564),
        ("outcome.noproc", 80),
        ("outcome.other", 319),
    ]
    assert _one(facts, "percent.open_partial").value == Decimal("17.46")
    assert _one(facts, "percent.other").unit == "%"
    assert not [f for f in facts if f.key.startswith("requests.")]  # 撤回157件 is not a carry-in


def test_separate_open_and_partial_and_a_share_of_the_handled() -> None:
    facts = _facts("予以公开15件，部分公开4件，予以公开及部分公开占办理总数的51.35%。")
    assert _one(facts, "outcome.open").value == 15
    assert _one(facts, "outcome.partial").value == 4
    share = _one(facts, "percent.open_partial")
    assert share.value == Decimal("51.35") and "of_handled" in share.qualifiers


def test_review_and_suit() -> None:
    facts = _facts("全年因政府信息公开被申请行政复议4件，被提起行政诉讼2件，均获维持。")
    review, suit = _one(facts, "review.total"), _one(facts, "suit.total")
    assert (review.value, suit.value) == (4, 2)
    assert "all_upheld" in review.qualifiers and "all_upheld" in suit.qualifiers


def test_review_number_first_and_zero_suits() -> None:
    facts = _facts(
        "2024 年市科委有 1 件涉及政府信息公开工作的行政复\n议，该行政复议件未被复议审查机关纠错。涉及的行政诉讼数为\n0 件。"
    )
    assert _pairs(facts) == [("review.total", 1), ("suit.total", 0)]


def test_none_statements() -> None:
    assert _pairs(_facts("全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。")) == [
        ("review_suit.none", 0)
    ]
    # 「未发生…被行政复议纠错或行政诉讼败诉」 says nothing about the number of cases.
    assert _facts("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。") == []


def test_documents() -> None:
    facts = _facts(
        "严格执行发布前保密审查制度，全年制发行政规范性文件2件，废止1件，现行有效15件。废止过时栏目3个。"
    )
    assert _pairs(facts) == [("documents.issued", 2), ("documents.repealed", 1), ("documents.valid", 15)]


def test_fees_only_in_part_six() -> None:
    text = "本年度本局发出收费通知2件，金额300元，实际收取100元。未收取其他信息处理费。"
    assert _facts(text, part="overview") == []
    facts = _facts(text, part="other")
    assert _pairs(facts) == [
        ("fee.notices", 2),
        ("fee.notice_amount", 300),
        ("fee.collected", 100),
        ("fee.collected", 0),
    ]
    assert _one(_facts("全县收取信息处理费共计380元。", part="other"), "fee.collected").value == 380
    none = _facts("本年度未发出信息处理费收费通知，未收取信息处理费。", part="other")
    assert [(f.key, f.value, f.qualifiers) for f in none] == [
        ("fee.notices", 0, ["none"]),
        ("fee.collected", 0, ["none"]),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "累计开展办前主动沟通 49 次，成功推动化解各类争议纠纷 33 件。",
        "全年累计整改不规范描述22处、失效链接43处。",
        "依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件。",
        "组织政务公开业务培训2次，参训120人次。",
        "收到人大代表建议50件，政协提案85件，均已办结。",
        "所有办结的信息公开申请中同意公开答复 9 件。",
        "依申请公开工作规范有序。全年受理行政许可申请3200件，办理政务服务事项5000件。",
        "全县办理行政复议案件120件，行政诉讼案件45件。",
    ],
)
def test_not_request_figures(text: str) -> None:
    assert not [f for f in _facts(text) if f.key.startswith(("requests.", "applicants.", "review", "suit"))]


def test_table_debris_is_not_prose() -> None:
    assert _facts("行政许可 97") == []
    assert _facts("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)") == []


def test_seed_report_facts() -> None:
    report = nianbao.read(FIXTURES / "lushan-2024.txt")
    assert [(f.key, f.value, f.span.line) for f in report.facts] == [
        ("requests.handled", 20, 13),
        ("applicants.person_times", 5, 13),
        ("fee.collected", 0, 84),
    ]


def test_clean_report_facts() -> None:
    report = nianbao.read(FIXTURES / "clean-2024.txt")
    keys = {f.key: f.value for f in report.facts}
    assert keys["requests.received"] == 37 and keys["requests.handled"] == 37
    assert keys["review.total"] == 4 and keys["documents.valid"] == 15
    assert keys["fee.notices"] == 0


def test_corpus_facts(corpus: Path) -> None:
    shuyang = nianbao.read(corpus / "shuyang-county-2025.txt")
    assert [(f.key, f.value) for f in shuyang.facts if f.key.startswith(("requests.", "applicants."))] == [
        ("requests.received", 749),
        ("applicants.natural", 741),
        ("applicants.legal", 8),
        ("requests.handled", 718),
        ("requests.carry_out", 31),
    ]
    office = nianbao.read(corpus / "shanghai-office-2025.md")
    values = {f.key: f.value for f in office.facts}
    assert values["requests.received"] == 1295 and values["requests.handled"] == 1191
    assert values["requests.carry_in"] == 189 and values["outcome.open_partial"] == 208
    assert values["percent.open_partial"] == Decimal("17.46")
    kewei = nianbao.read(corpus / "shanghai-kewei-2024.md")
    values = {f.key: f.value for f in kewei.facts}
    assert values["requests.received"] == 34 and values["requests.carry_out"] == 1
    assert values["review.total"] == 1 and values["suit.total"] == 0


def test_review_cases_in_part_four_need_no_disclosure_words() -> None:
    text = "本年度办理行政复议案件3件，行政诉讼案件1件。"
    assert _facts(text, part="overview") == []
    assert _pairs(_facts(text, part="review")) == [("review.total", 3), ("suit.total", 1)]


def test_other_years_are_marked() -> None:
    facts = _facts("2023年本局收到政府信息公开申请29件，上年同期办理答复28件，本年上年结转3件。")
    assert "year:2023" in _one(facts, "requests.received").qualifiers
    assert "prior_year" in _one(facts, "requests.handled").qualifiers
    assert "prior_year" not in _one(facts, "requests.carry_in").qualifiers
