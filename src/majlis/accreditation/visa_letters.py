"""The visa-support letter: an A4 PDF on the organisers' letterhead, in the participant's language.

Built with ``core/pdf.py`` (DejaVu Sans: Latin, Uzbek oʻ/gʻ, Cyrillic). Chinese, Japanese and Korean
characters of a name in its own script are set in ReportLab's standard CID font (STSong-Light),
which every PDF reader supplies. The letterhead shows the organisation's logo (SVG, PNG or JPEG),
name and the organisers' address. The passport number is printed only when the participant agreed
to it; the caller reads it through ``services.passport_number`` (audited) and passes it in.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Image, Paragraph, Table, TableStyle

from majlis.core import pdf
from majlis.core.countries import country_name

from .models import Application, VisaLetter

LOGO_HEIGHT = 22 * mm


def mixed_script(text: str) -> str:
    """Paragraph markup for text that may hold CJK characters (``core.pdf.mixed_script``)."""
    return pdf.mixed_script(text)


def _date(value: Any) -> str:
    return dateformat.format(value, "j E Y") if value else ""


def _logo(organisation: Any) -> Flowable | None:
    """The organisation's logo scaled to the letterhead's height, or None if it cannot be read."""
    if organisation is None or not organisation.logo:
        return None
    try:
        with organisation.logo.open("rb") as handle:
            data = handle.read(1_048_577)
    except OSError:
        return None
    name = organisation.logo.name.lower()
    try:
        if name.endswith(".svg"):
            from svglib.svglib import svg2rlg

            drawing = svg2rlg(io.BytesIO(data))
            if drawing is None or not drawing.height:
                return None
            scale = LOGO_HEIGHT / drawing.height
            drawing.width, drawing.height = drawing.width * scale, LOGO_HEIGHT
            drawing.scale(scale, scale)
            return drawing
        image = Image(io.BytesIO(data))
        ratio = image.imageWidth / image.imageHeight if image.imageHeight else 1
        image.drawHeight, image.drawWidth = LOGO_HEIGHT, LOGO_HEIGHT * ratio
        return image
    except Exception:  # noqa: BLE001 - a broken logo must not stop the letter; the name still heads it
        return None


def _letterhead(organisation: Any, details: Any) -> list[Flowable]:
    styles = pdf.styles()
    lines = [f"<b>{escape(str(organisation.name))}</b>" if organisation is not None else ""]
    if details is not None:
        if details.address:
            lines.append(escape(details.address).replace("\n", "<br/>"))
        contact = " · ".join(part for part in (details.phone, details.email) if part)
        if contact:
            lines.append(escape(contact))
    text = Paragraph("<br/>".join(line for line in lines if line), styles["small"])
    logo = _logo(organisation)
    if logo is not None:
        head: Flowable = Table([[logo, text]], colWidths=[LOGO_HEIGHT * 2.2, None], hAlign="LEFT")
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    else:
        head = text
    return [
        head,
        HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#1f4e79"), spaceBefore=4, spaceAfter=10),
    ]


def render(letter: VisaLetter, application: Application, *, passport_number: str = "") -> bytes:
    """The letter's PDF bytes, in the participant's language (``passport_number`` only with consent)."""
    from .services import participants as services_participants

    event = application.event
    details = services_participants.organiser_details(event)
    organisation = services_participants.letterhead_organisation(event, details)
    language = application.language or "en"
    with translation.override(language):
        styles = pdf.styles()
        organiser_name = str(organisation.name) if organisation is not None else str(event.title)
        nationality = country_name(application.nationality) or application.nationality
        host_country = country_name(event.country) or event.country
        story: list[Flowable] = _letterhead(organisation, details)
        story.append(
            pdf.table(
                [
                    [_("Reference"), letter.reference],
                    [_("Date"), f"{event.city}, {_date((letter.issued_at or letter.requested_at).date())}"],
                    [_("Accreditation number"), application.reference],
                ],
                col_widths_mm=[40, 120],
            )
        )
        addressee = letter.embassy or _("To whom it may concern")
        story.append(pdf.paragraph(addressee))
        story.append(pdf.title(_("Visa-support letter")))
        story.append(pdf.paragraph(_("Excellency, Ladies and Gentlemen,")))
        name = application.full_name.strip()  # as in the passport, without a title (it would not decline)
        body = _(
            "%(organiser)s confirms that %(name)s, %(position)s, %(organisation)s, a national of %(nationality)s, "
            "has been accredited to take part in person in %(event)s, to be held in %(city)s, %(country)s, "
            "from %(start)s to %(end)s."
        ) % {
            "organiser": organiser_name,
            "name": name,
            "position": application.position,
            "organisation": application.organisation_name,
            "nationality": nationality,
            "event": event.title,
            "city": event.city,
            "country": host_country,
            "start": _date(event.start_date),
            "end": _date(event.end_date),
        }
        story.append(pdf.paragraph(body))
        if application.name_native:
            story.append(
                Paragraph(
                    escape(_("Name in the participant's own script:")) + " " + mixed_script(application.name_native),
                    styles["body"],
                )
            )
        if passport_number:
            passport = _("Passport number: %(number)s.") % {"number": passport_number}
            if application.passport_country:
                passport += " " + _("Issued by: %(country)s.") % {
                    "country": country_name(application.passport_country) or application.passport_country
                }
            if application.passport_expiry:
                passport += " " + _("Valid until: %(date)s.") % {"date": _date(application.passport_expiry)}
            story.append(pdf.paragraph(passport))
        story.append(
            pdf.paragraph(
                _(
                    "We would be grateful for your assistance in issuing the participant the visa needed to attend "
                    "the conference."
                )
            )
        )
        story.append(
            pdf.paragraph(
                _(
                    "The authenticity of this letter can be confirmed with the organisers, "
                    "quoting reference %(reference)s."
                )
                % {"reference": letter.reference}
            )
        )
        story.append(pdf.spacer(6))
        story.append(pdf.paragraph(_("Yours faithfully,")))
        if details is not None and details.signatory_name:
            story.append(pdf.paragraph(details.signatory_name))
            if details.signatory_title:
                story.append(pdf.paragraph(details.signatory_title))
        story.append(pdf.paragraph(organiser_name))
        return pdf.build_a4(
            story,
            title=f"{_('Visa-support letter')} {letter.reference}",
            author=organiser_name,
            subject=str(event.title),
            language=language,
            footer=letter.reference,
        )
