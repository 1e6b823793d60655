"""Badges as PDF: ID-1 cards for card printers, A6 pages, or A4 sheets of four with cut marks.

``render_badges(faces, BadgeFormat.A4_SHEET, title=...)`` returns the PDF bytes. Each badge shows the
photo (or a neutral silhouette), the honorific, the name in the person's own script and in Latin
letters, the organisation and country, the category on a band in its colour, the event and its
dates, the QR code (vector paths, error correction Q) and the short badge number. The top of ID-1
and A6 badges is left empty for the lanyard slot.

Text in any of Latin (Uzbek oʻ gʻ with U+02BB and ʼ U+02BC), Cyrillic, Greek, Arabic, Hebrew,
Georgian, Armenian, Chinese, Japanese and Korean is laid out as follows:

* the text is split into bidirectional runs (a single-line subset of the Unicode bidirectional
  algorithm: implicit levels only, which is what a name or an organisation needs), then into font
  runs: Noto Sans (shipped in ``badges/fonts``), Noto Sans Arabic (shipped), DejaVu Sans (shipped in
  ``core/fonts``: Georgian, Armenian, Hebrew) and Noto Sans CJK;
* right-to-left runs, Arabic and text with combining marks are shaped by HarfBuzz (uharfbuzz), so
  Arabic letters are joined and ordered right to left; the glyphs carry their Unicode values, so
  copying the text from the PDF gives the name back;
* Noto Sans CJK comes from the Debian package ``fonts-noto-cjk`` (CFF outlines in a .ttc
  collection, which ReportLab cannot embed): for each document, the glyphs of the CJK characters it
  uses are copied into a small TrueType font (fontTools, cubic outlines converted to quadratic),
  which ReportLab then embeds as a subset like every other font. Without that package, a badge that
  needs CJK raises ``MissingFontError`` naming the package; other badges still print.

Every font is embedded and subset; documents are built with ``invariant=1`` (same faces, same
bytes). Text never overflows its box: each line is measured with the same advances it is drawn
with, wrapped onto a second line at a space when that gives a larger size, and shrunk until it fits.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, lru_cache
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import segno
import uharfbuzz
from django.utils import formats, translation
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.canvas import Canvas

from majlis.core import pdf as core_pdf

from .faces import BadgeFace

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Where Debian, Ubuntu, Fedora and Arch put Noto Sans CJK (the first that has both weights wins).
CJK_FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/share/fonts/google-noto-cjk"),
    Path("/usr/share/fonts/opentype/noto-cjk"),
)
CJK_FILES = {False: "NotoSansCJK-Regular.ttc", True: "NotoSansCJK-Bold.ttc"}
CJK_PACKAGE_HINT = "install the Noto Sans CJK fonts (Debian and Ubuntu: apt-get install fonts-noto-cjk)"
PHOTO_DPI = 300
QR_ERROR = "q"


class BadgeFormat(StrEnum):
    ID1 = "id1"  # 54 × 85.6 mm card (portrait), one per page: card printers
    A6 = "a6"  # 105 × 148 mm, one per page
    A4_SHEET = "a4"  # A4 sheets of four 95 × 135 mm badges with cut marks in the margins


class BadgeRenderError(ValueError):
    """A face cannot be printed as given; the message names the badge and what to correct."""


class MissingFontError(BadgeRenderError):
    """The text needs a font that is not installed on this machine."""


# --- fonts -----------------------------------------------------------------------------------

_lock = threading.RLock()
_SANS = {False: "MajlisBadgeSans", True: "MajlisBadgeSans-Bold"}
_ARABIC = {False: "MajlisBadgeArabic", True: "MajlisBadgeArabic-Bold"}
_SANS_FILES = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}
_ARABIC_FILES = {False: "NotoSansArabic-Regular.ttf", True: "NotoSansArabic-Bold.ttf"}
_CJK_FAMILIES = {"sc": "Noto Sans CJK SC", "jp": "Noto Sans CJK JP", "kr": "Noto Sans CJK KR"}


@cache
def _base_fonts() -> dict[tuple[str, bool], str]:
    """Register the shipped fonts once; return {(role, bold): registered name}."""
    with _lock:
        names: dict[tuple[str, bool], str] = {}
        for bold in (False, True):
            pdfmetrics.registerFont(TTFont(_SANS[bold], str(FONT_DIR / _SANS_FILES[bold])))
            pdfmetrics.registerFont(TTFont(_ARABIC[bold], str(FONT_DIR / _ARABIC_FILES[bold])))
            names[("sans", bold)] = _SANS[bold]
            names[("arabic", bold)] = _ARABIC[bold]
        regular, bold_name = core_pdf.register_fonts()
        names[("fallback", False)] = regular
        names[("fallback", True)] = bold_name
        return names


def _font(name: str) -> TTFont:
    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    return font


def _covers(name: str, ch: str) -> bool:
    return ord(ch) in _font(name).face.charToGlyph


def cjk_font_paths() -> dict[bool, Path] | None:
    """The Noto Sans CJK collections (regular and bold), or None when they are not installed."""
    for folder in CJK_FONT_DIRS:
        paths = {bold: folder / name for bold, name in CJK_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return paths
    return None


@cache
def _cjk_source(bold: bool, variant: str) -> Any:
    """The Noto Sans CJK font of one weight and variant (fontTools, read lazily), kept open."""
    from fontTools.ttLib import TTCollection

    paths = cjk_font_paths()
    if paths is None:
        raise MissingFontError(f"Chinese, Japanese or Korean text needs Noto Sans CJK: {CJK_PACKAGE_HINT}.")
    collection = TTCollection(str(paths[bold]), lazy=True)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == _CJK_FAMILIES[variant]:
            return font
    raise MissingFontError(f"{paths[bold]} has no {_CJK_FAMILIES[variant]}: {CJK_PACKAGE_HINT}.")


@cache
def _cjk_cmap(bold: bool, variant: str) -> dict[int, str]:
    return dict(_cjk_source(bold, variant).getBestCmap())


_CJK_BUILT: OrderedDict[tuple[frozenset[str], bool, str], str] = OrderedDict()
CJK_FONTS_KEPT = 32  # the fonts of the last 32 character sets stay registered


def _cjk_font(chars: frozenset[str], bold: bool, variant: str) -> str:
    """Register a TrueType font holding the glyphs of ``chars`` from Noto Sans CJK; return its name.

    ReportLab embeds TrueType outlines only, and Noto Sans CJK has CFF outlines: the few glyphs a
    document needs are converted (cubic to quadratic curves, within 1 font unit) into a new font.
    Its PostScript name carries a digest of the characters: ReportLab identifies fonts by it.
    """
    key = (chars, bold, variant)
    with _lock:
        if key in _CJK_BUILT:
            _CJK_BUILT.move_to_end(key)
            return _CJK_BUILT[key]
        name = _build_cjk_font(chars, bold, variant)
        _CJK_BUILT[key] = name
        while len(_CJK_BUILT) > CJK_FONTS_KEPT:
            _, old = _CJK_BUILT.popitem(last=False)
            _font(old).unregister()
        return name


def _build_cjk_font(chars: frozenset[str], bold: bool, variant: str) -> str:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    source = _cjk_source(bold, variant)
    cmap = _cjk_cmap(bold, variant)
    glyph_set = source.getGlyphSet()
    hmtx = source["hmtx"]
    order = [".notdef"]
    mapping: dict[int, str] = {}
    for ch in sorted(chars):
        glyph = cmap.get(ord(ch))
        if glyph is None:
            continue
        mapping[ord(ch)] = glyph
        if glyph not in order:
            order.append(glyph)
    glyphs = {}
    for glyph in order:
        pen = TTGlyphPen(None)
        glyph_set[glyph].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[glyph] = pen.glyph()
    head, hhea, os2 = source["head"], source["hhea"], source["OS/2"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(mapping)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({glyph: hmtx[glyph] for glyph in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    family = _CJK_FAMILIES[variant]
    style = "Bold" if bold else "Regular"
    digest = hashlib.sha256("".join(sorted(chars)).encode()).hexdigest()[:10]
    builder.setupNameTable(
        {
            "familyName": family,
            "styleName": style,
            "psName": f"{family.replace(' ', '')}-{style}-{digest}",
            "copyright": source["name"].getDebugName(0) or "",
            "licenseDescription": "SIL Open Font License, Version 1.1",
        }
    )
    builder.setupOS2(
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        usWeightClass=os2.usWeightClass,
        fsType=0,
    )
    builder.setupPost()
    # Fixed dates: the same characters always give the same font, hence the same PDF bytes.
    builder.updateHead(created=head.created, modified=head.modified, fontRevision=head.fontRevision)
    data = io.BytesIO()
    builder.save(data)
    data.seek(0)
    name = f"MajlisBadgeCJK-{variant}-{style}-{digest}"
    pdfmetrics.registerFont(TTFont(name, data))
    return name


# --- scripts and the bidirectional algorithm -------------------------------------------------


def _is_arabic(cp: int) -> bool:
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFEFF


def _is_cjk(cp: int) -> bool:
    return (
        0x1100 <= cp <= 0x11FF
        or 0x2E80 <= cp <= 0x2FDF
        or 0x3000 <= cp <= 0x33FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xA960 <= cp <= 0xA97F
        or 0xAC00 <= cp <= 0xD7FF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _cjk_variant(text: str) -> str:
    if any(0x3040 <= ord(ch) <= 0x30FF or 0x31F0 <= ord(ch) <= 0x31FF for ch in text):
        return "jp"
    if any(0x1100 <= ord(ch) <= 0x11FF or 0x3130 <= ord(ch) <= 0x318F or 0xAC00 <= ord(ch) <= 0xD7AF for ch in text):
        return "kr"
    return "sc"


_KEEP_FORMAT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner: they change Arabic joining


def clean_text(text: str) -> str:
    """NFC, no control or bidi-formatting characters, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch.isspace():
            kept.append(" ")
        elif category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and ch not in _KEEP_FORMAT):
            continue
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def _bidi_levels(text: str) -> list[int]:
    """Embedding levels of one line (rules P2-P3, W1-W7, N1-N2, I1-I2 of UAX #9; no explicit embeddings)."""
    n = len(text)
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    base = 0
    for t in types:
        if t == "L":
            break
        if t in ("R", "AL"):
            base = 1
            break
    sos = "R" if base else "L"
    previous = sos
    for i, t in enumerate(types):  # W1
        if t == "NSM":
            types[i] = previous
        else:
            previous = t
    last = sos
    for i, t in enumerate(types):  # W2
        if t in ("L", "R", "AL"):
            last = t
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]  # W3
    for i in range(1, n - 1):  # W4
        before, after = types[i - 1], types[i + 1]
        if types[i] == "ES" and before == after == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    i = 0
    while i < n:  # W5
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
    last = sos
    for i, t in enumerate(types):  # W7
        if t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"
    i = 0
    while i < n:  # N1, N2
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        before = sos if i == 0 else ("L" if types[i - 1] == "L" else "R")
        after = sos if j == n else ("L" if types[j] == "L" else "R")
        types[i:j] = [before if before == after else sos] * (j - i)
        i = j
    if base == 0:  # I1
        return [0 if t == "L" else 1 if t == "R" else 2 for t in types]
    return [1 if t == "R" else 2 for t in types]  # I2


# --- lines: runs of one font and direction, measured at 1 pt ----------------------------------


@dataclass(frozen=True)
class _Run:
    font: str
    text: str  # a plain str, or ReportLab's ShapedStr holding HarfBuzz positions
    width: float  # at a font size of 1 pt


@dataclass(frozen=True)
class _Line:
    runs: tuple[_Run, ...]
    width: float  # at 1 pt


def _shape(font_name: str, text: str, rtl: bool) -> ShapedStr:
    """Shape one run with HarfBuzz: glyphs in visual order, positions in thousandths of an em."""
    font = _font(font_name)
    hb_font = font.hbFont(10)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    # Not "dlig": Noto Sans Arabic would draw محمد as the vocalised ligature ﷴ.
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": True})
    face = font.face
    chars = []
    data = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        gid = info.codepoint
        advance = font.pdfScale(position.x_advance)
        codes = face.glyphToChar.get(gid)
        # A glyph with no character of its own (a contextual form) gets a private-use code.
        code = codes[0] if codes else font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, advance)
        chars.append(chr(code))
        data.append(
            ShapeData(
                info.cluster,
                advance,
                font.pdfScale(position.y_advance),
                font.pdfScale(position.x_offset),
                font.pdfScale(position.y_offset),
                face.charWidths[code],
            )
        )
    return ShapedStr("".join(chars), shapeData=data)


def _char_font(ch: str, bold: bool, cjk: str | None) -> str | None:
    fonts = _base_fonts()
    cp = ord(ch)
    if _is_arabic(cp) and _covers(fonts[("arabic", bold)], ch):
        return fonts[("arabic", bold)]
    if _is_cjk(cp) and cjk is not None and _covers(cjk, ch):
        return cjk
    for role in ("sans", "fallback", "arabic"):
        if _covers(fonts[(role, bold)], ch):
            return fonts[(role, bold)]
    if cjk is not None and _covers(cjk, ch):
        return cjk
    return None


def _is_neutral(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in _NEUTRAL | {"NSM", "EN", "AN", "CS", "ES", "ET"} or ch in _KEEP_FORMAT


def unsupported_characters(text: str, *, cjk_available: bool | None = None) -> set[str]:
    """The characters of ``text`` that no badge font can print (for validating names as typed)."""
    if cjk_available is None:
        cjk_available = cjk_font_paths() is not None
    missing = set()
    for ch in clean_text(text):
        if ch == " " or ch in _KEEP_FORMAT:
            continue
        if _char_font(ch, True, None) is not None:
            continue
        if cjk_available and _is_cjk(ord(ch)) and ord(ch) in _cjk_cmap(True, _cjk_variant(text)):
            continue
        missing.add(ch)
    return missing


@lru_cache(maxsize=8192)
def _line(text: str, bold: bool, cjk: str | None) -> _Line:
    """Lay out one line of (cleaned) text: font runs in visual order, shaped where needed."""
    if not text:
        return _Line((), 0.0)
    fonts: list[str | None] = [None if _is_neutral(ch) else _char_font(ch, bold, cjk) for ch in text]
    for i, ch in enumerate(text):  # neutrals (spaces, digits, marks) join a neighbour's font
        if fonts[i] is not None:
            continue
        before = next((f for f in reversed(fonts[:i]) if f is not None), None)
        after = next((f for f in fonts[i + 1 :] if f is not None), None)
        for candidate in (before, after):
            if candidate is not None and _covers(candidate, ch):
                fonts[i] = candidate
                break
        else:
            fonts[i] = _char_font(ch, bold, cjk)
    missing = sorted({ch for ch, font in zip(text, fonts, strict=True) if font is None})
    if missing:
        chars = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing)
        raise BadgeRenderError(f"no badge font has {chars}, in “{text}”")
    levels = _bidi_levels(text)
    pieces: list[tuple[int, str, str]] = []  # (level, font, logical text)
    for ch, font, level in zip(text, fonts, levels, strict=True):
        assert font is not None
        if pieces and pieces[-1][0] == level and pieces[-1][1] == font:
            pieces[-1] = (level, font, pieces[-1][2] + ch)
        else:
            pieces.append((level, font, ch))
    for depth in range(max(level for level, _, _ in pieces), 0, -1):  # L2: reverse from the highest level
        i = 0
        while i < len(pieces):
            if pieces[i][0] < depth:
                i += 1
                continue
            j = i
            while j < len(pieces) and pieces[j][0] >= depth:
                j += 1
            pieces[i:j] = pieces[i:j][::-1]
            i = j
    runs = []
    arabic = {_ARABIC[False], _ARABIC[True]}
    for level, font, chunk in pieces:
        rtl = level % 2 == 1
        if rtl or font in arabic or any(unicodedata.combining(ch) for ch in chunk):
            shaped = _shape(font, chunk, rtl)
            width = sum(d.x_advance for d in shaped.__shapeData__) / 1000
            runs.append(_Run(font, shaped, width))
        else:
            runs.append(_Run(font, chunk, pdfmetrics.stringWidth(chunk, font, 1000) / 1000))
    return _Line(tuple(runs), sum(run.width for run in runs))


@dataclass(frozen=True)
class _Fonts:
    """The CJK fonts built for one document: ((variant, bold), registered name) pairs."""

    cjk: tuple[tuple[tuple[str, bool], str], ...]

    def line(self, text: str, bold: bool) -> _Line:
        cjk = None
        if any(_is_cjk(ord(ch)) for ch in text):
            cjk = dict(self.cjk).get((_cjk_variant(text), bold))
        return _line(text, bold, cjk)


# --- fitting text into boxes -----------------------------------------------------------------

LEADING = 1.18  # line height / font size
BASELINE = 0.9  # the baseline's distance below the top of its line box, in ems


@dataclass(frozen=True)
class _Block:
    lines: tuple[_Line, ...]
    size: float  # pt

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING

    def scaled(self, factor: float) -> _Block:
        return replace(self, size=self.size * factor)


def _cuts(n: int, parts: int) -> Iterable[tuple[int, ...]]:
    """Every way of cutting n words into ``parts`` non-empty lines, as (0, cut, ..., n)."""
    for cuts in combinations(range(1, n), parts - 1):
        yield (0, *cuts, n)


@lru_cache(maxsize=16384)
def _fit(fonts: _Fonts, text: str, bold: bool, width: float, height: float, max_size: float, max_lines: int) -> _Block:
    """The largest size (up to max_size) at which text fits width × height (pt) on up to max_lines lines.

    Lines break at spaces only, and as evenly as the words allow; a further line is taken only
    when it allows a clearly larger size. There is no smallest size: text always fits.
    """
    text = clean_text(text)
    if not text:
        return _Block((), max_size)
    words = text.split(" ")
    widths = [fonts.line(word, bold).width for word in words]
    space = pdfmetrics.stringWidth(" ", _SANS[bold], 1)

    def widest(cuts: tuple[int, ...]) -> float:
        return max(sum(widths[a:b]) + space * (b - a - 1) for a, b in pairwise(cuts))

    best: _Block | None = None
    for parts in range(1, min(max_lines, len(words)) + 1):
        cuts = min(_cuts(len(words), parts), key=widest)
        lines = tuple(fonts.line(" ".join(words[a:b]), bold) for a, b in pairwise(cuts))
        line_width = max(line.width for line in lines)
        size = min(max_size, width / line_width if line_width else max_size, height / (parts * LEADING))
        if best is None or size > best.size * 1.12:
            best = _Block(lines, size)
    assert best is not None
    return best


# --- layouts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    x: float  # mm from the badge's left edge
    y: float  # mm from the badge's top edge
    w: float
    h: float

    def scaled(self, s: float) -> _Box:
        return _Box(self.x * s, self.y * s, self.w * s, self.h * s)


@dataclass(frozen=True)
class _Layout:
    w: float  # mm
    h: float
    event: _Box
    event_size: float  # largest font size, pt
    dates: _Box
    dates_size: float
    photo: _Box
    qr: _Box  # square
    number: _Box
    number_size: float
    names: _Box
    honorific_size: float
    name_size: float  # one name alone
    native_size: float  # the native name above the Latin one
    latin_size: float  # the Latin name below the native one
    org: _Box
    org_size: float
    band_top: float
    label_size: float
    validity_size: float
    rule: float  # line width of frames, pt

    def scaled(self, s: float, w: float, h: float) -> _Layout:
        """The same badge s times as large, on a w × h mm badge (the band takes any extra height)."""
        changes: dict[str, Any] = {"w": w, "h": h, "band_top": self.band_top * s}
        for key, value in self.__dict__.items():
            if isinstance(value, _Box):
                changes[key] = value.scaled(s)
            elif key.endswith("_size") or key == "rule":
                changes[key] = value * s
        return replace(self, **changes)


# ID-1, portrait 54 × 85.6 mm: 8 mm free at the top for the slot punch; photo and QR side by side.
_ID1 = _Layout(
    w=54,
    h=85.6,
    event=_Box(3.5, 8.6, 47, 5.0),
    event_size=7.5,
    dates=_Box(3.5, 13.7, 47, 2.7),
    dates_size=6,
    photo=_Box(4, 18, 21, 27),
    qr=_Box(29, 18, 21, 21),
    number=_Box(27.5, 39.8, 24, 5.2),
    number_size=13,
    names=_Box(3.5, 46.2, 47, 16.3),
    honorific_size=7,
    name_size=15,
    native_size=14,
    latin_size=11,
    org=_Box(3.5, 62.6, 47, 9.2),
    org_size=7,
    band_top=72.6,
    label_size=17,
    validity_size=6,
    rule=0.35,
)

# A6 portrait 105 × 148 mm: 10 mm free at the top.
_A6 = _Layout(
    w=105,
    h=148,
    event=_Box(8, 11, 89, 9.6),
    event_size=13,
    dates=_Box(8, 20.8, 89, 4.4),
    dates_size=9.5,
    photo=_Box(9, 29, 36, 46.3),
    qr=_Box(57, 29, 38, 38),
    number=_Box(52, 68, 48, 8.2),
    number_size=24,
    names=_Box(8, 79.5, 89, 27.5),
    honorific_size=12,
    name_size=30,
    native_size=28,
    latin_size=20,
    org=_Box(8, 107.5, 89, 15.5),
    org_size=11,
    band_top=124,
    label_size=30,
    validity_size=9,
    rule=0.5,
)

A4_W, A4_H = 210.0, 297.0
SHEET_BADGE_W, SHEET_BADGE_H = 95.0, 135.0
SHEET_GUTTER = 4.0  # between badges; the colour band bleeds 2 mm into it
SHEET_BLEED = 2.0
MARK_OFFSET = 3.0  # cut marks start this far outside the badges (beyond the bleed)
_SHEET = _A6.scaled(SHEET_BADGE_W / _A6.w, SHEET_BADGE_W, SHEET_BADGE_H)


# --- drawing ---------------------------------------------------------------------------------

INK = (0.1, 0.1, 0.12)
GREY = (0.33, 0.35, 0.38)
LIGHT = (0.87, 0.88, 0.9)
SILHOUETTE = (0.72, 0.74, 0.77)


def _rgb(colour: str, number: str) -> tuple[float, float, float]:
    value = colour.strip().lstrip("#")
    if len(value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise BadgeRenderError(f"Badge {number}: the category colour {colour!r} is not of the form #rrggbb.")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour_on(background: tuple[float, float, float]) -> tuple[float, float, float]:
    """White or near-black, whichever contrasts more with the background (WCAG contrast ratio)."""
    lum = _luminance(background)
    on_white = 1.05 / (lum + 0.05)
    on_ink = (lum + 0.05) / (_luminance(INK) + 0.05)
    return (1.0, 1.0, 1.0) if on_white >= on_ink else INK


class _Page:
    """Draws one badge whose top-left corner is at (x0, y0) mm from the page's top-left."""

    def __init__(self, canvas: Canvas, page_h: float, x0: float, y0: float) -> None:
        self.c = canvas
        self.page_h = page_h
        self.x0 = x0
        self.y0 = y0

    def x(self, x_mm: float) -> float:
        return (self.x0 + x_mm) * mm

    def y(self, y_mm: float) -> float:
        """PDF y (from the bottom) of a point y_mm below the badge's top."""
        return (self.page_h - self.y0 - y_mm) * mm

    def block(self, block: _Block, box: _Box, colour: tuple[float, float, float], top: float | None = None) -> None:
        """Draw lines centred in the box's width, from ``top`` (pt below the box top; default: centred)."""
        if not block.lines:
            return
        self.c.setFillColorRGB(*colour)
        offset = (box.h * mm - block.height) / 2 if top is None else top
        for i, line in enumerate(block.lines):
            baseline = self.y(box.y) - offset - (i * LEADING + BASELINE) * block.size
            x = self.x(box.x) + (box.w * mm - line.width * block.size) / 2
            for run in line.runs:
                self.c.setFont(run.font, block.size)
                self.c.drawString(x, baseline, run.text)
                x += run.width * block.size


def _qr(page: _Page, text: str, box: _Box) -> None:
    """The QR code as one filled path of rectangles, one per horizontal run of dark modules."""
    size, runs = _qr_runs(text)
    module = box.w * mm / size
    # One module is one unit: y grows downwards from the symbol's top-left corner.
    left, top = page.x(box.x), page.y(box.y)
    page.c.addLiteral(f"q 0 0 0 rg {module:.5f} 0 0 {-module:.5f} {left:.3f} {top:.3f} cm\n{runs}\nf Q")


_DARK = re.compile(rb"\x01+")


@lru_cache(maxsize=4096)
def _qr_runs(text: str) -> tuple[int, str]:
    """The QR code's size in modules and its dark runs as PDF rectangles in module units."""
    matrix = qr_matrix(text)
    ops = [f"{m.start()} {r} {m.end() - m.start()} 1 re" for r, row in enumerate(matrix) for m in _DARK.finditer(row)]
    return len(matrix), "\n".join(ops)


def qr_matrix(text: str) -> tuple[bytes, ...]:
    """The QR code of ``text`` (error correction Q), one bytes row of 0/1 per module row.

    segno encodes it; the data mask is the one of the eight with the lowest penalty under the
    rules of ISO/IEC 18004 (7.8.3). segno's own evaluation of the eight masks takes about 10 ms
    per code in Python, most of the time of a batch of badges; here segno builds the symbol
    once, with mask 0, and each other mask is that symbol XOR a difference that depends only on
    the version and the mask (the mask pattern over the data modules, and the format
    information), taken from segno once per version. The result is exactly segno's symbol with
    that mask (the tests check it).
    """
    code = segno.make(text, error=QR_ERROR, mask=0, micro=False, boost_error=False)
    matrix = [bytes(row) for row in code.matrix]
    n = len(matrix)
    rows0 = [int.from_bytes(row, "big") for row in matrix]
    cols0 = [int.from_bytes(bytes(col), "big") for col in zip(*matrix, strict=True)]
    best: tuple[int, list[int]] | None = None
    for row_delta, col_delta in _qr_mask_deltas(code.version):
        rows = [line ^ d for line, d in zip(rows0, row_delta, strict=True)]
        cols = [line ^ d for line, d in zip(cols0, col_delta, strict=True)]
        score = _qr_penalty(rows, cols, n)
        if best is None or score < best[0]:
            best = (score, rows)
    assert best is not None
    return tuple(row.to_bytes(n, "big") for row in best[1])


@cache
def _qr_mask_deltas(version: int) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """For masks 0-7: the rows and the columns (a byte per module) to XOR onto the mask-0 symbol."""
    symbols = [
        [bytes(row) for row in segno.make("0", version=version, error=QR_ERROR, mask=k, micro=False).matrix]
        for k in range(8)
    ]
    deltas = []
    for symbol in symbols:
        diff = [bytes(a ^ b for a, b in zip(r0, r, strict=True)) for r0, r in zip(symbols[0], symbol, strict=True)]
        rows = tuple(int.from_bytes(row, "big") for row in diff)
        cols = tuple(int.from_bytes(bytes(col), "big") for col in zip(*diff, strict=True))
        deltas.append((rows, cols))
    return tuple(deltas)


_N1 = re.compile(rb"\x00{5,}|\x01{5,}")
_N3_CORE = b"\x01\x00\x01\x01\x01\x00\x01"  # dark:light:dark:dark:dark:light:dark
_LIGHT4 = b"\x00" * 4


def _qr_penalty(rows: list[int], cols: list[int], n: int) -> int:
    """ISO/IEC 18004 penalty (N1 runs, N2 blocks, N3 finder-like patterns, N4 balance) of a symbol."""
    lines = [line.to_bytes(n, "big") for line in rows + cols]
    runs = _N1.findall(b"\x02".join(lines))
    score = sum(map(len, runs)) - 2 * len(runs)  # 3 + (length - 5) for each run of 5 or more
    padded = _LIGHT4 + (_LIGHT4 + b"\x02" + _LIGHT4).join(lines) + _LIGHT4  # outside is light
    at = padded.find(_N3_CORE)
    while at != -1:  # a finder-like pattern with 4 light modules on one side (or both)
        if padded[at - 4 : at] == _LIGHT4 or padded[at + 7 : at + 11] == _LIGHT4:
            score += 40
        at = padded.find(_N3_CORE, at + 1)
    ones = int.from_bytes(b"\x01" * (n - 1), "big") << 8  # the first n - 1 modules of a row
    for upper, lower in pairwise(rows):
        differs = (upper ^ lower) | ((upper ^ (upper >> 8)) << 8) | ((lower ^ (lower >> 8)) << 8)
        score += 3 * (~differs & ones).bit_count()
    dark = b"".join(lines[:n]).count(1)
    score += 10 * (abs(dark * 20 - n * n * 10) // (n * n))  # 10 per full 5 % away from half dark
    return score


class _Jpeg(ImageReader):  # type: ignore[misc]
    """A JPEG that ReportLab embeds as it is (DCTDecode) and names by its bytes.

    A plain ImageReader decodes the whole picture again only to hash its pixels for the name.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self._data = data
        self._dataA = None  # no transparency (a JPEG)

    def getRGBData(self) -> bytes:  # noqa: N802 (ReportLab's name)
        return self._data


def _photo_jpeg(data: bytes, box: _Box, number: str) -> bytes:
    """The photo cropped to the frame and scaled to its printed size at 300 dpi, as a plain JPEG."""
    target = (round(box.w / 25.4 * PHOTO_DPI), round(box.h / 25.4 * PHOTO_DPI))
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", target)  # JPEG: decode at a reduced scale when much larger
            image: Image.Image = opened
            if opened.getexif().get(0x0112, 1) != 1:  # rotated by its EXIF orientation
                image = ImageOps.exif_transpose(opened)
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, (255, 255, 255))
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            elif image.mode != "RGB":
                image = image.convert("RGB")
            # Crop to the frame's proportions (a little above the centre: faces), then scale down.
            aspect = target[0] / target[1]
            w, h = image.size
            if w / h > aspect:
                crop_w = round(h * aspect)
                left = (w - crop_w) // 2
                image = image.crop((left, 0, left + crop_w, h))
            elif w / h < aspect:
                crop_h = round(w / aspect)
                top = round((h - crop_h) * 0.4)
                image = image.crop((0, top, w, top + crop_h))
            if image.width > target[0]:
                image = image.resize(target, Image.Resampling.BICUBIC)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88, optimize=False, progressive=False)  # no EXIF, no GPS
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise BadgeRenderError(f"Badge {number}: the photo cannot be read ({exc}).") from exc


def _silhouette(page: _Page, box: _Box) -> None:
    c = page.c
    x, y, w, h = page.x(box.x), page.y(box.y + box.h), box.w * mm, box.h * mm
    c.saveState()
    c.setFillColorRGB(*LIGHT)
    c.rect(x, y, w, h, stroke=0, fill=1)
    clip = c.beginPath()
    clip.rect(x, y, w, h)
    c.clipPath(clip, stroke=0, fill=0)
    c.setFillColorRGB(*SILHOUETTE)
    c.circle(x + w / 2, y + h * 0.6, w * 0.2, stroke=0, fill=1)
    c.ellipse(x + w * 0.12, y - h * 0.22, x + w * 0.88, y + h * 0.42, stroke=0, fill=1)
    c.restoreState()


def _validity(face: BadgeFace) -> str:
    start, end = face.valid_from, face.valid_until
    if start is None and end is None:
        return ""
    with translation.override(face.language):
        if start is not None and end is not None:
            if start == end:
                return gettext("Valid on %(date)s") % {"date": formats.date_format(start)}
            return gettext("Valid %(start)s – %(end)s") % {
                "start": formats.date_format(start),
                "end": formats.date_format(end),
            }
        if start is not None:
            return gettext("Valid from %(date)s") % {"date": formats.date_format(start)}
        assert end is not None
        return gettext("Valid until %(date)s") % {"date": formats.date_format(end)}


def _same_name(a: str, b: str) -> bool:
    return clean_text(a).casefold() == clean_text(b).casefold()


def _texts(face: BadgeFace) -> list[tuple[str, bool]]:
    """Every text a badge prints, with its weight (for building the CJK fonts beforehand)."""
    return [
        (face.event_name, True),
        (face.event_dates, False),
        (face.number, True),
        (face.honorific, False),
        (face.name_native, True),
        (face.name_latin, True),
        (face.organisation, False),
        (face.country, True),
        (face.category_label.upper(), True),
        (_validity(face), False),
    ]


def _draw_badge(
    page: _Page, face: BadgeFace, layout: _Layout, fonts: _Fonts, photo: bytes | None, bleed: float
) -> None:
    c = page.c
    L = layout

    def fit(text: str, bold: bool, box: _Box, size: float, lines: int, height: float | None = None) -> _Block:
        return _fit(fonts, text, bold, box.w * mm, (box.h if height is None else height) * mm, size, lines)

    # Event name and dates under the lanyard slot.
    page.block(fit(face.event_name, True, L.event, L.event_size, 2), L.event, INK)
    page.block(fit(face.event_dates, False, L.dates, L.dates_size, 1), L.dates, GREY)

    # Photo (or silhouette) in a thin frame.
    if photo is not None:
        c.drawImage(
            _Jpeg(photo),
            page.x(L.photo.x),
            page.y(L.photo.y + L.photo.h),
            L.photo.w * mm,
            L.photo.h * mm,
        )
    else:
        _silhouette(page, L.photo)
    c.setStrokeColorRGB(*GREY)
    c.setLineWidth(L.rule)
    c.rect(page.x(L.photo.x), page.y(L.photo.y + L.photo.h), L.photo.w * mm, L.photo.h * mm, stroke=1, fill=0)

    # QR code and the badge number in large digits under it.
    _qr(page, face.qr_text, L.qr)
    page.block(fit(face.number, True, L.number, L.number_size, 1), L.number, INK)

    # Honorific, the name in its own script (when it differs) and in Latin letters.
    native = face.name_native if face.name_native and not _same_name(face.name_native, face.name_latin) else ""
    names_h = L.names.h
    parts: list[tuple[_Block, tuple[float, float, float]]] = []
    if face.honorific:
        parts.append((fit(face.honorific, False, L.names, L.honorific_size, 1, names_h * 0.2), GREY))
    if native:
        parts.append((fit(native, True, L.names, L.native_size, 2, names_h * 0.45), INK))
        parts.append((fit(face.name_latin, True, L.names, L.latin_size, 2, names_h * 0.35), INK))
    else:
        parts.append((fit(face.name_latin, True, L.names, L.name_size, 2, names_h * 0.75), INK))
    gap = 0.6 * mm * L.w / _ID1.w  # between the name lines
    total = sum(b.height for b, _ in parts) + gap * (len(parts) - 1)
    if total > names_h * mm:
        factor = names_h * mm / total
        parts = [(b.scaled(factor), colour) for b, colour in parts]
        gap *= factor
        total = names_h * mm
    top = (names_h * mm - total) / 2
    for block, colour in parts:
        page.block(block, L.names, colour, top=top)
        top += block.height + gap

    # Organisation (up to two lines) and country.
    country = fit(face.country, True, L.org, L.org_size, 1, L.org_size * LEADING / mm)
    org = fit(face.organisation, False, L.org, L.org_size, 3, L.org.h - country.height / mm)
    org_total = org.height + country.height
    if org_total > L.org.h * mm:  # only when the country name alone is too long for one line
        factor = L.org.h * mm / org_total
        org, country, org_total = org.scaled(factor), country.scaled(factor), L.org.h * mm
    top = (L.org.h * mm - org_total) / 2
    page.block(org, L.org, GREY, top=top)
    page.block(country, L.org, INK, top=top + org.height)

    # The category band, to the badge's bottom edge (and into the bleed on sheets).
    background = _rgb(face.category_colour, face.number)
    c.setFillColorRGB(*background)
    c.rect(
        page.x(-bleed),
        page.y(L.h + bleed),
        (L.w + 2 * bleed) * mm,
        (L.h - L.band_top + bleed) * mm,
        stroke=0,
        fill=1,
    )
    ink = text_colour_on(background)
    band_h = L.h - L.band_top
    validity = _validity(face)
    pad = band_h * 0.14
    inner = _Box(L.org.x, L.band_top + pad, L.org.w, band_h - 2 * pad)
    label = fit(face.category_label.upper(), True, inner, L.label_size, 1, inner.h * (0.72 if validity else 1))
    note = fit(validity, False, inner, L.validity_size, 1, inner.h * 0.28) if validity else _Block((), 0)
    band_total = label.height + note.height
    top = (inner.h * mm - band_total) / 2
    page.block(label, inner, ink, top=top)
    page.block(note, inner, ink, top=top + label.height)


def _cut_marks(c: Canvas, columns: int, rows: int, x0: float, y0: float) -> None:
    """Marks in the sheet's margins on every cut line (all cuts run across the whole sheet)."""
    xs = sorted({x0 + col * (SHEET_BADGE_W + SHEET_GUTTER) + dx for col in range(columns) for dx in (0, SHEET_BADGE_W)})
    ys = sorted({y0 + row * (SHEET_BADGE_H + SHEET_GUTTER) + dy for row in range(rows) for dy in (0, SHEET_BADGE_H)})
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.25)

    def seg(x1: float, y1: float, x2: float, y2: float) -> None:
        c.line(x1 * mm, (A4_H - y1) * mm, x2 * mm, (A4_H - y2) * mm)

    for x in xs:
        seg(x, top - MARK_OFFSET, x, max(1.5, top - MARK_OFFSET - 5))
        seg(x, bottom + MARK_OFFSET, x, min(A4_H - 1.5, bottom + MARK_OFFSET + 5))
    for y in ys:
        seg(left - MARK_OFFSET, y, max(1.5, left - MARK_OFFSET - 5), y)
        seg(right + MARK_OFFSET, y, min(A4_W - 1.5, right + MARK_OFFSET + 5), y)


def _prepare_fonts(faces: Sequence[BadgeFace]) -> _Fonts:
    """Build the CJK fonts this document needs (one per variant and weight)."""
    wanted: dict[tuple[str, bool], set[str]] = {}
    installed = cjk_font_paths() is not None
    for face in faces:
        for text, bold in _texts(face):
            text = clean_text(text)
            cjk = {ch for ch in text if _is_cjk(ord(ch))}
            if cjk:
                if not installed:
                    raise MissingFontError(
                        f"Badge {face.number}: {text} needs the Noto Sans CJK fonts, which are not installed: "
                        f"{CJK_PACKAGE_HINT}."
                    )
                wanted.setdefault((_cjk_variant(text), bold), set()).update(cjk)
    return _Fonts(tuple((key, _cjk_font(frozenset(chars), key[1], key[0])) for key, chars in sorted(wanted.items())))


def render_badges(
    faces: Sequence[BadgeFace],
    fmt: BadgeFormat,
    *,
    title: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The badges of ``faces``, in order, as one PDF in the given format.

    ``progress(done, total)`` is called after each badge. Raises ``BadgeRenderError`` (naming the
    badge) for a face that cannot be printed: a character no font has, an unreadable photo, a
    colour that is not #rrggbb; ``MissingFontError`` when CJK text needs fonts-noto-cjk.
    """
    if not faces:
        raise BadgeRenderError("There are no badges to print.")
    fmt = BadgeFormat(fmt)
    _base_fonts()
    fonts = _prepare_fonts(faces)
    with _binary_streams():
        return _render(faces, fmt, fonts, title, progress)


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Streams (photos, pages, fonts) written as binary, not ASCII85: a quarter smaller and faster.

    ReportLab reads this from its global configuration; badges are rendered one at a time (the lock)
    and the setting is restored afterwards.
    """
    with _lock:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


def _render(
    faces: Sequence[BadgeFace],
    fmt: BadgeFormat,
    fonts: _Fonts,
    title: str,
    progress: Callable[[int, int], None] | None,
) -> bytes:
    if fmt is BadgeFormat.ID1:
        layout, page_w, page_h, per_page = _ID1, _ID1.w, _ID1.h, 1
    elif fmt is BadgeFormat.A6:
        layout, page_w, page_h, per_page = _A6, _A6.w, _A6.h, 1
    else:
        layout, page_w, page_h, per_page = _SHEET, A4_W, A4_H, 4
    languages = {face.language for face in faces}
    out = io.BytesIO()
    c = Canvas(
        out,
        pagesize=(page_w * mm, page_h * mm),
        invariant=1,
        pageCompression=1,
        initialFontName=_SANS[False],
        initialFontSize=10,
        lang=languages.pop() if len(languages) == 1 else None,
    )
    c.setTitle(title)
    c.setAuthor("Majlis")
    c.setCreator("Majlis")
    c.setSubject(title)
    columns, rows = 2, 2
    grid_x = (A4_W - columns * SHEET_BADGE_W - (columns - 1) * SHEET_GUTTER) / 2
    grid_y = (A4_H - rows * SHEET_BADGE_H - (rows - 1) * SHEET_GUTTER) / 2
    photos: dict[bytes, bytes] = {}
    total = len(faces)
    for index, face in enumerate(faces):
        slot = index % per_page
        if slot == 0 and index:
            c.showPage()
        if per_page == 1:
            page = _Page(c, page_h, 0, 0)
            bleed = 0.0
        else:
            col, row = slot % columns, slot // columns
            page = _Page(
                c,
                page_h,
                grid_x + col * (SHEET_BADGE_W + SHEET_GUTTER),
                grid_y + row * (SHEET_BADGE_H + SHEET_GUTTER),
            )
            bleed = SHEET_BLEED
        photo = None
        if face.photo is not None:
            key = hashlib.sha256(face.photo).digest()
            if key not in photos:
                photos[key] = _photo_jpeg(face.photo, layout.photo, face.number)
            photo = photos[key]
        try:
            _draw_badge(page, face, layout, fonts, photo, bleed)
        except BadgeRenderError as exc:
            if str(exc).startswith("Badge "):
                raise
            raise BadgeRenderError(f"Badge {face.number}: {exc}.") from exc
        if per_page > 1 and (slot == per_page - 1 or index == total - 1):
            _cut_marks(c, columns, rows, grid_x, grid_y)
        if progress is not None:
            progress(index + 1, total)
    c.showPage()
    c.save()
    return out.getvalue()
