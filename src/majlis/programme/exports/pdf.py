"""The printable programme (A4 PDF) of a published version, in one language.

Day by day: time, room, title, kind and track, then the speakers in protocol order with honorific,
name and affiliation, and notes such as "address on behalf of …". Cancelled sessions stay in the
list, struck through and marked. Every page carries the event title, the version and its
publication date, and "Page X of Y".

Text is set in DejaVu Sans (Latin with Uzbek oʻ/gʻ, Cyrillic); runs of Chinese or Japanese
characters (e.g. 张明) switch to ReportLab's built-in CID font STSong-Light, which needs no font
file. Built with ``invariant=1``: the same version and language always give the same bytes.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from majlis.core import pdf as core_pdf

from .common import (
    Published,
    appearance_note,
    kind_label,
    parse_time,
    people_by_slug,
    person_affiliation,
    person_title,
    role_label,
    rooms_by_id,
    session_dates,
    tr,
    tracks_by_slug,
)

CONTENT_TYPE = "application/pdf"
RED = colors.HexColor("#9b1c1c")
GREY = colors.HexColor("#555555")


def markup(text: str) -> str:
    """Escape plain text for a Paragraph, setting runs of CJK characters in the CJK font."""
    return core_pdf.mixed_script(text, line_breaks=True)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = core_pdf.register_fonts()
    base = core_pdf.styles()
    cell = ParagraphStyle("prog_cell", parent=base["cell"], fontSize=9, leading=11.5)
    return {
        "title": base["title"],
        "subtitle": base["subtitle"],
        "day": ParagraphStyle(
            "prog_day",
            parent=base["heading"],
            fontSize=13,
            leading=17,
            spaceBefore=12,
            spaceAfter=6,
            textColor=colors.HexColor("#1f4e79"),
        ),
        "cell": cell,
        "time": ParagraphStyle("prog_time", parent=cell, fontName=bold),
        "session": ParagraphStyle("prog_session", parent=cell, fontName=bold, fontSize=10, leading=13),
        "meta": ParagraphStyle("prog_meta", parent=cell, fontSize=8, leading=10.5, textColor=GREY, spaceAfter=2),
        "speaker": ParagraphStyle("prog_speaker", parent=cell, leftIndent=8, firstLineIndent=-8),
        "note": ParagraphStyle("prog_note", parent=cell, fontSize=8, leading=10.5, leftIndent=8, textColor=GREY),
        "small": base["small"],
    }


def _localdate(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _day_heading(day: date) -> str:
    return f"{capfirst(date_format(day, 'l'))}, {_localdate(day)}"


def _session_cell(
    session: dict[str, Any],
    people: dict[str, dict[str, Any]],
    tracks: dict[str, dict[str, Any]],
    language: str,
) -> list[Paragraph]:
    s = _styles()
    title = markup(tr(session["title"], language))
    if session.get("is_cancelled"):
        label = escape(_("Cancelled"))
        title = f'<strike>{title}</strike> <font color="#9b1c1c">[{label}]</font>'
    flowables = [Paragraph(title, s["session"])]
    meta = [kind_label(session["kind"])]
    track = tracks.get(session.get("track") or "")
    if track:
        meta.append(_("Track: %(track)s") % {"track": tr(track["name"], language)})
    interpretation = session.get("interpretation") or []
    if interpretation:
        codes = ", ".join(code.upper() for code in interpretation)
        meta.append(_("Interpretation: %(languages)s") % {"languages": codes})
    flowables.append(Paragraph(markup(" · ".join(capfirst(m) for m in meta)), s["meta"]))
    for appearance in session.get("speakers", []):
        person = people.get(appearance["person"])
        if person is None:
            continue
        line = f"<b>{escape(capfirst(role_label(appearance['role'])))}:</b> {markup(person_title(person, language))}"
        affiliation = person_affiliation(person, language)
        if affiliation:
            line += ", " + markup(affiliation)
        flowables.append(Paragraph(line, s["speaker"]))
        note = appearance_note(appearance, language)
        if note:
            flowables.append(Paragraph(markup(capfirst(note)), s["note"]))
    return flowables


def _numbered_canvas(header_left: str, header_right: str, page_label: str):  # type: ignore[no-untyped-def]
    """A canvas class that knows the page count when it draws headers and "Page X of Y" footers."""
    regular = core_pdf.REGULAR

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 — ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = core_pdf.PAGE_SIZE
            margin = core_pdf.MARGIN
            self.saveState()
            self.setFont(regular, 8)
            self.setFillColor(GREY)
            self.drawString(margin, height - 12 * mm, header_left)
            self.drawRightString(width - margin, height - 12 * mm, header_right)
            self.setStrokeColor(colors.HexColor("#bbbbbb"))
            self.setLineWidth(0.4)
            self.line(margin, height - 13.5 * mm, width - margin, height - 13.5 * mm)
            self.drawRightString(width - margin, 12 * mm, page_label % {"page": self._pageNumber, "total": total})
            self.restoreState()

    return NumberedCanvas


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def build_pdf(published: Published, *, language: str, venue_name: str = "") -> bytes:
    """The A4 programme in ``language`` (call inside ``translation.override(language)``)."""
    s = _styles()
    snapshot = published.snapshot
    event = snapshot["event"]
    tz = published.tz
    people = people_by_slug(published)
    rooms = rooms_by_id(published)
    tracks = tracks_by_slug(published)
    title = tr(event["title"], language)
    short_title = tr(event.get("short_title"), language) or title
    published_on = _localdate(published.published_at.astimezone(tz).date())
    version_line = _("Version %(number)s, published %(date)s") % {"number": published.number, "date": published_on}

    first, last = date.fromisoformat(event["start_date"]), date.fromisoformat(event["end_date"])
    when = _localdate(first) if first == last else f"{_localdate(first)} – {_localdate(last)}"
    place = ", ".join(p for p in (venue_name, tr(event.get("city"), language)) if p)
    story: list[Any] = [
        Paragraph(markup(title), s["title"]),
        Paragraph(markup(_("Programme")), s["subtitle"]),
        Paragraph(markup(" · ".join(p for p in (when, place) if p)), s["subtitle"]),
        Paragraph(markup(version_line), s["small"]),
        Paragraph(markup(_("Times are local time in %(zone)s.") % {"zone": tz.key}), s["small"]),
    ]

    by_day: dict[date, list[tuple[datetime, datetime, dict[str, Any]]]] = {}
    for session in published.sessions:
        start, end = parse_time(session["starts_at"], tz), parse_time(session["ends_at"], tz)
        by_day.setdefault(start.date(), []).append((start, end, session))

    widths = [24 * mm, 36 * mm, 110 * mm]
    for day in session_dates(published):
        entries = sorted(by_day.get(day, []), key=lambda e: (e[0], e[1], e[2]["guid"]))
        if not entries:
            continue
        story.append(Paragraph(markup(_day_heading(day)), s["day"]))
        rows = []
        cancelled_rows = []
        for row_number, (start, end, session) in enumerate(entries):
            room = rooms.get(session["room"]) if session.get("room") is not None else None
            room_text = tr(room["name"], language) if room else ""
            if room and tr(room.get("floor"), language):
                room_text += f"\n{tr(room['floor'], language)}"
            rows.append(
                [
                    Paragraph(f"{start:%H:%M}–{end:%H:%M}", s["time"]),
                    Paragraph(markup(room_text), s["cell"]),
                    _session_cell(session, people, tracks, language),
                ]
            )
            if session.get("is_cancelled"):
                cancelled_rows.append(row_number)
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ]
        style += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f6eaea")) for r in cancelled_rows]
        table.setStyle(TableStyle(style))
        story.append(table)
    if not published.sessions:
        story += [Spacer(1, 6 * mm), Paragraph(markup(_("The programme has no sessions yet.")), s["cell"])]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=core_pdf.PAGE_SIZE,
        leftMargin=core_pdf.MARGIN,
        rightMargin=core_pdf.MARGIN,
        topMargin=core_pdf.MARGIN,
        bottomMargin=core_pdf.MARGIN,
        title=f"{title} — {_('Programme')}",
        author="Majlis",
        subject=version_line,
        creator="Majlis",
        lang=language,
        invariant=1,
    )
    canvas = _numbered_canvas(_truncate(short_title, 70), version_line, _("Page %(page)s of %(total)s"))
    doc.build(story, canvasmaker=canvas)
    return buffer.getvalue()
