"""Drafting inputs: the notes format (YAML and Markdown bullets) and the table data (YAML, JSON, CSV), with
every bad input reported clearly (file, line, note id, what) before any drafting starts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from nianbao.draft.notes import DraftInputError, Notes, load_notes, notes_from_data
from nianbao.draft.table_data import TableData, load_tables, table_findings, tables_from_data
from nianbao.model.report import AgencyKind, Level
from nianbao.model.template import T3_COL_KEYS, T3_ROW_KEYS, T4_FIELDS, T4_GROUPS

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "fixtures" / "lushan-2024.notes.yaml"
TABLES = ROOT / "fixtures" / "lushan-2024.tables.yaml"


def seed_data() -> dict:
    return yaml.safe_load(NOTES.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(exc: pytest.ExceptionInfo[DraftInputError]) -> list[str]:
    return exc.value.problems


# ------------------------------------------------------------------------------------------------ notes


def test_seed_notes_load() -> None:
    notes = load_notes(NOTES)
    assert notes.agency == "鲁山县人民政府办公室" and notes.year == 2024
    assert notes.region == "鲁山县" and notes.level is Level.COUNTY and notes.kind is AgencyKind.OFFICE
    assert {n.topic for n in notes.by_part("overview")} >= {
        "active",
        "requests",
        "management",
        "platform",
        "oversight",
    }
    assert [m.answers for m in notes.measures] == [p.id for p in notes.problems]
    assert notes.get("active-portal") is not None and notes.get("active-portal").line == 11  # type: ignore[union-attr]
    assert notes.get("nope") is None
    assert "done" not in notes.text_of("lp-forms") and "多种形式" in notes.text_of("lp-forms")
    assert len(notes.ids()) == len(set(notes.ids()))


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    data = seed_data()
    data["notes"]["平台建设"].append({"id": "active-portal", "text": "又一条。"})
    with pytest.raises(DraftInputError) as exc:
        load_notes(write_yaml(tmp_path / "n.yaml", data))
    [msg] = problems_of(exc)
    assert "n.yaml:" in msg and "active-portal" in msg and "编号重复" in msg and "第" in msg
    assert "duplicate id" in str(exc.value)


def test_figures_that_do_not_add_up(tmp_path: Path) -> None:
    data = seed_data()
    data["notes"]["主动公开"].append(
        {
            "id": "sum",
            "text": "公开政策文件30件，其中规范性文件10件、其他文件15件。",
            "figures": {"total": 30, "parts": [10, 15]},
        }
    )
    with pytest.raises(DraftInputError) as exc:
        load_notes(write_yaml(tmp_path / "n.yaml", data))
    [msg] = problems_of(exc)
    assert "（要点 sum）" in msg and "10 + 15 = 25" in msg and "总数为30" in msg
    assert "do not add up" in exc.value.message_en


def test_figures_with_named_parts_that_add_up() -> None:
    data = seed_data()
    data["notes"]["主动公开"][0]["figures"] = {"total": 4376, "parts": {"网站": 4000, "新媒体": 376}}
    notes = notes_from_data(data)
    fig = notes.items[0].figures
    assert fig is not None and fig.part_values() == [4000, 376]


@pytest.mark.parametrize(
    ("topic", "label"),
    [
        ("主动公开", "主动公开"),
        ("依申请公开", "依申请公开"),
        ("政府信息管理", "政府信息管理"),
        ("平台建设", "平台建设"),
    ],
)
def test_missing_required_topic(topic: str, label: str) -> None:
    data = seed_data()
    del data["notes"][topic]
    with pytest.raises(DraftInputError) as exc:
        notes_from_data(data, "x.yaml")
    [msg] = problems_of(exc)
    assert f"缺少必备主题「{label}」" in msg and msg.startswith("x.yaml")


def test_oversight_may_be_given_as_assessment_notes_only() -> None:
    data = seed_data()
    del data["notes"]["监督保障"]
    assert notes_from_data(data).by_topic("assessment")


def test_government_needs_assessment_notes() -> None:
    data = seed_data()
    data["agency"] = "鲁山县人民政府"
    for key in ("监督保障", "考核", "追责"):
        del data["notes"][key]
    with pytest.raises(DraftInputError) as exc:
        notes_from_data(data)
    assert any("工作考核、社会评议和责任追究" in p for p in problems_of(exc))


def test_measures_must_answer_known_problems_and_every_problem_needs_one() -> None:
    data = seed_data()
    data["measures"][0]["answers"] = "p-unknown"
    with pytest.raises(DraftInputError) as exc:
        notes_from_data(data, "x.yaml")
    msgs = problems_of(exc)
    assert any("m-interpretation" in m and "「p-unknown」不存在" in m for m in msgs)
    assert any("p-interpretation" in m and "没有对应的改进措施" in m for m in msgs)


def test_unknown_topic_lists_the_known_ones_and_all_problems_are_reported_together() -> None:
    data = seed_data()
    data["notes"]["宣传工作"] = [{"id": "z", "text": "……"}]
    data["notes"]["主动公开"].append({"id": "", "text": "没有编号"})
    data["problems"].append({"id": "p3", "text": ""})
    with pytest.raises(DraftInputError) as exc:
        notes_from_data(data)
    msgs = problems_of(exc)
    assert any("未知主题「宣传工作」" in m and "平台建设" in m for m in msgs)
    assert any("缺少编号" in m for m in msgs)
    assert any("p3" in m and "为空" in m for m in msgs)
    assert len(msgs) >= 4  # p3 also has no measure


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DraftInputError, match="no such file"):
        load_notes(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("agency: [\n", encoding="utf-8")
    with pytest.raises(DraftInputError) as exc:
        load_notes(bad)
    assert "不是有效的 YAML" in exc.value.message_zh
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DraftInputError, match="mapping"):
        load_notes(tmp_path / "list.yaml")
    data = seed_data()
    data["year"] = "去年"
    with pytest.raises(DraftInputError, match="year"):
        notes_from_data(data)


MARKDOWN = """# 鲁山县人民政府办公室 2024

## 主动公开
- [a1] 全年主动公开政府信息30条，其中政策文件10条、政策解读20条。 {total: 30, parts: [10, 20]}

## 依申请公开
- [r1] 依法依规答复申请人。

## 政府信息管理
- [g1] 落实公文公开属性源头认定。

## 平台建设
- [w1] 完成网站适老化改造。

## 监督保障
- [s1] 组织业务培训1次。

## 问题
- [p1] 政策解读形式较为单一。

## 改进
- [m1 → p1] 增加图解、视频等解读形式。

## 上年问题
- [lp1] 栏目更新不及时 ⇒ 建立栏目更新台账，按月检查。
"""


def test_markdown_bullets(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    notes = load_notes(path)
    assert (notes.agency, notes.year) == ("鲁山县人民政府办公室", 2024)
    a1 = notes.get("a1")
    assert a1 is not None and a1.text.endswith("政策解读20条。") and a1.line == 4
    assert notes.items[0].figures is not None and notes.items[0].figures.total == 30
    assert notes.measures[0].answers == "p1"
    assert notes.prior_problems[0].done == "建立栏目更新台账，按月检查。"
    path.write_text(MARKDOWN.replace("parts: [10, 20]", "parts: [10, 15]"), encoding="utf-8")
    with pytest.raises(DraftInputError) as exc:
        load_notes(path)
    assert "notes.md:4（要点 a1）" in problems_of(exc)[0]
    path.write_text(MARKDOWN.replace("- [g1]", "* g1"), encoding="utf-8")
    with pytest.raises(DraftInputError, match="bullet"):
        load_notes(path)


# ----------------------------------------------------------------------------------------------- tables


def test_seed_tables_load_and_are_consistent() -> None:
    tables = load_tables(TABLES)
    assert tables.t3("new") == 20 and tables.t3("total") == 20 and tables.t3("carry_out") == 0
    assert tables.t3("open", "np") == 8 and tables.t3("deny_4") == 1
    assert tables.t2("norm", "valid") == 199 and tables.t2("fee", "amount") == Decimal(0)
    assert isinstance(tables.t2("fee", "amount"), Decimal)
    assert tables.t4("review") == 0
    assert table_findings(tables) == []
    # every cell is a number (no blank cells for the template rules to flag)
    for table in (tables.table2, tables.table3, tables.table4):
        assert all(c.is_number for _r, _c, c in table.iter_cells())


def _long_rows(tables: TableData) -> list[tuple[str, str, str, str]]:
    rows = []
    for rk in T3_ROW_KEYS:
        for ck in T3_COL_KEYS:
            rows.append(("表三", rk, ck, str(tables.t3(rk, ck))))
    for gk, _ in T4_GROUPS:
        for fk, _ in T4_FIELDS:
            rows.append(("table4", gk, fk, str(tables.t4(gk, fk))))
    rows.append(("表二", "行政规范性文件", "本年制发件数", "3"))
    rows.append(("表二", "行政规范性文件", "现行有效件数", "199"))
    rows.append(("表二", "行政事业性收费", "", "0"))
    return rows


def test_csv_and_json_variants_give_the_same_tables(tmp_path: Path) -> None:
    seed = load_tables(TABLES)
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(
        "table,row,column,value\n" + "\n".join(",".join(r) for r in _long_rows(seed)) + "\n", encoding="utf-8"
    )
    from_csv = load_tables(csv_path)
    data = yaml.safe_load(TABLES.read_text(encoding="utf-8"))
    json_path = tmp_path / "t.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from_json = load_tables(json_path)
    for other in (from_csv, from_json):
        for rk in T3_ROW_KEYS:
            for ck in T3_COL_KEYS:
                assert other.t3(rk, ck) == seed.t3(rk, ck), (rk, ck)
        assert other.t2("norm", "valid") == 199 and other.t2("norm", "issued") == 3


def test_bad_row_label_suggests_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("表二: {}\n表三:\n  予以公开数量: {自然人: 1}\n表四: {}\n", encoding="utf-8")
    with pytest.raises(DraftInputError) as exc:
        load_tables(path)
    [msg] = problems_of(exc)
    assert (
        msg.startswith(f"{path}:3") and "未知的行标签「予以公开数量」" in msg and "「（一）予以公开」" in msg
    )
    assert "did you mean '（一）予以公开'" in str(exc.value)


def test_bad_column_and_table_labels(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "表二: {规章: {本年发布件数: 1}}\n表三: {本年新收: {自然人申请: 2}}\n表四: {}\n表五: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(DraftInputError) as exc:
        load_tables(path)
    msgs = problems_of(exc)
    assert any("未知的列标签「本年发布件数」" in m and "本年制发件数" in m for m in msgs)
    assert any("未知的列标签「自然人申请」" in m and "「自然人」" in m for m in msgs)
    assert any("未知的表格「表五」" in m for m in msgs)


def test_bad_values_and_missing_table(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "表二: {行政许可: 2.5, 行政事业性收费: 多少}\n表三: {本年新收: {自然人: -1}}\n", encoding="utf-8"
    )
    with pytest.raises(DraftInputError) as exc:
        load_tables(path)
    msgs = problems_of(exc)
    assert any("行政许可" in m and "应为整数" in m for m in msgs)
    assert any("行政事业性收费" in m and "应为金额" in m for m in msgs)
    assert any("不能为负数" in m for m in msgs)
    assert any("缺少表四数据" in m for m in msgs)


def test_wrong_sums_are_reported_with_the_rule_messages(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "表二: {}\n表三:\n  本年新收: {自然人: 2, 总计: 3}\n  予以公开: {自然人: 2}\n"
        "表四: {行政复议: {结果维持: 1, 总计: 2}}\n",
        encoding="utf-8",
    )
    with pytest.raises(DraftInputError) as exc:
        load_tables(path)
    text = exc.value.message_zh
    assert "未开始起草" in text
    for code in ("T3-BALANCE", "T3-ROW-TOTAL", "T4-TOTAL"):
        assert code in text
    assert load_tables(path, check=False).t3("new") == 3  # the data as given, totals kept


def test_totals_left_out_are_computed_and_fee_is_decimal() -> None:
    tables = tables_from_data(
        {
            "t2": {"fee": "0.35"},
            "t3": {"new": {"np": 2, "biz": 1}, "open": {"np": 2, "biz": 1}},
            "t4": {"review": {"keep": 1}},
        }
    )
    assert tables.t3("new") == 3 and tables.t3("total") == 3 and tables.t3("total", "np") == 2
    assert tables.t4("review") == 1
    assert tables.t2("fee", "amount") == Decimal("0.35")
    assert table_findings(tables) == []
    assert "0.35" in tables.numbers()


def test_notes_are_a_pydantic_model() -> None:
    notes = load_notes(NOTES)
    again = Notes.model_validate_json(notes.model_dump_json())
    assert again == notes


# The seed's table data as CSV (kept here, not in fixtures/: every file there is read as a report).
SEED_CSV = """\
table,row,column,value
表二,规章,本年制发件数,0
表二,规章,本年废止件数,0
表二,规章,现行有效件数,0
表二,行政规范性文件,本年制发件数,3
表二,行政规范性文件,本年废止件数,0
表二,行政规范性文件,现行有效件数,199
表二,行政许可,,0
表二,行政处罚,,0
表二,行政强制,,0
表二,行政事业性收费,,0
表三,一、本年新收政府信息公开申请数量,自然人,16
表三,一、本年新收政府信息公开申请数量,商业企业,3
表三,一、本年新收政府信息公开申请数量,其他,1
表三,一、本年新收政府信息公开申请数量,总计,20
表三,二、上年结转政府信息公开申请数量,总计,0
表三,（一）予以公开,自然人,8
表三,（一）予以公开,商业企业,2
表三,（一）予以公开,其他,1
表三,（一）予以公开,总计,11
表三,（二）部分公开,自然人,2
表三,（二）部分公开,商业企业,1
表三,（二）部分公开,总计,3
表三,4.保护第三方合法权益,自然人,1
表三,1.本机关不掌握相关政府信息,自然人,3
表三,1.信访举报投诉类申请,自然人,1
表三,1.申请人无正当理由逾期不补正,自然人,1
表三,（七）总计,自然人,16
表三,（七）总计,商业企业,3
表三,（七）总计,其他,1
表三,（七）总计,总计,20
表三,四、结转下年度继续办理,总计,0
表四,,,
"""


def test_the_seed_tables_as_csv_equal_the_yaml(tmp_path: Path) -> None:
    path = tmp_path / "lushan-2024.tables.csv"
    path.write_text(SEED_CSV, encoding="utf-8")
    from_yaml, from_csv = load_tables(TABLES), load_tables(path)
    for table in ("table2", "table3", "table4"):
        a, b = getattr(from_yaml, table), getattr(from_csv, table)
        assert [(r, c, x.value) for r, c, x in a.iter_cells()] == [
            (r, c, x.value) for r, c, x in b.iter_cells()
        ]


def test_csv_problems_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "table,row,column,value\n表二,,,\n表三,本年新收,自然人,两件\n表三,本年新收\n表四,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DraftInputError) as exc:
        load_tables(path)
    msgs = problems_of(exc)
    assert any(m.startswith(f"{path}:3") and "应为整数" in m for m in msgs)
    assert any(m.startswith(f"{path}:4") and "4个字段" in m for m in msgs)
    path.write_text("表,行,列,值\n", encoding="utf-8")
    with pytest.raises(DraftInputError, match="header"):
        load_tables(path)
