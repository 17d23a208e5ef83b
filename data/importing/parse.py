"""Cell values → typed values. Each parser returns the value or raises ValueError with a Chinese reason."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

_EXCEL_EPOCH = date(
    1899, 12, 30
)  # Excel's day 0 (it counts 1900 as a leap year; serials > 60 agree)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YES = {"是", "有", "√", "✓", "✔", "y", "yes", "1", "true", "已安装", "已装", "安装"}
_NO = {"否", "无", "没有", "×", "✗", "✘", "x", "n", "no", "0", "false", "未安装", "未装"}


def text(value: object) -> str | None:
    """Trimmed text with full-width letters/digits made half-width; None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = unicodedata.normalize("NFKC", str(value)).strip()
    if out[:1] == "'" and out[1:2] in ("=", "+", "-", "@"):
        out = out[1:]  # the apostrophe Anju's own Excel files add (data.excel_safe)
    return out or None


def norm_key(value: object) -> str:
    """Text for matching: NFKC, no whitespace or punctuation, lower case."""
    t = text(value) or ""
    return re.sub(r"[\s\-_·.,，。、()（）#＃/]", "", t).lower()


def to_date(value: object) -> date | None:
    """Excel serials, date cells, 2023-07-14, 2023/7/14, 2023.7.14, 2023年7月14日, 20230714."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000101 <= value <= 21001231 and float(value).is_integer():
            return to_date(str(int(value)))
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"「{value}」不是日期")
    t = text(value) or ""
    if re.fullmatch(r"\d{8}", t):
        t = f"{t[:4]}-{t[4:6]}-{t[6:]}"
    elif re.fullmatch(r"\d+(\.0+)?", t):
        return to_date(float(t))
    m = _DATE.match(t)
    if not m:
        raise ValueError(f"「{t}」不是日期（可写 2023-07-14、2023/7/14、2023年7月14日）")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValueError(f"「{t}」不是有效日期") from exc


def to_year(value: object) -> int | None:
    """A year from a year (1943), a date or a year-month (1943.5, 1943年5月)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and 1880 <= value <= 2100:
        return int(value)
    t = text(value) or ""
    if re.fullmatch(r"(18|19|20)\d{2}\s*年?", t):
        return int(t[:4])
    m = _MONTH.match(t)
    if m:
        return int(m[1])
    return to_date(value).year


def to_bool(value: object) -> bool | None:
    """是/否, 有/无, √/×, Y/N, 1/0 (and a few spellings of each)."""
    t = (text(value) or "").lower()
    if not t:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ValueError(f"「{value}」应为 是/否（也可写 有/无、√/×、Y/N、1/0）")


def to_int(value: object) -> int | None:
    """Whole numbers, also when stored as text ('6', '６层', '6.0')."""
    t = text(value)
    if t is None:
        return None
    m = re.fullmatch(r"(-?\d+)(\.0+)?\s*(层|岁|年|处|次|户)?", t)
    if not m:
        raise ValueError(f"「{t}」不是整数")
    return int(m[1])


def to_float(value: object) -> float | None:
    """Decimal numbers, also as text; full-width digits accepted."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    t = text(value)
    if t is None:
        return None
    try:
        return float(t.replace("°", ""))
    except ValueError as exc:
        raise ValueError(f"「{t}」不是数字") from exc


def to_phone(value: object) -> str | None:
    """Digits of a phone number; floats Excel made of it (1.38E+10) and 021-6xxx kept as digits."""
    if value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"「{value}」不是电话号码")
        value = int(value)
    t = text(value) or ""
    if re.fullmatch(r"\d+(\.0+)?", t):
        t = t.split(".")[0]
    elif re.fullmatch(r"\d(\.\d+)?e\+?\d+", t.lower()):
        t = str(int(float(t)))
    digits = re.sub(r"[\s\-()（）+]", "", t)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not re.fullmatch(r"\d{7,12}", digits):
        raise ValueError(f"「{t}」不是电话号码（应为 11 位手机或带区号的固定电话）")
    return digits


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def to_id_card(value: object) -> tuple[int, str] | None:
    """(birth year, sex) from an 18-digit 居民身份证号 with a valid check digit.

    The number itself is not kept anywhere: only what the roster needs from it.
    """
    t = (text(value) or "").upper().replace(" ", "")
    if not t:
        return None
    if not re.fullmatch(r"\d{17}[\dX]", t):
        raise ValueError("身份证号应为 18 位（最后一位可为 X）")
    check = "10X98765432"[sum(int(d) * w for d, w in zip(t[:17], _ID_WEIGHTS, strict=True)) % 11]
    if t[17] != check:
        raise ValueError("身份证号校验位不对，请核对")
    born = to_date(t[6:14])
    return born.year, ("男" if int(t[16]) % 2 else "女")


def to_sex(value: object) -> str | None:
    """男/女 (also M/F, 男性/女性)."""
    t = (text(value) or "").lower()
    if not t:
        return None
    if t in {"男", "男性", "m", "male"}:
        return "男"
    if t in {"女", "女性", "f", "female"}:
        return "女"
    raise ValueError(f"「{value}」应为 男 或 女")


GAS_TYPES = {
    "piped": ("管道", "天然气", "管道燃气", "管道天然气", "管道气", "煤气", "piped", "ng"),
    "lpg": ("液化气", "液化石油气", "瓶装", "瓶装液化气", "瓶装液化石油气", "lpg"),
    "none": ("无", "不用气", "未用气", "none", "电"),
}


def to_gas_type(value: object) -> str | None:
    """管道/天然气 → piped, 液化气/瓶装 → lpg, 无 → none."""
    t = (text(value) or "").lower()
    if not t:
        return None
    for code, words in GAS_TYPES.items():
        if t in words:
            return code
    if "液化" in t or "瓶装" in t:
        return "lpg"
    if "管道" in t or "天然气" in t:
        return "piped"
    raise ValueError(f"「{value}」应为 管道天然气、液化气 或 无")


USER_CLASSES = {
    "residential": ("居民", "住宅", "居民用户"),
    "catering": ("餐饮",),
    "industry": ("工业", "工商业", "企业"),
    "elderly_care": ("养老", "养老机构", "敬老院"),
    "education": ("教育", "学校", "幼儿园"),
    "culture": ("文化", "文旅", "旅游"),
    "medical": ("医疗", "医院", "卫生"),
    "other": ("其他", "其它"),
}


def to_user_class(value: object) -> str | None:
    """Seed 001 sectors: 居民 / 餐饮 / 工业 / 养老 / 教育 / 文化 / 医疗 / 其他."""
    t = text(value) or ""
    if not t:
        return None
    if t in USER_CLASSES:
        return t
    for code, words in USER_CLASSES.items():
        if any(w in t for w in words):
            return code
    raise ValueError(
        f"「{value}」不是已知的用户类别（居民、餐饮、工业、养老、教育、文化、医疗、其他）"
    )


OUTCOMES = {
    "ok": ("正常", "合格", "无隐患", "已安检", "通过", "ok"),
    "hazard": ("有隐患", "隐患", "不合格", "hazard"),
    "refused": ("拒绝", "拒检", "拒绝安检", "拒装", "拒绝安装", "refused"),
    "not_home": ("不在家", "未遇", "无人", "到访不遇", "not_home"),
    "unfixable": ("无法整改", "不具备条件", "unfixable"),
}


def to_outcome(value: object) -> str | None:
    """安检结果: 正常 / 有隐患 / 拒绝 / 不在家 / 无法整改."""
    t = (text(value) or "").lower()
    if not t:
        return None
    for code, words in OUTCOMES.items():
        if t in words:
            return code
    for code in ("unfixable", "refused", "not_home", "hazard", "ok"):
        if any(w in t for w in OUTCOMES[code][:-1]):
            return code
    raise ValueError(f"「{value}」应为 正常、有隐患、拒绝、不在家 或 无法整改")


def to_crs(value: object) -> str | None:
    """WGS84 / GCJ-02 (高德、腾讯) / BD-09 (百度) by name."""
    t = norm_key(value)
    if not t:
        return None
    if t in {"wgs84", "gps", "cgcs2000", "4326", "epsg4326", "天地图"}:
        return "wgs84"
    if t in {"gcj02", "高德", "腾讯", "火星", "amap"}:
        return "gcj02"
    if t in {"bd09", "百度", "baidu", "bd09ll"}:
        return "bd09"
    raise ValueError(f"「{value}」不是已知坐标系（WGS84、GCJ-02/高德、BD-09/百度）")


_REGION_SUFFIX = re.compile(
    r"(社区居民委员会|居民委员会|居委会|社区|居委|街道办事处|街道办|街道|人民政府)$"
)


def region_key(value: object) -> str:
    """A community/street name without 居委会/社区/村委会… suffixes, full-width made half-width."""
    t = re.sub(r"(村民委员会|村委会)$", "村", norm_key(value))
    prev = None
    while prev != t:
        prev, t = t, _REGION_SUFFIX.sub("", t)
    return t
