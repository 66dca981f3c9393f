"""Unit tests of the identity rules (ID-AGENCY, ID-LEVEL-WORD, ID-YEAR) on hand-built reports.

Each sentence is checked alone, as the only paragraph of a report whose metadata is given by hand, so
a case shows exactly which wording fires and which must not. Full-text cases are in cases/ID-*.yml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import nianbao
from nianbao.model.finding import Finding, Severity
from nianbao.model.report import AgencyKind, Level, Metadata, Paragraph, Report
from nianbao.model.span import Span
from nianbao.parse import parse
from nianbao.read import read_text
from nianbao.rules import REGISTRY, Context
from nianbao.rules.agency import is_foreign_agency
from nianbao.rules.identity import near, same_body, scope_of

LUSHAN = Metadata(
    agency="鲁山县人民政府办公室",
    region="鲁山县",
    region_code="410423",
    level=Level.COUNTY,
    kind=AgencyKind.OFFICE,
    year=2024,
)
PINGDINGSHAN = Metadata(
    agency="平顶山市人民政府办公室",
    region="平顶山市",
    region_code="410400",
    level=Level.PREFECTURE,
    kind=AgencyKind.OFFICE,
    year=2024,
)
SIHONG_DEPT = Metadata(
    agency="泗洪县市场监督管理局",
    region="泗洪县",
    region_code="321324",
    level=Level.COUNTY,
    kind=AgencyKind.DEPARTMENT,
    year=2024,
)
SHUYANG_OCR = Metadata(  # the title's 沐阳 is an OCR slip for 沭阳: unknown to the gazetteer
    agency="沐阳县人民政府",
    region="沐阳县",
    region_code=None,
    level=Level.COUNTY,
    kind=AgencyKind.GOVERNMENT,
    year=2025,
)
WUGANG = Metadata(  # a county-level city: its own level word 市 is also its superior's
    agency="舞钢市人民政府办公室",
    region="舞钢市",
    region_code="410481",
    level=Level.COUNTY,
    kind=AgencyKind.OFFICE,
    year=2024,
)


def make_report(text: str, meta: Metadata = LUSHAN) -> Report:
    paragraphs = [
        Paragraph(text=line, span=Span(line=i + 1, column=1), part="overview")
        for i, line in enumerate(text.split("\n"))
    ]
    return Report(metadata=meta, preamble=paragraphs)


def run(code: str, text: str, meta: Metadata = LUSHAN) -> list[Finding]:
    return list(REGISTRY[code]().check(make_report(text, meta), Context()))


# ---------------------------------------------------------------- ID-AGENCY


AGENCY_FIRES = [
    ("现发布《平顶山市人民政府办公室 2024 年政府信息公开工作年度报告》。", "平顶山市人民政府办公室"),
    (
        "现将鲁山县人民政府2024年政府信息公开工作年度报告向社会公布。",
        "鲁山县人民政府",
    ),  # the government, not its office
    ("现发布《市政府办公室2024年政府信息公开工作年度报告》。", "市政府办公室"),
    ("指导并完成舞钢市乡镇（街道办事处）的政务公开目录建设，指导舞钢市开展“政府开放月”活动。", "舞钢市"),
    ("督促宝丰县做好政务公开工作。", "宝丰县"),
    ("宝丰县共收到政府信息公开申请10件。", "宝丰县"),
    ("2024 年，市政府办公室未发生违反政府信息公开规定的行为。", "市政府办公室"),
    ("2024年，舞钢市人民政府办公室未发生违反政府信息公开规定的行为。", "舞钢市人民政府办公室"),
    ("全年，省政府办公厅未发生违反政府信息公开规定的行为。", "省政府办公厅"),
]

AGENCY_SILENT = [
    "现发布《鲁山县人民政府办公室2024年政府信息公开工作年度报告》。",
    "现发布《鲁山县政府办公室2024年政府信息公开工作年度报告》。",
    "现发布《河南省平顶山市鲁山县人民政府办公室2024年政府信息公开工作年度报告》。",
    "2024年，鲁山县政府办公室政务公开工作取得了较好成效。",
    "2024年，本机关未发生违反政府信息公开规定的行为。",
    "2024年，我办未发生违反政府信息公开规定的行为。",
    "因本机关不掌握相关政府信息无法提供3件。",
    "按照平顶山市政府要求，开展政务公开标准化建设。",
    "按照省政府办公厅《关于做好政务公开工作的通知》要求，及时部署。",
    "市政府办公室印发《政务公开工作要点》后，我办及时转发。",
    "认真落实市委、市政府关于政务公开工作的部署。",
    "赴舞钢市学习考察政务公开经验。",
    "与宝丰县签订政务服务跨域通办合作协议。",
    "指导各乡镇（街道）完成政务公开专区建设。",
    "参照《舞钢市政务公开目录》编制本县目录。",
    "指导县直各单位做好年度报告编制工作。",
    "组织鲁山县各乡镇开展培训。",
    "组织干部到郑州市参加政务公开培训。",
    "邀请郑州市专家开展专题培训。",
    "市政府办公室高度重视县级政务公开工作。",  # about the city office, not a self-statement
    "完成城区学校信息公开专栏建设。",  # 城区 is a division name, but only as a word of its own
]


@pytest.mark.parametrize(("text", "actual"), AGENCY_FIRES)
def test_agency_fires(text: str, actual: str) -> None:
    found = run("ID-AGENCY", text)
    assert len(found) == 1, [f.message for f in found]
    f = found[0]
    assert f.severity == Severity.ERROR
    assert f.actual == actual
    assert f.expected in ("鲁山县人民政府办公室", "鲁山县")
    assert actual in f.message and "鲁山县" in f.message
    assert f.evidence and actual.replace(" ", "") in f.evidence[0].replace(" ", "")
    assert f.location.span is not None and f.location.span.line == 1


@pytest.mark.parametrize("text", AGENCY_SILENT)
def test_agency_silent(text: str) -> None:
    assert run("ID-AGENCY", text) == []


def test_agency_one_finding_per_paragraph_and_name() -> None:
    found = run("ID-AGENCY", "指导舞钢市开展培训，指导舞钢市开展“政府开放月”活动。\n督促舞钢市整改。")
    assert [f.location.span.line for f in found if f.location.span] == [1, 2]


def test_agency_place_points_at_the_name() -> None:
    (f,) = run("ID-AGENCY", "2024 年，市政府办公室未发生违反政府信息公开规定的行为。")
    assert f.location.span == Span(line=1, column=8)


def test_agency_prefecture_may_guide_its_counties() -> None:
    text = "指导舞钢市、鲁山县开展政务公开标准化建设。\n指导开封市开展培训。"
    found = run("ID-AGENCY", text, PINGDINGSHAN)
    assert [f.actual for f in found] == ["开封市"]


def test_agency_prefecture_may_report_on_a_county_office() -> None:
    text = "2024年，鲁山县人民政府办公室未发生违反政府信息公开规定的行为。\n2024年，开封市人民政府办公室未发生违反规定的行为。"
    assert [f.actual for f in run("ID-AGENCY", text, PINGDINGSHAN)] == ["开封市人民政府办公室"]


def test_agency_neighbour_one_character_apart_is_foreign() -> None:
    # 泗阳县 and 泗洪县 differ in one character but both exist: not an OCR slip.
    found = run("ID-AGENCY", "指导泗阳县组织政务公开业务培训2次。", SIHONG_DEPT)
    assert [f.actual for f in found] == ["泗阳县"]


def test_agency_unknown_own_region_is_never_foreign() -> None:
    text = (
        "现将沭阳县人民政府2025年政府信息公开年度报告向社会公布。\n"
        "现将沐阳县人民政府2025年政府信息公开年度报告向社会公布。\n"
        "督促县医保局、县司法局做好公开工作，认真贯彻省、市有关工作部署。\n"
        "指导宿迁市开展培训。"
    )
    assert run("ID-AGENCY", text, SHUYANG_OCR) == []


def test_agency_department_copied_from_the_city() -> None:
    found = run("ID-AGENCY", "2024年，市市场监督管理局未发生违反政府信息公开规定的行为。", SIHONG_DEPT)
    assert [f.actual for f in found] == ["市市场监督管理局"]
    assert run("ID-AGENCY", "2024年，本局未发生违反政府信息公开规定的行为。", SIHONG_DEPT) == []


@pytest.mark.parametrize(
    ("name", "foreign"),
    [
        ("鲁山县人民政府办公室", False),
        ("鲁山县政府办公室", False),
        ("鲁山政府办公室", False),
        ("县政府办公室", False),
        ("平顶山市鲁山县人民政府办公室", False),
        ("平顶山市人民政府办公室", True),
        ("舞钢市人民政府办公室", True),
        ("市政府办公室", True),
        ("鲁山县人民政府", True),
    ],
)
def test_is_foreign_agency(name: str, foreign: bool) -> None:
    scope = scope_of(make_report("", LUSHAN))
    assert scope is not None
    assert is_foreign_agency(name, scope) is foreign


def test_scope_of_the_seed() -> None:
    scope = scope_of(make_report("", LUSHAN))
    assert scope is not None
    assert (scope.own_word, scope.superior_words, scope.body, scope.short) == (
        "县",
        ("市", "省"),
        "人民政府办公室",
        "鲁山",
    )
    wugang = scope_of(make_report("", WUGANG))
    assert wugang is not None and wugang.superior_words == ("省",)


def test_helpers() -> None:
    assert near("沐阳县", "沭阳县")  # 沐阳县 is no division: an OCR slip
    assert not near("泗阳县", "泗洪县")
    assert same_body("市场监管局", "市场监督管理局")
    assert same_body("政府办公室", "人民政府办公室")
    assert not same_body("人民政府", "人民政府办公室")
    assert not same_body("办公厅", "办公室")


# ---------------------------------------------------------------- ID-LEVEL-WORD


LEVEL_FIRES = [
    ("举办全市政府信息公开和政务公开业务专题培训会 1 次。", "全市", "全县"),
    ("认真落实市政府公文公开属性源头认定和发布审查机制。", "市政府公文", "县政府公文"),
    ("通过市政府门户网站发布信息4376条。", "市政府门户网站", "县政府门户网站"),
    ("我市共发布政府信息300条。", "我市", "我县"),
    ("全省政府信息公开工作稳步推进。", "全省", "全县"),
]

LEVEL_SILENT = [
    "认真落实市委、市政府关于政务公开工作的部署。",
    "按照全市统一部署，开展政务公开标准化建设。",
    "在全市政务公开考核中位居前列。",
    "参加全市政务公开业务培训2次。",
    "举办全县政府信息公开业务培训会1次。",
    "按照市政府要求，通过县政府门户网站发布信息。",
    "转发市政府公文12件。",
    "2024 年，市政府办公室未发生违反政府信息公开规定的行为。",  # ID-AGENCY's error, not repeated here
    "健全市场监管信息公开机制。",
    "《全市政务公开工作要点》印发后及时落实。",
]


@pytest.mark.parametrize(("text", "actual", "expected"), LEVEL_FIRES)
def test_level_word_fires(text: str, actual: str, expected: str) -> None:
    found = run("ID-LEVEL-WORD", text)
    assert len(found) == 1, [f.message for f in found]
    f = found[0]
    assert (f.severity, f.actual, f.expected) == (Severity.WARNING, actual, expected)
    assert actual in f.message and expected in f.message and "鲁山县人民政府办公室" in f.message


@pytest.mark.parametrize("text", LEVEL_SILENT)
def test_level_word_silent(text: str) -> None:
    assert run("ID-LEVEL-WORD", text) == []


def test_level_word_other_levels() -> None:
    assert [
        f.actual for f in run("ID-LEVEL-WORD", "举办全省业务培训1次。\n举办全市业务培训1次。", PINGDINGSHAN)
    ] == ["全省"]
    # A county-level city says 全市 of itself: nothing to judge.
    assert run("ID-LEVEL-WORD", "举办全市业务培训1次。", WUGANG) == []
    assert run("ID-LEVEL-WORD", "紧紧围绕县委、县政府中心工作，全县共受理申请749件。", SHUYANG_OCR) == []


# ---------------------------------------------------------------- ID-YEAR


YEAR_ERRORS = [
    ("本报告所列数据统计期限为2023年1月1日至2023年12月31日。", 2023),
    ("本报告所列数据统计期限为 2023 年 1 月 1 日至 12 月 31 日。", 2023),
    ("现发布《鲁山县人民政府办公室2023年政府信息公开工作年度报告》。", 2023),
]

YEAR_WARNINGS = [
    ("2022年，共收到政府信息公开申请20件。", 2022),
    ("2023年，共主动公开政府信息300条。", 2023),
    ("2025年，本局共收到政府信息公开申请37件。", 2025),
    ("二〇二二年，共办理申请20件。", 2022),
]

YEAR_SILENT = [
    "本报告所列数据统计期限为2024年1月1日至2024年12月31日。",
    "现发布《鲁山县人民政府办公室 2024 年政府信息公开工作年度报告》。",
    "针对2023年存在的问题，2024年改进措施如下：及时依规主动公开政策文件。",
    "（一）2023年度问题整改情况。针对2023年报告的政策解读形式单一的问题，新增图解9篇。",
    "全年收到申请37件，较2023年增加5件。",
    "公开2024年度部门预算、2023年度部门决算以及2023年科技计划资金分配结果信息。",
    "2025年将开展公开属性认定专题培训。",
    "自2019年以来，持续推进政务公开标准化。",
    "2026年1月23日",
    "于2025年1月31日前完成年度报告发布。",
    "重大行政决策事项《促进科技成果转化行动方案（2024－2027年）》。",
    "编制《鲁山县十四五规划（2021－2025年）》解读。",
    "依据国办公开办函〔2021〕30号编制。",
]


@pytest.mark.parametrize(("text", "actual"), YEAR_ERRORS)
def test_year_errors(text: str, actual: int) -> None:
    found = run("ID-YEAR", text)
    assert [(f.severity, f.expected, f.actual) for f in found] == [(Severity.ERROR, 2024, actual)]
    assert str(actual) in found[0].message and "2024" in found[0].message


@pytest.mark.parametrize(("text", "actual"), YEAR_WARNINGS)
def test_year_warnings(text: str, actual: int) -> None:
    found = run("ID-YEAR", text)
    assert [(f.severity, f.expected, f.actual) for f in found] == [(Severity.WARNING, 2024, actual)]


@pytest.mark.parametrize("text", YEAR_SILENT)
def test_year_silent(text: str) -> None:
    assert run("ID-YEAR", text) == []


def test_year_without_title_year_is_silent() -> None:
    meta = LUSHAN.model_copy(update={"year": None})
    assert run("ID-YEAR", "2022年，共收到申请20件。", meta) == []


# ---------------------------------------------------------------- real reports (../shared/corpus)

CODES = ("ID-AGENCY", "ID-LEVEL-WORD", "ID-YEAR")


@pytest.mark.parametrize(
    "name", ["shuyang-county-2025.txt", "shanghai-office-2025.md", "shanghai-kewei-2024.md"]
)
def test_corpus_reports_raise_nothing(name: str, corpus: Path) -> None:
    report = nianbao.read(corpus / name)
    assert report.metadata.year is not None and report.metadata.region, report.metadata
    found = [f for f in nianbao.check(report) if f.rule in CODES]
    assert not found, [f.message for f in found]


CORPUS_VARIANTS = [
    # (file, old, new, rule, severity, actual)
    (
        "shanghai-kewei-2024.md",
        "为 2024 年 1 月 1 日至",
        "为 2023 年 1 月 1 日至",
        "ID-YEAR",
        "error",
        "2023",
    ),
    ("shanghai-office-2025.md", "统计期限为 2025", "统计期限为 2024", "ID-YEAR", "error", "2024"),
    (
        "shanghai-office-2025.md",
        "印发政务公开工作年度要点",
        "指导杭州市开展培训，印发政务公开工作年度要点",
        "ID-AGENCY",
        "error",
        "杭州市",
    ),
    ("shuyang-county-2025.txt", "统计期限从2025年", "统计期限从2024年", "ID-YEAR", "error", "2024"),
    (
        "shuyang-county-2025.txt",
        "现将沐阳县人民政府2025年",
        "现将宿迁市人民政府2025年",
        "ID-AGENCY",
        "error",
        "宿迁市人民政府",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "rule", "severity", "actual"), CORPUS_VARIANTS)
def test_corpus_variant_found(
    name: str, old: str, new: str, rule: str, severity: str, actual: str, corpus: Path
) -> None:
    text = (corpus / name).read_text(encoding="utf-8")
    assert old in text
    report = parse(read_text(text.replace(old, new, 1), path=name))
    found = [f for f in nianbao.check(report) if f.rule in CODES]
    assert [(f.rule, f.severity.value, str(f.actual)) for f in found] == [(rule, severity, actual)]
