"""Headings of East Asian statistical offices' tables: Japan (e-Stat), China (NBS, the
provincial yearbooks), Taiwan (DGBAS) and Korea (KOSIS).

Chinese and Japanese write no blank between words, so a heading is one token to
:func:`.generic_headings.role_of`'s word lists ('産業大分類', '年末从业人员'): it is read here as
a whole, after its parts in brackets (a unit, a revision: '从业人员（万人）', '산업별(10차)')
are set aside.  Region, industry and period are whole headings (:data:`ROLE_HEADINGS`), with
'コード' / '代码' / '코드' after them for a code, '名' / '名称' / '명' for a name, and '別' / '별'
(by) after either; a measure is the end of the heading, as these languages put the head of a
compound last ('年末従業者数', employees at the year's end).  No such word is in any of the
other languages' lists, and none of the English, German or Russian headings holds a CJK
character, so none of them can be read otherwise.

A unit in brackets (:func:`heading_factor`): '（万人）' is ten thousand persons, '(千人)' and
'(천명)' a thousand, '（人）' and '(명)' persons; a money amount in '万元', '百万円', '천원' the
same way.
"""

from __future__ import annotations

import re
import unicodedata

from clusterid import schema

# the scripts that mark a heading as one of these languages': kana, CJK ideographs, Hangul
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]")
# a part in brackets (after NFKC, which makes the full-width brackets ASCII): a unit, a
# revision, a note; and 【】〔〕 as Japanese and Chinese tables bracket them
_BRACKETS = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]")

# industry headings by language: the classification a table's codes are of follows from it
# (:func:`national_classification`)
_INDUSTRY_HEADINGS = {
    # Japanese: 産業, 産業分類, 産業大分類 (中, 小, 細分類)
    "ja": frozenset({"産業", "産業分類", "産業大分類", "産業中分類", "産業小分類", "産業細分類"}),
    # Chinese: 行业, 行业分类, 行业门类 (sections), 行业大类, 国民经济行业, 产业
    "zh-Hans": frozenset({"行业", "行业分类", "行业门类", "行业大类", "国民经济行业", "国民经济行业分类",
                          "产业"}),
    # traditional (DGBAS): 行業, 行業分類, 行業標準分類, 產業
    "zh-Hant": frozenset({"行業", "行業分類", "行業標準分類", "產業"}),
    # Korean: 산업, 산업분류, 산업대분류, 산업중분류
    "ko": frozenset({"산업", "산업분류", "산업대분류", "산업중분류", "산업소분류"}),
}
ROLE_HEADINGS: dict[str, frozenset[str]] = {
    "region": frozenset({
        # Japanese (e-Stat): 地域, 都道府県, 市区町村, 市町村, 全国・都道府県
        "地域", "地域区分", "都道府県", "市区町村", "市町村", "全国都道府県", "全国・都道府県",
        # Chinese (NBS, yearbooks): 地区, 省 (省（区、市） with its brackets set aside), 省份,
        # 城市, 行政区划; traditional (DGBAS): 地區, 縣市, 區域
        "地区", "省", "省份", "省市", "城市", "行政区划", "地區", "縣市", "区域", "區域",
        # Korean (KOSIS): 지역, 시도, 시군구, 행정구역
        "지역", "시도", "시군구", "행정구역"}),
    "industry": frozenset().union(*_INDUSTRY_HEADINGS.values()),
    "period": frozenset({
        # (e-Stat's "時間軸（年次）", the time axis by year, with its brackets set aside)
        "年", "年度", "年次", "調査年", "時点", "時間軸", "年份", "时间", "時間", "期間",
        "연도", "년도", "년", "시점", "기간"}),
}
_CODE_SUFFIXES = ("コード", "番号", "代码", "代碼", "编码", "編碼", "코드")
_NAME_SUFFIXES = ("名称", "名稱", "名", "명")
_BY_SUFFIXES = ("別", "别", "별")

# measures by the heading's end (its head): 従業者数 and 年末従業者数 alike
MEASURE_ENDINGS: dict[str, tuple[str, ...]] = {
    schema.EMPLOYMENT: (
        # Japanese: 従業者数 (persons engaged), 従業員数, 就業者数, 雇用者数
        "従業者数", "従業員数", "従業者", "就業者数", "雇用者数",
        # Chinese: 就业人员 (employed persons), 从业人员 (persons engaged), 就业人数, 职工人数;
        # traditional: 員工人數, 受僱員工人數, 就業人數, 從業員工人數
        "就业人员", "从业人员", "从业人员数", "就业人数", "从业人数", "职工人数",
        "員工人數", "就業人數", "從業人數", "從業員工人數",
        # Korean: 종사자수 (persons engaged), 종사자, 취업자수, 근로자수
        "종사자수", "종사자", "취업자수", "근로자수"),
    schema.ESTABLISHMENTS: (
        # Japanese: 事業所数, 企業数; Chinese: 法人单位数, 单位数, 企业数; traditional 單位數,
        # 企業單位數, 場所單位數; Korean: 사업체수, 기업체수
        "事業所数", "企業数", "单位数", "企业数", "單位數", "企業數", "사업체수", "기업체수"),
    schema.WAGES: (
        # Japanese: 現金給与総額, 給与総額; Chinese: 工资总额; traditional: 薪資總額;
        # Korean: 급여총액, 연간급여액
        "給与総額", "賃金総額", "工资总额", "薪资总额", "薪資總額", "급여총액", "급여액", "임금총액"),
    schema.OUTPUT: (
        # 付加価値額 (value added), 增加值 / 增加價值, 부가가치
        "付加価値額", "付加価値", "增加值", "增加價值", "부가가치", "부가가치액"),
}
# an average (平均賃金, 平均工资, 평균임금) is no total
_AVERAGE = ("平均", "평균")


def is_cjk(header) -> bool:
    """Whether ``header`` holds kana, a CJK ideograph or Hangul."""
    return header is not None and bool(_CJK.search(str(header)))


def _bare(header: str) -> str:
    """``header`` without its bracketed parts, blanks, middle dots and slashes, full-width
    forms made ASCII (NFKC)."""
    h = _BRACKETS.sub("", unicodedata.normalize("NFKC", str(header)))
    return re.sub(r"[\s・·/_:]+", "", h)


def role_of(header) -> str | None:
    """The role of a Japanese, Chinese or Korean heading (region, region_code, region_name,
    industry..., period, or a measure), None when it names none of them (or holds no CJK
    character: :func:`.generic_headings.role_of` reads it)."""
    if not is_cjk(header):
        return None
    h = _bare(header)
    for dim in ("region", "industry"):
        words = ROLE_HEADINGS[dim]
        for suffixes, kind in ((_CODE_SUFFIXES, "_code"), (_NAME_SUFFIXES, "_name")):
            for s in suffixes:
                if h.endswith(s) and _head(h[: -len(s)]) in words:
                    return dim + kind
        if _head(h) in words:
            return dim
    if _head(h) in ROLE_HEADINGS["period"]:
        return "period"
    for measure, endings in MEASURE_ENDINGS.items():
        if h.endswith(endings):
            if measure == schema.WAGES and any(a in h for a in _AVERAGE):
                return None
            return measure
    return None


def measures_in(text) -> set[str]:
    """The measures a Japanese, Chinese or Korean title names anywhere in it, by the words of
    :data:`MEASURE_ENDINGS` ('2021年分地区法人单位数' establishments, '都道府県別事業所数及び
    従業者数' both); an average's wages too (:func:`is_average` tells)."""
    if not is_cjk(text):
        return set()
    h = _bare(text)
    return {m for m, endings in MEASURE_ENDINGS.items() if any(e in h for e in endings)}


def is_average(text) -> bool:
    """Whether a Japanese, Chinese or Korean heading or title names an average (平均, 평균)."""
    return is_cjk(text) and any(a in str(text) for a in _AVERAGE)


def _head(h: str) -> str:
    """``h`` without a '別' / '별' (by) at its end: 縣市別, 시도별."""
    return h[:-1] if h.endswith(_BY_SUFFIXES) and len(h) > 1 else h


# a unit in brackets: a multiple (十, 百, 千, 万, 百万, 亿 ...; 천, 만, 백만, 억) before a word of
# persons, units or money
_MULTIPLES = {"": 1.0, "十": 1e1, "百": 1e2, "千": 1e3, "万": 1e4, "萬": 1e4, "十万": 1e5,
              "十萬": 1e5, "百万": 1e6, "百萬": 1e6, "千万": 1e7, "千萬": 1e7, "亿": 1e8, "億": 1e8,
              "천": 1e3, "만": 1e4, "십만": 1e5, "백만": 1e6, "천만": 1e7, "억": 1e8}
_UNIT_WORDS = ("人", "名", "个", "個", "所", "家", "社", "元", "円", "圓", "台币", "臺幣", "新台币",
               "新臺幣", "명", "개", "개소", "원", "사업체")
_UNIT = re.compile(r"^(?:单位|單位|単位|단위)?\s*[:：]?\s*(" + "|".join(sorted(_MULTIPLES, key=len, reverse=True)[:-1])
                   + r")?\s*(" + "|".join(sorted(_UNIT_WORDS, key=len, reverse=True)) + r")$")


def unit_factor(text) -> float | None:
    """The factor of a CJK unit ('万人' 1e4, '千人' and '천명' 1e3, '人' and '명' 1, '百万円'
    1e6, '单位：万人' 1e4), None for any other text."""
    if text is None:
        return None
    m = _UNIT.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))))
    return _MULTIPLES[m.group(1) or ""] if m else None


def heading_factor(header) -> float | None:
    """The factor of the unit a CJK heading gives in brackets ('就业人员（万人）' 1e4,
    '종사자수(천명)' 1e3, '従業者数（人）' 1), None when it gives none this module knows."""
    if not is_cjk(header):
        return None
    for part in re.findall(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]", unicodedata.normalize("NFKC", str(header))):
        f = unit_factor(part)
        if f is not None:
            return f
    return None


# the national classifications whose codes are not NACE's: JSIC's sections are lettered A-T
# with other meanings (E manufacturing, D construction, NACE's C and F), its divisions
# numbered otherwise (09 food, NACE 10); GB/T 4754-2017's agree with NACE up to D (E
# construction, F wholesale and retail).  KSIC (Korea) and Taiwan's classification keep
# ISIC Rev. 4's sections, which are NACE's.
_NATIONAL = {"ja": "JSIC (Japan Standard Industrial Classification)",
             "zh-Hans": "GB/T 4754 (China's industrial classification)"}
# ... and KSIC's 9th revision (2008-2017), which KOSIS heads "산업별(9차)": its sections are
# lettered as ISIC's but D holds water supply (36) and L renting (69), NACE's E and N
# (KSIC 10, "(10차)", moved them where ISIC Rev. 4 has them)
_KSIC9 = "KSIC 9 (Korea's industrial classification, 9th revision, 2008-2017)"
NATIONAL_EXAMPLE = {_NATIONAL["ja"]: "JSIC's E is manufacturing and D construction, NACE's C and F",
                    _NATIONAL["zh-Hans"]: "GB/T 4754's E is construction and F trade, NACE's F and G",
                    _KSIC9: "KSIC 9's D holds water supply and its L renting and leasing, NACE's E and N"}


def national_classification(heading) -> str | None:
    """The national classification a Japanese or simplified Chinese industry heading implies
    ('産業大分類', '行业代码'), whose codes are not NACE's; None for other headings."""
    if not is_cjk(heading):
        return None
    if re.search(r"[(\[]\s*(?:제\s*)?9\s*차\s*[)\]]", unicodedata.normalize("NFKC", str(heading))):
        return _KSIC9  # KOSIS's "산업별(9차)"
    h = _bare(heading)
    for s in _CODE_SUFFIXES + _NAME_SUFFIXES:
        if h.endswith(s):
            h = h[: -len(s)]
            break
    h = _head(h)
    return next((name for lang, name in _NATIONAL.items() if h in _INDUSTRY_HEADINGS[lang]), None)
