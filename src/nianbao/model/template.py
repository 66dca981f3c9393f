"""The 2021 format (国办公开办函〔2021〕30号): every part heading and table label, with canonical keys.

Pure data. Labels are verbatim from the template (full-width punctuation); parsers compare them after
:func:`nianbao.normalize.label_key`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class PartSpec:
    """One of the six required parts."""

    key: str
    number: str  # 一 … 六
    title: str  # template heading without the number
    aliases: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """The full template heading, e.g. 「一、总体情况」."""
        return f"{self.number}、{self.title}"


PARTS: Final[tuple[PartSpec, ...]] = (
    PartSpec("overview", "一", "总体情况"),
    PartSpec("active", "二", "主动公开政府信息情况"),
    PartSpec("requests", "三", "收到和处理政府信息公开申请情况"),
    PartSpec(
        "review",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议及行政诉讼情况",
            "被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
        ),
    ),
    PartSpec(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题及整改措施",
            "存在的主要问题及改进措施",
        ),
    ),
    PartSpec("other", "六", "其他需要报告的事项"),
)
PART_BY_KEY: Final[dict[str, PartSpec]] = {p.key: p for p in PARTS}

# The five topics that 总体情况 must cover (format text), each with words that identify it.
OVERVIEW_TOPICS: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    ("active", "主动公开", ("主动公开",)),
    ("requests", "依申请公开", ("依申请公开", "依申请")),
    ("management", "政府信息管理", ("政府信息管理", "信息管理")),
    ("platform", "政府信息公开平台建设", ("平台建设", "公开平台")),
    ("oversight", "监督保障", ("监督保障", "监督管理", "监督")),
)


@dataclass(frozen=True, slots=True)
class RowSpec:
    """One data row of a table, with the labels above it in the template hierarchy."""

    key: str
    label: str  # exact leaf label in the template
    path: tuple[str, ...]  # enclosing labels, outermost first
    keywords: tuple[str, ...]  # distinctive phrases that identify the row in damaged text

    @property
    def full_label(self) -> str:
        """Enclosing labels and the leaf label joined by 「／」 (for messages)."""
        return "／".join((*self.path, self.label)) if self.path else self.label

    @property
    def short_label(self) -> str:
        """The label a clerk would name the row by, e.g. 「（三）不予公开／1.属于国家秘密」."""
        return "／".join((*self.path[1:], self.label)) if self.path else self.label


T3_RESULT = "三、本年度办理结果"
T3_DENY = "（三）不予公开"
T3_UNABLE = "（四）无法提供"
T3_NOPROC = "（五）不予处理"
T3_OTHER = "（六）其他处理"

T3_ROWS: Final[tuple[RowSpec, ...]] = (
    RowSpec("new", "一、本年新收政府信息公开申请数量", (), ("本年新收",)),
    RowSpec("carry_in", "二、上年结转政府信息公开申请数量", (), ("上年结转",)),
    RowSpec("open", "（一）予以公开", (T3_RESULT,), ("予以公开",)),
    RowSpec(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        (T3_RESULT,),
        ("部分公开",),
    ),
    RowSpec("deny_1", "1.属于国家秘密", (T3_RESULT, T3_DENY), ("国家秘密",)),
    RowSpec("deny_2", "2.其他法律行政法规禁止公开", (T3_RESULT, T3_DENY), ("法律行政法规禁止",)),
    RowSpec("deny_3", "3.危及“三安全一稳定”", (T3_RESULT, T3_DENY), ("三安全一稳定",)),
    RowSpec("deny_4", "4.保护第三方合法权益", (T3_RESULT, T3_DENY), ("第三方合法权益",)),
    RowSpec("deny_5", "5.属于三类内部事务信息", (T3_RESULT, T3_DENY), ("内部事务",)),
    RowSpec("deny_6", "6.属于四类过程性信息", (T3_RESULT, T3_DENY), ("过程性信息",)),
    RowSpec("deny_7", "7.属于行政执法案卷", (T3_RESULT, T3_DENY), ("行政执法案卷",)),
    RowSpec("deny_8", "8.属于行政查询事项", (T3_RESULT, T3_DENY), ("行政查询事项",)),
    RowSpec("unable_1", "1.本机关不掌握相关政府信息", (T3_RESULT, T3_UNABLE), ("不掌握",)),
    RowSpec("unable_2", "2.没有现成信息需要另行制作", (T3_RESULT, T3_UNABLE), ("没有现成信息", "另行制作")),
    RowSpec("unable_3", "3.补正后申请内容仍不明确", (T3_RESULT, T3_UNABLE), ("补正后", "仍不明确")),
    RowSpec("noproc_1", "1.信访举报投诉类申请", (T3_RESULT, T3_NOPROC), ("信访举报投诉",)),
    RowSpec("noproc_2", "2.重复申请", (T3_RESULT, T3_NOPROC), ("重复申请",)),
    RowSpec("noproc_3", "3.要求提供公开出版物", (T3_RESULT, T3_NOPROC), ("公开出版物",)),
    RowSpec("noproc_4", "4.无正当理由大量反复申请", (T3_RESULT, T3_NOPROC), ("大量反复申请",)),
    RowSpec(
        "noproc_5",
        "5.要求行政机关确认或重新出具已获取信息",
        (T3_RESULT, T3_NOPROC),
        ("重新出具", "确认或重新"),
    ),
    RowSpec(
        "other_1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        (T3_RESULT, T3_OTHER),
        ("逾期不补正",),
    ),
    RowSpec(
        "other_2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        (T3_RESULT, T3_OTHER),
        ("收费通知", "缴纳费用"),
    ),
    RowSpec("other_3", "3.其他", (T3_RESULT, T3_OTHER), ()),
    RowSpec("total", "（七）总计", (T3_RESULT,), ("（七）总计",)),
    RowSpec("carry_out", "四、结转下年度继续办理", (), ("结转下年度", "继续办理")),
)
T3_ROW_BY_KEY: Final[dict[str, RowSpec]] = {r.key: r for r in T3_ROWS}
T3_ROW_KEYS: Final[tuple[str, ...]] = tuple(r.key for r in T3_ROWS)

# The 21 leaf result rows summed by （七）总计.
T3_LEAVES: Final[tuple[str, ...]] = T3_ROW_KEYS[2:23]
# Result groups, for narrative totals such as 「不予公开N件」.
T3_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "open": ("open",),
    "partial": ("partial",),
    "deny": tuple(f"deny_{i}" for i in range(1, 9)),
    "unable": tuple(f"unable_{i}" for i in range(1, 4)),
    "noproc": tuple(f"noproc_{i}" for i in range(1, 6)),
    "other": tuple(f"other_{i}" for i in range(1, 4)),
}
T3_GROUP_LABELS: Final[dict[str, str]] = {
    "open": "（一）予以公开",
    "partial": "（二）部分公开",
    "deny": T3_DENY,
    "unable": T3_UNABLE,
    "noproc": T3_NOPROC,
    "other": T3_OTHER,
}

T3_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("np", "自然人"),
    ("biz", "商业企业"),
    ("res", "科研机构"),
    ("ngo", "社会公益组织"),
    ("law", "法律服务机构"),
    ("oth", "其他"),
    ("tot", "总计"),
)
T3_COL_KEYS: Final[tuple[str, ...]] = tuple(k for k, _ in T3_COLUMNS)
T3_COL_LABEL: Final[dict[str, str]] = dict(T3_COLUMNS)
T3_LEGAL_COLS: Final[tuple[str, ...]] = ("biz", "res", "ngo", "law", "oth")
T3_HEADER_LABELS: Final[tuple[str, ...]] = ("申请人情况", "法人或其他组织")

# Table 四: three groups of five cells.
T4_GROUPS: Final[tuple[tuple[str, str], ...]] = (
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼／未经复议直接起诉"),
    ("suit_after_review", "行政诉讼／复议后起诉"),
)
T4_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("keep", "结果维持"),
    ("correct", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_GROUP_LABEL: Final[dict[str, str]] = dict(T4_GROUPS)
T4_FIELD_LABEL: Final[dict[str, str]] = dict(T4_FIELDS)

# Table 二: rows, their item caption, the value columns (key, label).
T2_ITEM_1 = "第二十条第（一）项"
T2_ITEM_5 = "第二十条第（五）项"
T2_ITEM_6 = "第二十条第（六）项"
T2_ITEM_8 = "第二十条第（八）项"
T2_DOC_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("valid", "现行有效件数"),
)
T2_DECISIONS: Final = (("decisions", "本年处理决定数量"),)
T2_FEE: Final = (("amount", "本年收费金额（单位：万元）"),)
T2_ROWS: Final[tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]] = (
    # key, item caption, row label, columns
    ("reg", T2_ITEM_1, "规章", T2_DOC_COLUMNS),
    ("norm", T2_ITEM_1, "行政规范性文件", T2_DOC_COLUMNS),
    ("permit", T2_ITEM_5, "行政许可", T2_DECISIONS),
    ("penalty", T2_ITEM_6, "行政处罚", T2_DECISIONS),
    ("coercion", T2_ITEM_6, "行政强制", T2_DECISIONS),
    ("fee", T2_ITEM_8, "行政事业性收费", T2_FEE),
)
T2_ROW_KEYS: Final[tuple[str, ...]] = tuple(r[0] for r in T2_ROWS)
T2_ROW_LABEL: Final[dict[str, str]] = {r[0]: r[2] for r in T2_ROWS}
T2_ROW_COLUMNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {r[0]: r[3] for r in T2_ROWS}

# Labels of the 2019 试行 format (国办公开办函〔2019〕60号) that the 2021 format replaced.
LABELS_2019: Final[tuple[str, ...]] = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "第二十条第（九）项",
    "政府集中采购",
    "采购项目数量",
    "采购总金额",
)
