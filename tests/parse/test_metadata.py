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
