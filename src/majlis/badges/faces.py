"""What is printed on one badge: plain data, so that the layout never touches the database.

``services.face_for(badge)`` builds one from a badge; ``pdf.render_badges`` lays faces out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BadgeFace:
    number: str  # short human-readable badge number, e.g. "T22-0042"
    qr_text: str  # the signed token (base64url, about 116 characters): the QR code's content
    honorific: str  # already translated into the badge's language ("H.E.", "Его Превосходительство"); may be ""
    name_latin: str  # "Given FAMILY" as in the passport
    name_native: str  # the name in the person's own script (Cyrillic, 张明, Arabic …); may be ""
    organisation: str  # delegation or organisation
    country: str  # country name in the badge's language; may be ""
    category_label: str  # e.g. "Delegate", "Press"
    category_colour: str  # "#rrggbb": the colour band
    event_name: str
    event_dates: str  # already formatted, e.g. "3–4 March 2022"
    photo: bytes | None  # JPEG or PNG bytes, or None (a neutral silhouette frame is printed)
    language: str = "en"  # the language of the labels printed on the badge
    valid_from: date | None = None
    valid_until: date | None = None
