"""Badge PDFs, read back with poppler (pdfinfo, pdftotext, pdffonts, pdfimages, pdftoppm) and zxing-cpp.

Faces are built directly: no database. Chinese needs Noto Sans CJK (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import string
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import segno
from PIL import Image, ImageDraw

from majlis.badges import pdf
from majlis.badges.faces import BadgeFace
from majlis.badges.pdf import BadgeFormat, BadgeRenderError, MissingFontError, render_badges
from tests.conftest import require

POPPLER = ("pdfinfo", "pdftotext", "pdffonts", "pdfimages", "pdftoppm")
MM = 72 / 25.4
ARABIC = "محمد بن سلمان"
LONG_NAME = "Abdulaziz Khafizovich Kamilov-Rakhmonberdiyev"
LONG_ORG = (
    "International Organisation for the Coordination of Intergovernmental Cooperation "
    "in Central Asian Affairs and Development"
)


@pytest.fixture(autouse=True)
def _tools():
    for tool in POPPLER:
        require(shutil.which(tool) is not None, f"{tool} (Debian package poppler-utils)")
    require(pdf.cjk_font_paths() is not None, "Noto Sans CJK (Debian package fonts-noto-cjk)")


def token(seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_letters + string.digits + "-_") for _ in range(116))


def photo(seed: int, size: tuple[int, int] = (300, 400)) -> bytes:
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randint(120, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.55), fill=(200, 160, 130))
    draw.rectangle((w * 0.15, h * 0.6, w * 0.85, h), fill=(40, 50, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def face(number: str, **changes) -> BadgeFace:
    base = BadgeFace(
        number=number,
        qr_text=token(int(number[-4:])),
        honorific="H.E.",
        name_latin="Aziz KAMILOV",
        name_native="",
        organisation="Ministry of Foreign Affairs of the Republic of Uzbekistan",
        country="Uzbekistan",
        category_label="Delegate",
        category_colour="#1f6f43",
        event_name="Tashkent International Investment Forum",
        event_dates="3–4 March 2022",
        photo=photo(int(number[-4:])),
    )
    return replace(base, **changes)


FACES = [
    face("T22-0001", name_latin="Oʻgʻiloy GʻANIYEVA", organisation="Oʻzbekiston Respublikasi Tashqi ishlar vazirligi"),
    face(
        "T22-0002",
        honorific="Его Превосходительство",
        name_latin="Ivan PETROV",
        name_native="Иван Петров",
        country="Россия",
        category_label="Head of Delegation",
        category_colour="#8b1e3f",
        photo=None,
        language="ru",
    ),
    face("T22-0003", name_latin="Zhang MING", name_native="张明", country="China", category_label="Press"),
    face(
        "T22-0004",
        name_latin="Mohammed BIN SALMAN",
        name_native=ARABIC,
        category_colour="#f2c200",
        valid_from=date(2022, 3, 3),
        valid_until=date(2022, 3, 3),
    ),
    face("T22-0005", honorific="His Excellency Mr.", name_latin=LONG_NAME, organisation=LONG_ORG),
]

PAGE_SIZES = {  # points
    BadgeFormat.ID1: (54 * MM, 85.6 * MM),
    BadgeFormat.A6: (105 * MM, 148 * MM),
    BadgeFormat.A4_SHEET: (210 * MM, 297 * MM),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[BadgeFormat, Path]:
    folder = tmp_path_factory.mktemp("badges")
    paths = {}
    for fmt in BadgeFormat:
        path = folder / f"{fmt.value}.pdf"
        path.write_bytes(render_badges(FACES, fmt, title="Badges"))
        paths[fmt] = path
    return paths


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def text_of(path: Path, *options: str) -> str:
    return run("pdftotext", *options, path, "-")


@pytest.mark.parametrize("fmt", list(BadgeFormat))
def test_pages_and_page_size(rendered, fmt):
    info = run("pdfinfo", rendered[fmt])
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages == (2 if fmt is BadgeFormat.A4_SHEET else len(FACES))
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    assert width == pytest.approx(PAGE_SIZES[fmt][0], abs=0.05)
    assert height == pytest.approx(PAGE_SIZES[fmt][1], abs=0.05)
    assert re.search(r"^Title:\s+Badges$", info, re.M)


@pytest.mark.parametrize("fmt", list(BadgeFormat))
def test_every_text_can_be_found(rendered, fmt):
    text = " ".join(text_of(rendered[fmt]).split())
    for expected in (
        "Иван Петров",
        "Ivan PETROV",
        "张明",
        "Oʻgʻiloy GʻANIYEVA",
        "Его Превосходительство",
        "T22-0001",
        "T22-0005",
        "DELEGATE",
        "HEAD OF DELEGATION",
        "PRESS",
        "Tashkent International Investment Forum",
        "3–4 March 2022",
        "Valid on March 3, 2022",
    ):
        assert expected in text, expected
    assert "\u02bb" in text  # the Uzbek turned comma, not an apostrophe look-alike


@pytest.mark.parametrize("fmt", list(BadgeFormat))
def test_every_font_is_embedded_and_subset(rendered, fmt):
    rows = run("pdffonts", rendered[fmt]).splitlines()[2:]
    assert len(rows) >= 4  # Noto Sans regular and bold, Noto Sans Arabic, Noto Sans CJK
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.fullmatch(r"[A-Z]{6}\+\S+", name), row
    assert any("NotoSansCJKSC" in row for row in rows)
    assert any("NotoSansArabic" in row for row in rows)


def test_every_qr_code_of_an_a4_sheet_decodes_at_300_dpi(rendered, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    run("pdftoppm", "-r", "300", "-png", rendered[BadgeFormat.A4_SHEET], tmp_path / "page")
    decoded = set()
    for png in sorted(tmp_path.glob("page-*.png")):
        with Image.open(png) as image:
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        texts = [barcode.text for barcode in found]
        assert len(texts) == len(set(texts))
        decoded.update(texts)
    assert decoded == {f.qr_text for f in FACES}


def test_qr_code_of_an_id1_card_decodes_at_300_dpi(rendered, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    run("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", rendered[BadgeFormat.ID1], tmp_path / "card")
    with Image.open(next(tmp_path.glob("card-*.png"))) as image:
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [barcode.text for barcode in found] == [FACES[0].qr_text]
    assert found[0].ec_level == "Q"


@pytest.mark.parametrize("fmt", [BadgeFormat.ID1, BadgeFormat.A4_SHEET])
def test_arabic_is_shaped_and_right_to_left(rendered, fmt):
    # Unshaped text would come out as the isolated letters in drawing order ("ناملس نب دمحم"),
    # with no contextual (presentation) forms; shaped text gives the joined forms, which poppler
    # puts back into logical order.
    text = text_of(rendered[fmt])
    line = next(line for line in text.splitlines() if any("\u0600" <= ch <= "\u06ff" or ch >= "\ufb50" for ch in line))
    line = line.strip().strip("\u202b\u202c\u200f")
    assert any("\ufb50" <= ch <= "\ufeff" for ch in line), line  # contextual glyph forms
    assert unicodedata.normalize("NFKC", line) == ARABIC


def test_the_arabic_glyphs_differ_from_the_isolated_letters():
    fonts = pdf._prepare_fonts([FACES[3]])
    line = fonts.line(ARABIC, True)
    (run_,) = line.runs
    isolated = {pdf._font(run_.font).face.charToGlyph[ord(ch)] for ch in ARABIC if ch != " "}
    drawn = {pdf._font(run_.font).face.charToGlyph[ord(ch)] for ch in run_.text if ch != " "}
    assert drawn - isolated, "no contextual forms: the Arabic was not shaped"
    # Drawn right to left: the last letter of the name (ن) comes first from the left.
    assert unicodedata.normalize("NFKC", run_.text[0]) == "ن"


def test_long_names_shrink_to_fit_the_card(rendered):
    html = text_of(rendered[BadgeFormat.ID1], "-bbox", "-f", "5", "-l", "5")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    found = " ".join(word for *_, word in words)
    for expected in (*LONG_NAME.split(), *LONG_ORG.split()):
        assert expected in found, expected
    for x_min, y_min, x_max, y_max, word in words:
        assert float(x_min) >= 3 * MM and float(x_max) <= 51 * MM, word
        assert float(y_min) >= 0 and float(y_max) <= 85.6 * MM, word


def test_long_texts_are_measured_with_the_drawn_advances():
    fonts = pdf._prepare_fonts(FACES)
    width = 47 * pdf.mm
    for text in (LONG_NAME, LONG_ORG, "x" * 300, ARABIC * 5, "张明" * 40):
        block = pdf._fit(fonts, text, True, width, 12 * pdf.mm, 15, 2)
        assert block.lines
        assert max(line.width for line in block.lines) * block.size <= width + 1e-6
        assert block.height <= 12 * pdf.mm + 1e-6


@pytest.mark.parametrize("fmt", [BadgeFormat.ID1, BadgeFormat.A6])
def test_the_top_centre_is_left_free_for_the_lanyard(rendered, tmp_path, fmt):
    run("pdftoppm", "-r", "100", "-png", rendered[fmt], tmp_path / "p")
    width_mm = PAGE_SIZES[fmt][0] / MM
    for png in tmp_path.glob("p-*.png"):
        with Image.open(png) as image:
            px = image.width / width_mm
            slot = image.convert("L").crop(
                (int((width_mm / 2 - 12) * px), 0, int((width_mm / 2 + 12) * px), int(8 * px))
            )
            assert slot.getextrema() == (255, 255), png.name


def test_photos_are_scaled_down_to_300_dpi(tmp_path):
    big = face("T22-0042", photo=photo(42, (2400, 3200)))
    path = tmp_path / "big.pdf"
    path.write_bytes(render_badges([big], BadgeFormat.ID1, title="Big"))
    rows = run("pdfimages", "-list", path).splitlines()[2:]
    assert len(rows) == 1
    columns = rows[0].split()
    width, height, encoding = int(columns[3]), int(columns[4]), columns[8]
    assert (width, height) == (round(21 / 25.4 * 300), round(27 / 25.4 * 300))
    assert encoding == "jpeg"


def test_the_same_faces_give_the_same_bytes():
    assert render_badges(FACES, BadgeFormat.A4_SHEET, title="x") == render_badges(
        FACES, BadgeFormat.A4_SHEET, title="x"
    )


def test_progress_is_reported_after_each_badge():
    calls = []
    render_badges(FACES, BadgeFormat.ID1, title="x", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, len(FACES)) for i in range(1, len(FACES) + 1)]


def test_a_character_no_font_has_is_a_clear_error():
    with pytest.raises(BadgeRenderError, match=r"Badge T22-0042: .*न \(U\+0928\)"):
        render_badges([face("T22-0042", name_native="नरेन्द्र")], BadgeFormat.ID1, title="x")
    assert pdf.unsupported_characters("नरेन्द्र मोदी") >= {"न", "र"}
    assert pdf.unsupported_characters("Oʻgʻiloy Иван 张明 محمد") == set()


def test_bad_colours_and_photos_are_clear_errors():
    with pytest.raises(BadgeRenderError, match="Badge T22-0042: the category colour 'green'"):
        render_badges([face("T22-0042", category_colour="green")], BadgeFormat.A6, title="x")
    with pytest.raises(BadgeRenderError, match="Badge T22-0042: the photo cannot be read"):
        render_badges([face("T22-0042", photo=b"not a picture")], BadgeFormat.A6, title="x")
    with pytest.raises(BadgeRenderError, match="no badges"):
        render_badges([], BadgeFormat.A6, title="x")


def test_chinese_without_the_cjk_fonts_names_the_package(monkeypatch):
    monkeypatch.setattr(pdf, "CJK_FONT_DIRS", ())
    with pytest.raises(MissingFontError, match="Badge T22-0003: .*fonts-noto-cjk"):
        render_badges([FACES[2]], BadgeFormat.ID1, title="x")
    assert render_badges([FACES[0]], BadgeFormat.ID1, title="x").startswith(b"%PDF")


def test_band_text_contrasts_with_the_category_colour():
    assert pdf.text_colour_on((0.95, 0.76, 0.0)) == pdf.INK  # yellow: dark text
    assert pdf.text_colour_on((0.04, 0.24, 0.57)) == (1.0, 1.0, 1.0)  # dark blue: white text


def _penalty(symbol: tuple[bytes, ...]) -> int:
    rows = [int.from_bytes(row, "big") for row in symbol]
    cols = [int.from_bytes(bytes(col), "big") for col in zip(*symbol, strict=True)]
    return pdf._qr_penalty(rows, cols, len(symbol))


def test_the_qr_code_is_segnos_with_the_lowest_penalty_mask():
    for seed in range(12):
        text = token(1000 + seed)
        chosen = pdf.qr_matrix(text)
        symbols = [
            tuple(bytes(row) for row in segno.make(text, error="q", mask=k, micro=False, boost_error=False).matrix)
            for k in range(8)
        ]
        assert chosen in symbols
        assert _penalty(chosen) == min(_penalty(symbol) for symbol in symbols)
