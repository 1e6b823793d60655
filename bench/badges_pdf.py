#!/usr/bin/env python3
"""Badge PDF benchmark: how long 600 badges take to render, and how large the PDF is, per format.

It builds 600 synthetic badge faces (a distinct ~20 KB JPEG photo each, one in twenty without a
photo; names in Latin with Uzbek oʻ gʻ, Cyrillic, Chinese and Arabic; organisations up to 120
characters; five categories), then renders them with ``majlis.badges.pdf.render_badges`` in each
format, in one process on one core: first cold (fonts registered, CJK font built, the way a fresh
worker meets its first batch), then warm. Nothing touches a database; Django's settings are loaded
for gettext, with ``MAJLIS_VAR_DIR`` in a throwaway folder.

Run from the repository root: ``.venv/bin/python bench/badges_pdf.py`` (``--count N``, ``--keep DIR``
to keep the PDFs).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

LATIN = [
    ("Aziz", "KAMILOV"),
    ("Oʻgʻiloy", "GʻANIYEVA"),
    ("Shoʼira", "TOʻXTAYEVA"),
    ("Maria", "GONZÁLEZ"),
    ("Jean-Pierre", "DUBOIS"),
    ("Abdulaziz Khafizovich", "KAMILOV-RAKHMONBERDIYEV"),
]
CYRILLIC = [("Ivan", "PETROV", "Иван Петров"), ("Nursultan", "ABDRAKHMANOV", "Нурсултан Абдрахманов")]
CHINESE = [("Zhang", "MING", "张明"), ("Li", "XIAOLONG", "李小龙"), ("Wang", "JIANGUO", "王建国")]
ARABIC = [("Mohammed", "BIN SALMAN", "محمد بن سلمان"), ("Fatima", "AL-ZAHRA", "فاطمة الزهراء")]
ORGANISATIONS = [
    "Ministry of Foreign Affairs of the Republic of Uzbekistan",
    "Министерство иностранных дел Российской Федерации",
    "International Organisation for the Coordination of Intergovernmental Cooperation in Central Asian Affairs",
    "Press",
    "Oʻzbekiston Respublikasi Tashqi ishlar vazirligi",
]
CATEGORIES = [
    ("Delegate", "#1f6f43"),
    ("Head of Delegation", "#8b1e3f"),
    ("Press", "#f2c200"),
    ("Staff", "#0b3d91"),
    ("Security", "#111111"),
]


def photo(rnd: random.Random) -> bytes:
    """A distinct JPEG of about 20 KB (a passport-like 3:4 picture with some texture)."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.effect_noise((300, 400), 40).convert("RGB")
    tint = Image.new("RGB", image.size, tuple(rnd.randint(90, 220) for _ in range(3)))
    image = Image.blend(image, tint, 0.5).filter(ImageFilter.GaussianBlur(0.7))
    draw = ImageDraw.Draw(image)
    skin = tuple(rnd.randint(140, 230) for _ in range(3))
    draw.ellipse((95, 70, 205, 210), fill=skin)
    draw.rectangle((45, 240, 255, 400), fill=tuple(rnd.randint(20, 90) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def faces(count: int) -> list:
    from majlis.badges.faces import BadgeFace

    rnd = random.Random(2022)
    result = []
    for i in range(count):
        kind = i % 10
        honorific = "H.E." if i % 7 == 0 else ""
        if kind in (0, 1):
            given, family, native = rnd.choice(CYRILLIC)
        elif kind == 2:
            given, family, native = rnd.choice(CHINESE)
        elif kind == 3:
            given, family, native = rnd.choice(ARABIC)
        else:
            given, family = rnd.choice(LATIN)
            native = ""
        label, colour = CATEGORIES[i % len(CATEGORIES)]
        result.append(
            BadgeFace(
                number=f"T22-{i + 1:04d}",
                qr_text="".join(
                    rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(116)
                ),
                honorific=honorific,
                name_latin=f"{given} {family}",
                name_native=native,
                organisation=ORGANISATIONS[i % len(ORGANISATIONS)],
                country=["Uzbekistan", "Россия", "China", "Saudi Arabia", "Oʻzbekiston"][i % 5],
                category_label=label,
                category_colour=colour,
                event_name="Tashkent International Investment Forum",
                event_dates="3–4 March 2022",
                photo=None if i % 20 == 19 else photo(rnd),
                language=["en", "ru", "uz"][i % 3],
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="write the PDFs into this folder")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="majlis-bench-badges-")
    os.environ["MAJLIS_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "majlis.settings")
    try:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
        import django

        django.setup()
        from majlis.badges.pdf import BadgeFormat, render_badges
        from majlis.badges.pdf import _qr_runs as qr_cache

        cache_clear = qr_cache.cache_clear

        started = time.perf_counter()
        batch = faces(args.count)
        photos = [f.photo for f in batch if f.photo]
        print(
            f"{len(batch)} faces built in {time.perf_counter() - started:.2f} s; "
            f"{len(photos)} photos, {sum(map(len, photos)) / len(photos) / 1024:.1f} KB each on average"
        )
        from majlis.badges.pdf import _SHEET, _photo_jpeg, qr_matrix

        cpu = time.process_time()
        for face in batch:
            qr_matrix(face.qr_text)
        qr_cpu = time.process_time() - cpu
        cpu = time.process_time()
        for face in batch:
            if face.photo:
                _photo_jpeg(face.photo, _SHEET.photo, face.number)
        photo_cpu = time.process_time() - cpu
        print(f"parts, CPU s: {len(batch)} QR codes {qr_cpu:.2f}; {len(photos)} photos to 300 dpi {photo_cpu:.2f}")
        if hasattr(os, "getloadavg"):
            print(f"load average before: {os.getloadavg()[0]:.1f} (CPU seconds are the fair figure on a busy machine)")
        print(f"{'format':<8} {'run':<5} {'CPU s':>7} {'wall s':>7} {'pages':>6} {'PDF MB':>8} {'KB/badge':>9}")
        for fmt in (BadgeFormat.A4_SHEET, BadgeFormat.ID1, BadgeFormat.A6):
            for run in ("cold", "warm") if fmt is BadgeFormat.A4_SHEET else ("warm",):
                if run == "warm":
                    cache_clear()  # QR codes are cached per text: measure their encoding every time
                started, cpu = time.perf_counter(), time.process_time()
                pdf = render_badges(batch, fmt, title="Benchmark badges")
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
                print(
                    f"{fmt.value:<8} {run:<5} {cpu:>7.2f} {seconds:>7.2f} {pages:>6} {len(pdf) / 1e6:>8.2f} "
                    f"{len(pdf) / len(batch) / 1024:>9.1f}"
                )
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"badges-{fmt.value}.pdf").write_bytes(pdf)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
