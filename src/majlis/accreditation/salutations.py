"""How every e-mail and letter addresses a person: by honorific and gender when they are known.

Russian adjectives agree with the addressee's gender ("Уважаемый господин", "Уважаемая госпожа"),
so each form that needs agreement has one message per gender, told apart by its context
("salutation, man", "salutation, woman", "salutation, gender unknown"). When the gender is unknown
and the honorific does not imply it, the Russian text uses a neutral greeting ("Здравствуйте, …")
instead of the clumsy "Уважаемый(-ая)". "H.E." is addressed as "Your Excellency" in every case.

Mr and Ms decide the form by themselves; otherwise the gender given in the application does.
Titled forms use the family name; the neutral form uses the full name. A minister whose gender is
known is addressed by the office ("Уважаемый господин министр", "Уважаемая госпожа министр").
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import pgettext

from majlis.core.models import Honorific

MAN = "male"
WOMAN = "female"


def _gender(honorific: str, gender: str) -> str:
    if honorific == Honorific.MR:
        return MAN
    if honorific == Honorific.MS:
        return WOMAN
    return gender if gender in {MAN, WOMAN} else ""


# A minister (not a deputy, not a prime minister) is addressed by the office: "Dear Minister,".
MINISTER = re.compile(r"\b(minister|министр|vaziri?)\b", re.IGNORECASE)
NOT_THE_MINISTER = re.compile(
    r"deputy|vice|prime|assistant|counsel+or|plenipotentiary|заместител|замминистр|премьер|помощник|советник|"
    r"полномочн|oʻrinbosar|o'rinbosar|o‘rinbosar|bosh vazir|maslahatchi",
    re.IGNORECASE,
)


def is_minister(position: str) -> bool:
    return bool(MINISTER.search(position or "")) and not NOT_THE_MINISTER.search(position or "")


def salutation_for(*, honorific: str, gender: str, family_name: str, full_name: str, position: str = "") -> str:
    """The salutation in the active language, e.g. "Dear Ms Karimova," or "Уважаемая госпожа Каримова!"."""
    honorific = honorific or ""
    family = (family_name or "").strip() or (full_name or "").strip()
    full = (full_name or "").strip() or family
    sex = _gender(honorific, gender)
    if is_minister(position) and sex == MAN:
        return pgettext("salutation, man", "Dear Minister,")
    if is_minister(position) and sex == WOMAN:
        return pgettext("salutation, woman", "Dear Minister,")
    if honorific == Honorific.HE:
        return pgettext("salutation", "Your Excellency,")
    if honorific == Honorific.DR:
        if sex == MAN:
            return pgettext("salutation, man", "Dear Dr %(name)s,") % {"name": family}
        if sex == WOMAN:
            return pgettext("salutation, woman", "Dear Dr %(name)s,") % {"name": family}
        return pgettext("salutation, gender unknown", "Dear Dr %(name)s,") % {"name": family}
    if honorific == Honorific.PROF:
        if sex == MAN:
            return pgettext("salutation, man", "Dear Professor %(name)s,") % {"name": family}
        if sex == WOMAN:
            return pgettext("salutation, woman", "Dear Professor %(name)s,") % {"name": family}
        return pgettext("salutation, gender unknown", "Dear Professor %(name)s,") % {"name": family}
    if sex == MAN:
        return pgettext("salutation", "Dear Mr %(name)s,") % {"name": family}
    if sex == WOMAN:
        return pgettext("salutation", "Dear Ms %(name)s,") % {"name": family}
    return pgettext("salutation, gender unknown", "Dear %(name)s,") % {"name": full}


def salutation(application: Any) -> str:
    """The salutation of an application's person, in the active language (used by every e-mail)."""
    return salutation_for(
        honorific=getattr(application, "honorific", "") or "",
        gender=getattr(application, "gender", "") or "",
        family_name=getattr(application, "family_name", "") or "",
        full_name=getattr(application, "full_name", "") or "",
        position=getattr(application, "position", "") or "",
    )
