"""Simple A4 PDF documents with fonts that cover Latin (Uzbek oʻ/gʻ included) and Cyrillic.

ReportLab's built-in Helvetica has no Cyrillic, so every document uses the DejaVu Sans TrueType
fonts shipped in ``core/fonts``. Documents are built with ``invariant=1``: the same content always
gives the same bytes, so callers can compare SHA-256 digests instead of re-saving files.

Usage::

    from majlis.core import pdf

    data = pdf.build_a4(
        [pdf.heading("Concept note"), pdf.paragraph("Tashkent, 3–4 March 2022"), pdf.bullets(["a", "b"])],
        title="Concept note", author="Majlis", language="en",
    )
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE_SIZE = A4
MARGIN = 20 * mm


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with ReportLab once; return their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD


@cache
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5, spaceAfter=6)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=23, spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11.5, leading=15.5, spaceAfter=4),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4
        ),
        "marking": ParagraphStyle(
            "marking",
            parent=body,
            fontName=bold,
            fontSize=11,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#9b1c1c"),
            borderColor=colors.HexColor("#9b1c1c"),
            borderWidth=1,
            borderPadding=4,
            spaceBefore=4,
            spaceAfter=10,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=9.5, leading=12.5, spaceAfter=0),
    }


def _text(text: str) -> str:
    """Escape plain text for a Paragraph; line breaks become <br/>."""
    return escape(text).replace("\n", "<br/>")


def title(text: str) -> Paragraph:
    return Paragraph(_text(text), styles()["title"])


def subtitle(text: str) -> Paragraph:
    return Paragraph(_text(text), styles()["subtitle"])


def heading(text: str) -> Paragraph:
    return Paragraph(_text(text), styles()["heading"])


def paragraph(text: str, style: str = "body") -> Paragraph:
    return Paragraph(_text(text), styles()[style])


def marking(text: str) -> Paragraph:
    """A boxed red notice such as DRAFT."""
    return Paragraph(_text(text), styles()["marking"])


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def bullets(items: Iterable[str], *, numbered: bool = False) -> ListFlowable:
    body = styles()["body"]
    flowables = [ListItem(Paragraph(_text(item), body), leftIndent=14) for item in items]
    if numbered:
        return ListFlowable(
            flowables, bulletType="1", bulletFormat="%s.", bulletFontName=REGULAR, bulletFontSize=10, leftIndent=16
        )
    return ListFlowable(
        flowables, bulletType="bullet", start="•", bulletFontName=REGULAR, bulletFontSize=10, leftIndent=14
    )


def table(rows: Sequence[Sequence[str]], col_widths_mm: Sequence[float] | None = None) -> Table:
    """A plain grid; the first column is set in bold."""
    s = styles()
    data = [
        [Paragraph(_text(cell), s["cell_bold"] if i == 0 else s["cell"]) for i, cell in enumerate(row)] for row in rows
    ]
    widths = [w * mm for w in col_widths_mm] if col_widths_mm else None
    result = Table(data, colWidths=widths, hAlign="LEFT", spaceAfter=8)
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return result


def keep_together(flowables: list[Flowable]) -> KeepTogether:
    return KeepTogether(flowables)


def build_a4(
    story: Iterable[Flowable],
    *,
    title: str,
    author: str = "",
    subject: str = "",
    language: str = "en",
    footer: str = "",
) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF bytes (deterministic for equal input).

    ``footer`` is printed at the bottom of every page next to the page number.
    """
    regular, _bold = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="Majlis",
        lang=language,
        invariant=1,
    )

    def decorate(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        width, _height = PAGE_SIZE
        if footer:
            canvas.drawString(MARGIN, 12 * mm, footer)
        canvas.drawRightString(width - MARGIN, 12 * mm, str(document.page))
        canvas.restoreState()

    doc.build(list(story), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


# --- Chinese, Japanese and Korean names -----------------------------------------------------------

# DejaVu has no CJK glyphs: runs of CJK characters are set in reportlab's built-in CID font (Adobe's
# STSong-Light, no file to ship), so a Chinese delegate's name prints on the visa letter and the programme.
CJK_FONT = "STSong-Light"
CJK_RUN = re.compile(
    r"([\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+)"
)


@cache
def cjk_font() -> str | None:
    """The CJK font's name once registered; ``None`` if reportlab's CID resources are missing."""
    try:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    except Exception:  # noqa: BLE001 - a missing CJK resource must not break a document
        return None
    return CJK_FONT


def mixed_script(text: str, *, line_breaks: bool = False) -> str:
    """Paragraph markup for plain text that may hold CJK characters: escaped, CJK runs in the CJK font."""
    parts = CJK_RUN.split(text)
    font = cjk_font() if len(parts) > 1 else None
    markup = "".join(
        f'<font name="{font}">{escape(part)}</font>' if index % 2 and font else escape(part)
        for index, part in enumerate(parts)
    )
    return markup.replace("\n", "<br/>") if line_breaks else markup
