"""Title metadata: agency, region, level, kind and year of our fixtures and the corpus reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_paths import FIXTURES
from nianbao.model.report import AgencyKind, Level, Metadata
from nianbao.parse.metadata import parse_agency, parse_metadata
from nianbao.read import read_text


def _meta(path: Path) -> tuple[Metadata, int]:
    return parse_metadata(read_text(path.read_text(encoding="utf-8"), path=str(path)))


def test_seed() -> None:
    meta, index = parse_metadata(read_text((FIXTURES / "lushan-2024.txt").read_text(encoding="utf-8")))
    assert meta.agency == "鲁山县人民政府办公室"
    assert (meta.region, meta.region_code) == ("鲁山县", "410423")
    assert (meta.level, meta.kind, meta.year) == (Level.COUNTY, AgencyKind.OFFICE, 2024)
    assert meta.title_span is not None and meta.title_span.line == 3
    assert index == 0


def test_clean_fixture() -> None:
    meta, _ = parse_metadata(read_text((FIXTURES / "clean-2024.txt").read_text(encoding="utf-8")))
    assert meta.agency == "泗洪县市场监督管理局"
    assert (meta.region, meta.level, meta.kind, meta.year) == (
        "泗洪县",
        Level.COUNTY,
        AgencyKind.DEPARTMENT,
        2024,
    )


def test_shuyang_ocr_name_is_kept(corpus: Path) -> None:
    meta, _ = _meta(corpus / "shuyang-county-2025.txt")
    # 沐阳 is an OCR error for 沭阳: not in the gazetteer, kept as written, never replaced by a guess.
    assert meta.agency == "沐阳县人民政府"
    assert (meta.region, meta.region_code) == ("沐阳县", None)
    assert (meta.level, meta.kind, meta.year) == (Level.COUNTY, AgencyKind.GOVERNMENT, 2025)
    assert meta.publication_date is not None and meta.publication_date.isoformat() == "2026-01-23"


def test_shanghai_kewei_wrapped_title(corpus: Path) -> None:
    meta, index = _meta(corpus / "shanghai-kewei-2024.md")
    assert meta.agency in ("上海市科学技术委员会", "上海市科委")
    assert (meta.region, meta.region_code) == ("上海市", "310000")
    assert (meta.level, meta.kind, meta.year) == (Level.PROVINCIAL, AgencyKind.DEPARTMENT, 2024)
    assert "年度报告" in meta.title and "正文" not in meta.title
    assert index == 2  # the title's last line (「年度报告」)


def test_shanghai_office_wrapped_title(corpus: Path) -> None:
    meta, _ = _meta(corpus / "shanghai-office-2025.md")
    assert meta.agency == "上海市人民政府办公厅"
    assert (meta.level, meta.kind, meta.year) == (Level.PROVINCIAL, AgencyKind.OFFICE, 2025)


@pytest.mark.parametrize(
    ("title", "agency", "region", "level", "kind", "year"),
    [
        ("二〇二四年平顶山市人民政府政府信息公开工作年度报告", "平顶山市人民政府", "平顶山市", Level.PREFECTURE,
         AgencyKind.GOVERNMENT, 2024),
        ("北京市朝阳区人民政府办公室2023年度政府信息公开工作年度报告", "北京市朝阳区人民政府办公室", "朝阳区",
         Level.COUNTY, AgencyKind.OFFICE, 2023),
        ("江苏省宿迁市沭阳县教育局2024年政府信息公开工作年度报告", "江苏省宿迁市沭阳县教育局", "沭阳县",
         Level.COUNTY, AgencyKind.DEPARTMENT, 2024),
        ("武山县城关镇人民政府2025年政府信息公开工作年度报告", "武山县城关镇人民政府", "城关镇", Level.TOWNSHIP,
         AgencyKind.GOVERNMENT, 2025),
        ("河南省人民政府办公厅2024年政府信息公开工作年度报告", "河南省人民政府办公厅", "河南省", Level.PROVINCIAL,
         AgencyKind.OFFICE, 2024),
        ("国务院办公厅2024年政府信息公开工作年度报告", "国务院办公厅", "", Level.NATIONAL, AgencyKind.OFFICE, 2024),
    ],
)  # fmt: skip
def test_title_variants(
    title: str, agency: str, region: str, level: Level, kind: AgencyKind, year: int
) -> None:
    meta, index = parse_metadata(read_text(f"正文\n{title}\n\n一、总体情况\n"))
    assert (meta.agency, meta.region, meta.level, meta.kind, meta.year) == (agency, region, level, kind, year)
    assert index == 1


def test_no_title() -> None:
    meta, index = parse_metadata(read_text("这不是一份报告。\n只是几行文字。\n"))
    assert index == -1 and meta.year is None and meta.agency == ""


def test_parse_agency_chain_disambiguates() -> None:
    # 朝阳区 exists in 北京 and 长春: the province before it decides.
    assert parse_agency("吉林省长春市朝阳区教育局")[:2] == ("朝阳区", "220104")
    assert parse_agency("北京市朝阳区教育局")[:2] == ("朝阳区", "110105")


@pytest.mark.parametrize(
    ("agency", "region", "code", "level"),
    [
        # A 乡/镇/区/州/市 inside the department's own name names no place.
        ("泗洪县住房和城乡建设局", "泗洪县", "321324", Level.COUNTY),
        ("泗洪县乡村振兴局", "泗洪县", "321324", Level.COUNTY),
        ("泗洪县市场监督管理局", "泗洪县", "321324", Level.COUNTY),
        ("泗洪县区域合作办公室", "泗洪县", "321324", Level.COUNTY),
        ("泗洪县自然资源和规划局", "泗洪县", "321324", Level.COUNTY),
        ("泗洪县乡镇企业局", "泗洪县", "321324", Level.COUNTY),
        ("宿迁市城市管理局", "宿迁市", "321300", Level.PREFECTURE),
        ("宿迁市公安局宿城区分局", "宿迁市", "321300", Level.PREFECTURE),
        ("平顶山市州际合作办公室", "平顶山市", "410400", Level.PREFECTURE),
        # 城区 is a district of 大同, not of 泗洪县: the chain stops where nesting stops.
        ("泗洪县城区管理局", "泗洪县", "321324", Level.COUNTY),
        # Unknown (OCR-misspelt) county: its suffix, but not the department's 城乡.
        ("沐阳县城乡建设局", "沐阳县", None, Level.COUNTY),
        ("住房和城乡建设局", "", None, Level.UNKNOWN),
        ("城市管理局", "", None, Level.UNKNOWN),
    ],
)  # fmt: skip
def test_department_words_are_no_place(agency: str, region: str, code: str | None, level: Level) -> None:
    assert parse_agency(agency) == (region, code, level)


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("鲁山县张官营镇人民政府", "张官营镇"),
        ("武山县城关镇人民政府", "城关镇"),
        ("平顶山市湛河区曹镇乡人民政府", "曹镇乡"),  # the inner 镇 does not end the name
        ("新市镇人民政府", "新市镇"),  # no county named before it, and 新市 is no city
        ("沐阳县张官营镇人民政府", "张官营镇"),  # after an unknown county
        ("鲁山县张官营镇", "张官营镇"),  # the township alone
        ("鲁山县张官营镇党委", "张官营镇"),
        # 街道办事处: the region is the 街道, whose level word is 街道 (全街道), not 处.
        ("泗洪县青阳街道办事处", "青阳街道"),
        ("上海市黄浦区南京东路街道办事处", "南京东路街道"),
    ],
)
def test_township_governments(agency: str, region: str) -> None:
    assert parse_agency(agency) == (region, None, Level.TOWNSHIP)


def test_unknown_county_after_known_chain_needs_a_government_body() -> None:
    assert parse_agency("宿迁市沐阳县人民政府") == ("沐阳县", None, Level.COUNTY)
    assert parse_agency("宿迁市沐阳县教育局")[:2] == ("宿迁市", "321300")


def test_department_title_with_township_word() -> None:
    meta, _ = parse_metadata(
        read_text("泗洪县住房和城乡建设局2024年政府信息公开工作年度报告\n\n一、总体情况\n")
    )
    assert meta.agency == "泗洪县住房和城乡建设局"
    assert (meta.region, meta.region_code, meta.level, meta.kind) == (
        "泗洪县",
        "321324",
        Level.COUNTY,
        AgencyKind.DEPARTMENT,
    )


def test_agency_on_the_line_before_the_year() -> None:
    """「淮安市人民政府」 / 「2025年政府信息公开工作年度报告」 on two lines, as many PDFs lay the title out."""
    meta, last = _meta(FIXTURES / "clean-city-2025.md")
    assert (meta.agency, meta.region, meta.region_code) == ("淮安市人民政府", "淮安市", "320800")
    assert (meta.level, meta.kind, meta.year) == (Level.PREFECTURE, AgencyKind.GOVERNMENT, 2025)
    assert meta.title_span is not None and meta.title_span.line == 1
    assert last == 1


def test_heading_before_a_year_title_is_not_the_agency() -> None:
    text = "政府信息公开年报\n\n2024年度报告正文\n\n一、总体情况\n"
    meta, _ = parse_metadata(read_text(text))
    assert "政府信息公开年报" not in meta.agency
