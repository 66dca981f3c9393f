"""Privacy: personal data that a report meant for publication must not carry.

Numbers are matched on normalised text (full-width digits folded, spaces beside digits dropped), and
every match is mapped back to its line and column. Personal data is masked in messages and evidence,
so that the checker's own output does not spread it further.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from nianbao.model.finding import Category, Finding, Location, Severity
from nianbao.model.report import Heading, Paragraph, Report
from nianbao.model.span import Span
from nianbao.normalize import normalized
from nianbao.rules.base import Context, Rule, register
from nianbao.rules.shared import paragraphs, per_check

Locate = Callable[[int], Span | None]


def _span_locator(owner: Paragraph | Heading, offsets: tuple[int, ...]) -> Locate:
    """Map an offset of the normalised text back to a span in the source."""

    def locate(index: int) -> Span | None:
        original = offsets[index] if index < len(offsets) else (offsets[-1] if offsets else 0)
        if isinstance(owner, Paragraph):
            return owner.span_at(original)
        base = owner.span
        if base.column is not None:
            return base.model_copy(update={"column": base.column + original})
        return base

    return locate


def _pieces(report: Report) -> Iterator[Paragraph | Heading]:
    """Every paragraph and heading line, each source place once."""
    seen: set[tuple[int | None, int | None]] = set()
    items: list[Paragraph | Heading] = [*paragraphs(report), *report.headings]
    for item in items:
        key = (item.span.line, item.span.column)
        if key not in seen:
            seen.add(key)
            yield item


# Marks that a text may hold a match of some pattern: the words of the patterns, and _LONG_NUMBER for
# the ID and mobile numbers (both have 11 digits in a row, the mobile number possibly split by dashes).
_LONG_NUMBER = "<long number>"
_LONG_NUMBER_RE = re.compile(r"\d{3}-?\d{4}-?\d{4}")
_MARK_WORDS = ("@", "申请人", "申请公开", "提出", "先生", "女士")


@per_check
def _texts(report: Report) -> list[tuple[str, Locate, str | None, frozenset[str]]]:
    """(normalised text, locator, part, marks) of every paragraph and heading line, for the six patterns."""
    out: list[tuple[str, Locate, str | None, frozenset[str]]] = []
    for owner in _pieces(report):
        norm, offsets = normalized(owner.text)
        marks = {w for w in _MARK_WORDS if w in norm}
        if _LONG_NUMBER_RE.search(norm):
            marks.add(_LONG_NUMBER)
        out.append((norm, _span_locator(owner, offsets), owner.part, frozenset(marks)))
    return out


def _matches(
    report: Report, pattern: re.Pattern[str], group: int | str = 0, needs: tuple[str, ...] = ()
) -> Iterator[tuple[re.Match[str], Span | None, str | None]]:
    """Every match of ``pattern`` in normalised narrative text, with the source span where ``group`` starts.

    ``needs``: marks (words of :data:`_MARK_WORDS`, or :data:`_LONG_NUMBER`) of which every match has
    one; texts without any are not scanned.
    """
    for norm, locate, part, marks in _texts(report):
        if needs and marks.isdisjoint(needs):
            continue
        for m in pattern.finditer(norm):
            yield m, locate(m.start(group)), part


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * max(hidden, 0) + (value[-keep_end:] if keep_end else "")


def _line_of(span: Span | None) -> str:
    if span is None or span.line is None:
        return "正文中"
    return f"第{span.page}页第{span.line}行" if span.page is not None else f"第{span.line}行"


_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits of a 居民身份证号: province-level codes (GB/T 2260), plus 71 台湾 and 81/82/83 港澳台居民居住证.
_ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def is_id_number(value: str) -> bool:
    """True for an 18-character 居民身份证号码 with a valid ISO 7064 MOD 11-2 check character and birth date.

    >>> is_id_number("11010519491231002X")
    True
    >>> is_id_number("110105194912310021")
    False
    """
    if len(value) != 18 or not value[:17].isdigit() or value[:2] not in _ID_PROVINCES:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17].upper():
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


@register
class IdNumber(Rule):
    """报告中出现居民身份证号码。

    What it checks: every 18-character number in the narrative whose check character (ISO 7064 MOD 11-2,
    GB 11643) and birth date are valid. Numbers that fail the checksum (document numbers, account
    numbers) are not reported.

    Why: a published annual report must not disclose personal information (《条例》第十五条); an ID
    number identifies an applicant and cannot be taken back once online.

    Bad: 「申请人（身份证号11010519491231002X）申请公开…」.
    Good: 「申请人张某某申请公开…」 (no ID number, name anonymised).
    """

    code = "PII-ID-NUMBER"
    name = "privacy.id_number"
    category = Category.PRIVACY
    severity = Severity.ERROR

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for m, span, part in _matches(report, _ID_RE, 1, (_LONG_NUMBER,)):
            value = m.group(1)
            if not is_id_number(value):
                continue
            masked = _mask(value, 6, 4)
            yield self.finding(
                f"{_line_of(span)}出现居民身份证号码“{masked}”，公开发布的年度报告不得含有个人身份信息，请删除。",
                Location(span=span, part=part),
                actual=masked,
                evidence=[masked],
            )


_MOBILE_RE = re.compile(r"(?<![\d.\-])(?:\+?86[\-]?)?(1[3-9]\d\-?\d{4}\-?\d{4})(?![\d.\-])")


@register
class MobileNumber(Rule):
    """报告中出现个人手机号码。

    What it checks: an 11-digit number 1[3-9]xxxxxxxxx (optionally written 138-1234-5678 or with +86)
    that is not part of a longer number. Landlines such as 「0527-86212345」 are not reported: an
    office's published contact line is not personal data.

    Why: a mobile number belongs to a person (an applicant or a staff member); the report should give
    the office's landline instead.

    Bad: 「联系人：王科长，13812345678」.
    Good: 「联系电话：0527-86212345」.
    """

    code = "PII-MOBILE"
    name = "privacy.mobile"
    category = Category.PRIVACY
    severity = Severity.ERROR

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for m, span, part in _matches(report, _MOBILE_RE, 1, (_LONG_NUMBER,)):
            digits = m.group(1).replace("-", "")
            masked = _mask(digits, 3, 4)
            yield self.finding(
                f"{_line_of(span)}出现手机号码“{masked}”，属于个人信息，公开发布的年度报告应改用单位办公电话。",
                Location(span=span, part=part),
                actual=masked,
                evidence=[masked],
            )


_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
)
# Free mail services: an address there belongs to a person, not to an office.
FREE_MAIL_DOMAINS = frozenset(
    {
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "188.com", "sina.com", "sina.cn",
        "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com", "tom.com", "21cn.com",
        "gmail.com", "hotmail.com", "outlook.com", "live.com", "msn.com", "yahoo.com", "icloud.com", "me.com",
    }
)  # fmt: skip
# Surnames in pinyin, for local parts like "wangjianguo" or "zhang.wei1985" on non-government domains.
_SURNAMES_PINYIN = (
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song "
    "tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren "
    "shen yao jin fu zhong cui tan liao fan shi qin dai lv jia xia qiu hou bai meng kong mao qian"
).split()
_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|"
    r"in|un|ia|ie|iu|ua|uo|ue|ui|er|a|o|e|i|u|v)"
)
_NAME_LOCAL_RE = re.compile(
    rf"^(?:{'|'.join(sorted(_SURNAMES_PINYIN, key=len, reverse=True))})[._]?{_SYLLABLE}{{1,2}}\d*$"
)
# Office words that also parse as pinyin names (zheng+wu): not a person.
_OFFICE_WORDS = ("zhengwu", "xinxi", "gongkai", "bangong", "xingzheng", "zhengfu", "renmin", "fuwu", "zixun")


def is_personal_email(local: str, domain: str) -> bool:
    """True for an address at a free mail service, or a pinyin personal name on a non-government domain."""
    domain = domain.lower()
    if domain == "gov.cn" or domain.endswith(".gov.cn"):
        return False
    if domain in FREE_MAIL_DOMAINS:
        return True
    lowered = local.lower()
    return bool(_NAME_LOCAL_RE.match(lowered)) and not any(w in lowered for w in _OFFICE_WORDS)


@register
class PersonalEmail(Rule):
    """报告中出现个人电子邮箱。

    What it checks: addresses at free mail services (qq.com, 163.com, 126.com, gmail.com …) and
    addresses whose local part is a pinyin personal name (wangjianguo@…) on a non-government domain.
    An office's published address on a gov.cn domain is not reported.

    Why: a personal mailbox identifies a person and is not the office's official channel; the report
    should give the office's official address.

    Bad: 「来信请发至 12345678@qq.com」.
    Good: 「来信请发至 shqxxgk@sihong.gov.cn」.
    """

    code = "PII-EMAIL"
    name = "privacy.email"
    category = Category.PRIVACY
    severity = Severity.WARNING

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        for m, span, part in _matches(report, _EMAIL_RE, needs=("@",)):
            local, domain = m.group(1), m.group(2)
            if not is_personal_email(local, domain):
                continue
            masked = f"{_mask(local, 1, 0)}@{domain}"
            yield self.finding(
                f"{_line_of(span)}出现个人电子邮箱“{masked}”，公开发布的年度报告应使用单位的官方邮箱。",
                Location(span=span, part=part),
                actual=masked,
                evidence=[masked],
            )


# Common single-character surnames. Ambiguous ones that start ordinary words next to 申请 (公, 法, 时,
# 全, 万, 信, 向, 于, 从, 来, 成, 明, 文, 常, 和, 及) are left out: precision over recall.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚"
    "卢姜崔钟谭陆汪范廖石金贾夏韦付方邹熊孟秦邱侯江尹薛闫段雷龙黎史陶贺顾毛郝龚邵万钱严覃武戴莫孔汤"
    "易乔赖庞樊殷施倪牛洪"
).replace("万", "")
_NOT_GIVEN = "某等人者们员方及和与或在对向于的了是为将被"
_NAME = rf"[{_SURNAMES}][^\W\d_A-Za-z{_NOT_GIVEN}]{{1,2}}?"
_AFTER_NAME = r"(?=[，。、；：:,;（）()\s]|申请|提出|于\d|向|对|称|要求|认为|不服|$)"
_APPLICANT_RE = re.compile(rf"申请人[：:]?(?P<name>{_NAME}){_AFTER_NAME}")
_HONORIFIC_RE = re.compile(rf"(?P<name>[{_SURNAMES}][\u4e00-\u9fff]{{0,2}}?(?:先生|女士))(?!们)")
_ACTOR_RE = re.compile(
    rf"(?:^|(?<=[，。；：:,;、\s\d])|(?<=收到)|(?<=其中))(?P<name>{_NAME})(?:同志)?(?=申请公开|提出(?:政府信息公开)?申请)"
)
# Words that look like a surname plus one or two characters but are not names.
_NOT_NAMES = frozenset(
    {
        "申请",
        "信息",
        "陈述",
        "方面",
        "方式",
        "方法",
        "黄页",
        "周期",
        "周年",
        "高校",
        "高速",
        "江苏",
        "江西",
        "何种",
        "石化",
        "严格",  # 「严格依申请公开办理」
        "严肃",
        "高效",
        "方便",
        "贾汪",  # a district (徐州市贾汪区)
    }
)


@register
class NamedApplicant(Rule):
    """报告中出现申请人等个人的真实姓名。

    What it checks: 「申请人」 followed by a two- or three-character name that is not anonymised (not
    ending in 某, not 「某某」), a name right before 「申请公开」/「提出申请」, and 「X先生」/「X女士」.
    Anonymised forms such as 「申请人张某某」 or 「李某」 are fine.

    Why: the annual report is published; an applicant's name is personal information that the report
    does not need (case descriptions use 张某 or 申请人甲).

    Bad: 「申请人王建国申请公开征收补偿方案」, 「张三申请公开…」, 「李女士来电咨询」.
    Good: 「申请人王某某申请公开征收补偿方案」.
    """

    code = "PII-NAMED-APPLICANT"
    name = "privacy.named_applicant"
    category = Category.PRIVACY
    severity = Severity.WARNING

    def check(self, report: Report, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[int | None, int | None, str]] = set()
        for pattern, needs in ((_APPLICANT_RE, ("申请人",)), (_ACTOR_RE, ("申请公开", "提出")), (_HONORIFIC_RE, ("先生", "女士"))):
            for m, span, part in _matches(report, pattern, "name", needs):
                name = m.group("name")
                if "某" in name or name[:2] in _NOT_NAMES:
                    continue
                key = (span.line if span else None, span.column if span else None, name)
                if key in seen:
                    continue
                seen.add(key)
                yield self.finding(
                    f"{_line_of(span)}出现申请人等个人姓名“{name}”，公开发布的年度报告应隐去姓名（如“张某某”）。",
                    Location(span=span, part=part),
                    actual=name,
                    evidence=[m.group(0)],
                )
