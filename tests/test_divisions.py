"""The division gazetteer: lookup, hierarchy, levels, and finding division names in text."""

from __future__ import annotations

from nianbao import divisions
from nianbao.model.report import Level


def test_lookup_and_repeated_names() -> None:
    assert [d.code for d in divisions.lookup("鲁山县")] == ["410423"]
    assert {d.code for d in divisions.lookup("朝阳区")} >= {"110105", "220104"}
    assert divisions.lookup("市辖区") == []  # placeholders are not place names
    assert divisions.lookup("沐阳县") == []


def test_hierarchy() -> None:
    lushan = divisions.lookup("鲁山县")[0]
    assert [d.name for d in divisions.ancestors(lushan)] == ["平顶山市", "河南省"]
    wugang = divisions.lookup("舞钢市")[0]
    pingdingshan = divisions.lookup("平顶山市")[0]
    assert divisions.is_descendant(wugang, pingdingshan)
    assert not divisions.is_descendant(pingdingshan, wugang)
    assert not divisions.related(lushan, wugang)  # siblings under the same city
    assert divisions.related(lushan, pingdingshan)
    # A municipality's district: the 市辖区 placeholder is skipped.
    chaoyang = divisions.by_code("110105")
    assert chaoyang is not None and divisions.parent(chaoyang) == divisions.by_code("110000")
    # A province-governed county-level city: parent is the province.
    jiyuan = divisions.lookup("济源市")[0]
    assert divisions.parent(jiyuan) == divisions.by_code("410000")


def test_levels() -> None:
    assert divisions.lookup("上海市")[0].level == Level.PROVINCIAL
    assert divisions.lookup("平顶山市")[0].level == Level.PREFECTURE
    assert divisions.lookup("舞钢市")[0].level == Level.COUNTY
    assert divisions.by_code("110105") is not None and divisions.by_code("110105").level == Level.COUNTY  # type: ignore[union-attr]


def test_find_in_text() -> None:
    text = "指导并完成舞钢市乡镇（街道办事处）的政务公开目录建设，现发布《平顶山市人民政府办公室报告》"
    found = divisions.find_in_text(text)
    assert [(m.name, text[m.start : m.end]) for m in found] == [
        ("舞钢市", "舞钢市"),
        ("平顶山市", "平顶山市"),
    ]
    assert found[0].candidates[0].code == "410481"


def test_find_in_text_two_char_names_need_a_boundary() -> None:
    assert [m.name for m in divisions.find_in_text("完成县级任务，提高县域水平")] == []
    assert [m.name for m in divisions.find_in_text("河南省叶县、江苏省沛县")] == [
        "河南省",
        "叶县",
        "江苏省",
        "沛县",
    ]


def test_resolve_chain() -> None:
    assert [d.code for d in divisions.resolve_chain("江苏省宿迁市沭阳县人民政府")] == [
        "320000",
        "321300",
        "321322",
    ]
    assert divisions.resolve_chain("沐阳县人民政府") == []
    assert [d.code for d in divisions.resolve_chain("吉林省长春市朝阳区")][-1] == "220104"
