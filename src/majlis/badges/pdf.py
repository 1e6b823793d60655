"""TEMPORARY stand-in for the badge PDF renderer (the real one replaces this file).

It honours the agreed interface only: one face per page for ID-1 and A6, eight per A4 sheet.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from enum import StrEnum

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from majlis.core.pdf import register_fonts

from .faces import BadgeFace


class BadgeFormat(StrEnum):
    ID1 = "id1"
    A6 = "a6"
    A4_SHEET = "a4"


ID1 = (85.6 * mm, 54 * mm)


def _draw(pdf: canvas.Canvas, face: BadgeFace, x: float, y: float, width: float, height: float) -> None:
    regular, bold = register_fonts()
    pdf.setFillColor(face.category_colour)
    pdf.rect(x, y, width, 8 * mm, stroke=0, fill=1)
    pdf.setFillColor("#000000")
    top = y + height - 8 * mm
    pdf.setFont(bold, 9)
    pdf.drawString(x + 4 * mm, top, face.name_latin)
    pdf.setFont(regular, 8)
    lines = [face.name_native, face.organisation, face.category_label, face.number, face.event_name]
    for offset, line in enumerate(line for line in lines if line):
        pdf.drawString(x + 4 * mm, top - (offset + 1) * 4 * mm, line)


def render_badges(
    faces: Sequence[BadgeFace],
    fmt: BadgeFormat,
    *,
    title: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    size = {BadgeFormat.ID1: ID1, BadgeFormat.A6: A6, BadgeFormat.A4_SHEET: A4}[BadgeFormat(fmt)]
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)
    pdf.setTitle(title)
    total = len(faces)
    for index, face in enumerate(faces):
        if fmt == BadgeFormat.A4_SHEET:
            slot = index % 8
            if index and slot == 0:
                pdf.showPage()
            column, row = slot % 2, slot // 2
            _draw(pdf, face, 15 * mm + column * 95 * mm, A4[1] - 20 * mm - (row + 1) * 65 * mm, 85.6 * mm, 54 * mm)
        else:
            if index:
                pdf.showPage()
            _draw(pdf, face, 0, 0, size[0], size[1])
        if progress is not None:
            progress(index + 1, total)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
