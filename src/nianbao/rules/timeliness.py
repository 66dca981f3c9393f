"""TIME-DEADLINE (R31): the report published after the 条例第四十九条 deadline, or dated before its year ended."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import AgencyKind, Level, Paragraph, Report
from nianbao.model.span import Span
from nianbao.normalize import normalize_text
from nianbao.numerals import parse_number
from nianbao.rules.base import Context, Rule, register

# A signature date ending a paragraph: 「2025年1月20日」, 「二〇二五年一月二十日」.
_SIGNATURE_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*[)）]?\s*$"
)
_SIGNATURE_LOOKBACK = 3  # paragraphs at the end of the report that may be the signature


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _signature_date(paragraph: Paragraph) -> dt.date | None:
    m = _SIGNATURE_DATE.search(normalize_text(paragraph.text.strip()))
    if not m:
        return None
    year, month, day = (parse_number(m.group(g)) for g in ("y", "m", "d"))
    if not isinstance(year, int) or not isinstance(month, int) or not isinstance(day, int):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _signature(report: Report, date: dt.date) -> Span | None:
    """The span of the signature line when the date is the report's own signature date."""
    for paragraph in report.paragraphs()[-_SIGNATURE_LOOKBACK:]:
        if _signature_date(paragraph) == date:
            return paragraph.span
    return None


@register
class PublicationDeadline(Rule):
    """报告发布日期晚于《条例》第四十九条规定的公开期限，或早于报告年度结束。

    Checks (format-2021 R31) the publication date where it is known: a web page's 发布日期 (the
    reader keeps it), else the report's signature date (落款日期, read by the parser; a report cannot be
    published before it is signed, so a late signature means a late publication). A 县级以上人民政府
    部门 — including the 政府办公室/办公厅 for its own report — publishes the year-Y report by Y+1年1月31日;
    the 本级政府's report (「X县人民政府…年度报告」) by Y+1年3月31日 (both configurable:
    ``CheckConfig.deadline_department`` / ``deadline_government``). Later is an error. 乡镇、街道 are not
    named in 条例第四十九条 and follow local rules: a township report later than the department deadline is
    a warning. A report whose agency is not known is held to the later (government) deadline. A date on
    or before Y年12月31日 is a warning: the statistics period had not ended (usually a wrong year in the
    date, copied from last year's report). No date, or no report year: no finding.

    Why: timely publication is the first item of every assessment (宿迁: 「未在3月31日前发布上年度报告扣1分」).

    Bad (a 2024 department report): 发布日期：2025-02-10; 落款 2024年1月20日.
    Good: 发布日期：2025-01-20 (department); 2025年3月28日 (a 县人民政府's own report).
    """

    code = "TIME-DEADLINE"
    name = "timeliness.deadline"
    category = Category.TIMELINESS
    severity = Severity.ERROR
    refs = ("R31",)

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        meta = report.metadata
        date, year = meta.publication_date, meta.year
        if date is None or year is None:
            return
        signature = _signature(report, date)
        what = "报告落款日期" if signature is not None else "报告发布日期"
        where = Location(span=signature or meta.title_span)
        if date <= dt.date(year, 12, 31):
            yield self.finding(
                f"{what}为{_cn_date(date)}，早于{year}年度统计期限结束（{year}年12月31日），"
                f"{year}年度报告应在{year + 1}年发布，请核对日期中的年份。",
                where,
                expected=f"{year + 1}年",
                actual=date.isoformat(),
                severity=Severity.WARNING,
            )
            return
        deadline, severity, note = self._deadline(report, ctx, year)
        if date > deadline:
            yield self.finding(
                f"{what}为{_cn_date(date)}，晚于{_cn_date(deadline)}的公开期限（《条例》第四十九条）。{note}",
                where,
                expected=deadline.isoformat(),
                actual=date.isoformat(),
                severity=severity,
            )

    @staticmethod
    def _deadline(report: Report, ctx: Context, year: int) -> tuple[dt.date, Severity, str]:
        """(deadline, severity, note) for the report's agency."""
        meta = report.metadata
        month, day = ctx.config.deadline_department
        if meta.level == Level.TOWNSHIP:
            note = "乡镇、街道的年度报告公开期限以当地规定为准，此处按部门期限提示。"
            return _date(year + 1, month, day), Severity.WARNING, note
        if meta.kind in (AgencyKind.GOVERNMENT, AgencyKind.UNKNOWN):
            month, day = ctx.config.deadline_government
        return _date(year + 1, month, day), Severity.ERROR, ""


def _date(year: int, month: int, day: int) -> dt.date:
    """A configured (month, day) in ``year``; 2月29日 in a common year is 2月28日."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, 28)
