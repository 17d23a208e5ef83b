"""The one CJK font helper: Chinese faces for Word runs and for matplotlib charts.

Word: government documents (GB/T 9704) use 黑体 for titles and 仿宋 for the body as found on
Windows (方正小标宋 is rarely installed); set as w:eastAsia so Word uses them for Chinese and
substitutes its own CJK face where missing, never boxes. Charts: an installed Simplified-Chinese
face, or a clear Chinese error naming the package to install.
"""

from __future__ import annotations

from functools import cache

from docx.oxml.ns import qn
from docx.shared import Pt
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

TITLE_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"

# Simplified-Chinese faces first: the same code point draws differently in SC, TC and JP.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


def docx_run(run, east_asia: str = BODY_FONT, size: float | None = None, bold: bool = False):
    """Give a python-docx run a CJK face (w:eastAsia), a Latin face, a size in points, weight."""
    run.font.name = LATIN_FONT
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    return run


@cache
def chart_font() -> font_manager.FontProperties:
    """An installed font that renders Simplified Chinese; a clear error if there is none."""
    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return font_manager.FontProperties(family=family)
    raise RuntimeError(
        "找不到中文字体，图表中的汉字将显示为方框。请安装 Noto CJK 字体"
        "（Debian/Ubuntu：apt-get install fonts-noto-cjk），然后重试。"
        f"已查找：{', '.join(CJK_FAMILIES)}"
    )


def chart_font_path() -> str:
    """The file of the chart font in use (to check glyph coverage)."""
    return font_manager.findfont(chart_font(), fallback_to_default=False)


def missing_glyphs(texts: list[str], path: str | None = None) -> set[str]:
    """Characters of `texts` that the font cannot draw (they would show as boxes)."""
    face = FT2Font(path or chart_font_path())
    return {
        ch
        for text in texts
        for ch in text
        if not ch.isspace() and face.get_char_index(ord(ch)) == 0
    }
