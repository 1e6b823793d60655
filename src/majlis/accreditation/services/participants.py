"""What participants get: their waitlist position, visa-support letters and the organisers' mass e-mails.

Every change is one transactional, audited function, as in ``services.py``; reads used by the
account page, the organiser pages and the e-mails live here too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from majlis.core import audit
from majlis.core.models import OutboxMessage
from majlis.events.models import Event, EventOrganisation, Organisation

from .. import capacity, notifications, queries
from ..models import (
    AccreditationDesk,
    Application,
    Category,
    MassMailing,
    Mode,
    OrganiserDetails,
    SessionSeat,
    VisaLetter,
)

Status = Application.Status


# --- Waitlist positions ------------------------------------------------------------------------


def waitlist_position(application: Application) -> int | None:
    """The application's place among the waitlisted applications competing for the same seat.

    The order is the one ``capacity.promote_waitlist`` uses (first waitlisted, first served). With an
    event capacity every application ahead competes for the next seat, except those of another
    category whose quota is full (the promotion skips them); with only a category quota, only the
    applications of the same category ahead compete. ``None`` when the application is not waitlisted
    for an in-person seat.
    """
    if application.status != Status.WAITLISTED or application.mode != Mode.IN_PERSON:
        return None
    queue = capacity.waitlist_queue(application.event_id)
    stamp = application.waitlisted_at
    if stamp is None:
        ahead = queue.filter(waitlisted_at__isnull=True, id__lt=application.pk)
    else:
        ahead = queue.filter(Q(waitlisted_at__lt=stamp) | Q(waitlisted_at=stamp, id__lt=application.pk))
    event_capacity = capacity.ensure_capacity_row(application.event)
    if event_capacity.in_person_capacity is None:
        ahead = ahead.filter(category_id=application.category_id)
    else:
        blocked = [
            category.pk
            for category in Category.objects.filter(
                event_id=application.event_id, in_person_quota__isnull=False
            ).exclude(pk=application.category_id)
            if capacity.seats_left(event_capacity, category) == 0
        ]
        if blocked:
            ahead = ahead.exclude(category_id__in=blocked)
    return ahead.count() + 1


def session_waitlist_position(seat: SessionSeat) -> int | None:
    """The seat's place on its session's waitlist (the order ``promote_session_waitlist`` uses)."""
    if seat.status != SessionSeat.Status.WAITLISTED or seat.application.status != Status.APPROVED:
        return None
    ahead = capacity.session_waitlist(seat.session_id).filter(
        Q(created_at__lt=seat.created_at) | Q(created_at=seat.created_at, id__lt=seat.pk)
    )
    return ahead.count() + 1


# --- Desks, letterhead, address ----------------------------------------------------------------


def desks(event: Event) -> list[AccreditationDesk]:
    return list(AccreditationDesk.objects.filter(event=event).order_by("position", "id"))


def organiser_details(event: Event) -> OrganiserDetails | None:
    return OrganiserDetails.objects.select_related("organisation").filter(event=event).first()


def letterhead_organisation(event: Event, details: OrganiserDetails | None = None) -> Organisation | None:
    """The organisation heading the letters: the one chosen, else the event's host."""
    if details is not None and details.organisation_id:
        return details.organisation
    role = (
        EventOrganisation.objects.select_related("organisation")
        .filter(event=event, role=EventOrganisation.Role.HOST)
        .order_by("position", "id")
        .first()
    )
    return role.organisation if role else None


# --- Visa-support letters ------------------------------------------------------------------------


def visa_letter_refusal(application: Application) -> str:
    """Why this application cannot have a visa-support letter now ("" when it can)."""
    if application.status != Status.APPROVED:
        return _("A visa-support letter is given only once the accreditation is approved.")
    if application.mode != Mode.IN_PERSON:
        return _("A visa-support letter is only for participants who come in person.")
    if application.personal_data_purged_at is not None:
        return _("The personal data of this application has been removed.")
    if application.event.phase() == "past":
        return _("The conference is over.")
    return ""


def may_have_visa_letter(application: Application) -> bool:
    return not visa_letter_refusal(application)


def _lock(application: Application) -> Application:
    capacity.lock_event(application.event)
    return Application.objects.select_for_update(of=("self",)).select_related("event").get(pk=application.pk)


def _next_letter_number(event_id: int) -> int:
    current = VisaLetter.objects.filter(application__event_id=event_id).aggregate(top=Max("number"))["top"]
    return (current or 0) + 1


def request_visa_letter(
    application: Application, *, include_passport: bool, embassy: str = "", actor: Any, request: Any = None
) -> VisaLetter:
    """The participant asks for a letter; it is issued at once (the accreditation is already approved).

    The passport number goes into the letter only with the participant's consent (``include_passport``);
    asking again changes that choice and keeps the letter's number.
    """
    with transaction.atomic():
        locked = _lock(application)
        refusal = visa_letter_refusal(locked)
        if refusal:
            raise ValidationError(refusal, code="not_allowed")
        if include_passport and not locked.passport_number_encrypted:
            raise ValidationError(
                {"include_passport": _("Your application has no passport number: add it to your application first.")},
                code="no_passport",
            )
        now = timezone.now()
        letter = VisaLetter.objects.filter(application=locked).first()
        created = letter is None
        if letter is None:
            letter = VisaLetter(application=locked, number=_next_letter_number(locked.event_id))
        if letter.requested_by_id is None and getattr(actor, "is_authenticated", False):
            letter.requested_by = actor  # issued by the organisers first, asked for by the participant since
        letter.include_passport = include_passport
        letter.embassy = embassy.strip()[:300]
        letter.status = VisaLetter.Status.ISSUED
        letter.issued_at = letter.issued_at or now
        letter.save()
        audit.record(
            "accreditation.visa_letter_requested" if created else "accreditation.visa_letter_changed",
            actor=actor,
            obj=locked,
            event_slug=locked.event.slug,
            request=request,
            letter=letter.reference,
            include_passport=include_passport,
        )
    return letter


def issue_visa_letter(application: Application, *, actor: Any, request: Any = None) -> VisaLetter:
    """An organiser issues a letter for a participant (without the passport number unless they agreed)."""
    with transaction.atomic():
        locked = _lock(application)
        refusal = visa_letter_refusal(locked)
        if refusal:
            raise ValidationError(refusal, code="not_allowed")
        letter = VisaLetter.objects.filter(application=locked).first()
        created = letter is None
        if letter is None:
            letter = VisaLetter(application=locked, number=_next_letter_number(locked.event_id))
        letter.status = VisaLetter.Status.ISSUED
        letter.issued_at = letter.issued_at or timezone.now()
        letter.issued_by = actor if getattr(actor, "is_authenticated", False) else None
        letter.save()
        entry = audit.record(
            "accreditation.visa_letter_issued",
            actor=actor,
            obj=locked,
            event_slug=locked.event.slug,
            request=request,
            letter=letter.reference,
        )
        if created and locked.email:
            # The participant did not ask: tell them where to find it.
            notifications.queue(
                key=f"application:{locked.pk}:visa_letter_issued:{entry.pk}",
                template="visa_letter_issued",
                recipient=locked.email,
                language=locked.language,
                event=locked.event,
                application=locked,
            )
    return letter


def visa_letter_pdf(letter: VisaLetter, *, actor: Any, request: Any = None) -> bytes:
    """The letter as a PDF in the participant's language; every download is audited."""
    from .. import visa_letters

    application = Application.objects.select_related("event", "category").get(pk=letter.application_id)
    refusal = visa_letter_refusal(application)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    passport = ""
    if letter.include_passport:
        from . import passport_number

        passport = passport_number(application, actor=actor, request=request)  # audited
    data = visa_letters.render(letter, application, passport_number=passport)
    audit.record(
        "accreditation.visa_letter_downloaded",
        actor=actor,
        obj=application,
        event_slug=application.event.slug,
        request=request,
        letter=letter.reference,
        include_passport=bool(passport),
    )
    return data


# --- Mass e-mail -----------------------------------------------------------------------------------

MASS_MAIL_TEMPLATE = "mass_mail"


def mailing_recipients(event: Event, filters: queries.ParticipantFilter) -> QuerySet[Application]:
    """The applications a mass e-mail goes to: those matching the filters that have an address and data."""
    return (
        queries.participants(event, filters)
        .exclude(email="")
        .filter(personal_data_purged_at__isnull=True)
        .order_by("family_name", "given_names", "pk")
    )


def filters_of(mailing: MassMailing) -> queries.ParticipantFilter:
    known = {
        key: value
        for key, value in (mailing.filters or {}).items()
        if key in queries.ParticipantFilter.__dataclass_fields__
    }
    return queries.ParticipantFilter(**known)


def create_mailing(
    event: Event, *, texts: dict[str, str], filters: queries.ParticipantFilter, actor: Any, request: Any = None
) -> MassMailing:
    """A draft mass e-mail: ``texts`` holds ``subject_<lang>`` and ``body_<lang>`` (English required)."""
    if not (texts.get("subject_en") or "").strip() or not (texts.get("body_en") or "").strip():
        raise ValidationError(_("Write at least the English subject and message."), code="english_required")
    with transaction.atomic():
        mailing = MassMailing(event=event, filters=filters.as_dict(), created_by=actor)
        for name, value in texts.items():
            if name.split("_")[0] in {"subject", "body"}:
                setattr(mailing, name, (value or "").strip())
        mailing.save()
        audit.record(
            "accreditation.mass_mail_drafted",
            actor=actor,
            obj=mailing,
            event_slug=event.slug,
            request=request,
            filters=mailing.filters,
        )
    return mailing


def send_mailing(mailing: MassMailing, *, expected_count: int, actor: Any, request: Any = None) -> int:
    """Queue one e-mail per recipient in their language (keyed per recipient: never twice). Returns how many.

    ``expected_count`` is the number the organiser confirmed; if the list changed meanwhile the
    organiser is asked to confirm again.
    """
    with transaction.atomic():
        locked = MassMailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.status != MassMailing.Status.DRAFT:
            raise ValidationError(_("This e-mail has already been sent."), code="sent")
        recipients = list(mailing_recipients(locked.event, filters_of(locked)).select_related(None))
        if len(recipients) != expected_count:
            raise ValidationError(
                ngettext(
                    "The list has changed since you checked it: it now has %(count)d recipient. Please confirm again.",
                    "The list has changed since you checked it: it now has %(count)d recipients. Please confirm again.",
                    len(recipients),
                )
                % {"count": len(recipients)},
                code="changed",
            )
        if not recipients:
            raise ValidationError(_("No participant matches these filters."), code="empty")
        for application in recipients:
            queue_mass_mail(locked, application)
        locked.status = MassMailing.Status.SENDING
        locked.recipient_count = len(recipients)
        locked.sent_at = timezone.now()
        locked.save(update_fields=["status", "recipient_count", "sent_at"])
        audit.record(
            "accreditation.mass_mail_sent",
            actor=actor,
            obj=locked,
            event_slug=locked.event.slug,
            request=request,
            recipients=len(recipients),
            filters=locked.filters,
        )
    mailing.status = locked.status
    mailing.recipient_count = locked.recipient_count
    mailing.sent_at = locked.sent_at
    return len(recipients)


def mass_mail_key(mailing: MassMailing, application: Application) -> str:
    return f"mass:{mailing.pk}:{application.pk}"


def queue_mass_mail(mailing: MassMailing, application: Application) -> OutboxMessage:
    """One recipient's copy; its subject (the organisers' own) is rendered in their language when it leaves."""
    return notifications.queue(
        key=mass_mail_key(mailing, application),
        template=MASS_MAIL_TEMPLATE,
        recipient=application.email,
        language=application.language or "en",
        event=mailing.event,
        application=application,
        mailing=mailing,
    )


def mailing_progress(mailing: MassMailing) -> dict[str, int]:
    """How far the sending is: sent, failed (given up or retrying), waiting, out of the total."""
    rows = OutboxMessage.objects.filter(key__startswith=f"mass:{mailing.pk}:")
    sent = rows.filter(status=OutboxMessage.Status.SENT).count()
    failed = rows.filter(status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.GAVE_UP]).count()
    total = mailing.recipient_count
    return {
        "total": total,
        "sent": sent,
        "failed": failed,
        "waiting": max(total - sent - failed, 0),
        "percent": round(100 * sent / total) if total else 0,
        "done": total > 0 and sent + failed >= total,
    }


# --- Accreditation desks and the organisers' letterhead ------------------------------------------------


def save_desk(desk: AccreditationDesk, *, changed: list[str], actor: Any, request: Any = None) -> AccreditationDesk:
    """Create or change a desk (filled in by a form); audited."""
    created = desk.pk is None
    with transaction.atomic():
        desk.save()
        audit.record(
            "accreditation.desk_created" if created else "accreditation.desk_changed",
            actor=actor,
            obj=desk,
            event_slug=desk.event.slug,
            request=request,
            fields=sorted(changed),
        )
    return desk


def delete_desk(desk: AccreditationDesk, *, actor: Any, request: Any = None) -> None:
    with transaction.atomic():
        audit.record("accreditation.desk_deleted", actor=actor, obj=desk, event_slug=desk.event.slug, request=request)
        desk.delete()


def save_organiser_details(
    details: OrganiserDetails, *, changed: list[str], actor: Any, request: Any = None
) -> OrganiserDetails:
    """Save the organisers' address, letterhead and reference prefix (filled in by a form); audited."""
    with transaction.atomic():
        details.save()
        audit.record(
            "accreditation.organiser_details_changed",
            actor=actor,
            obj=details,
            event_slug=details.event.slug,
            request=request,
            fields=sorted(changed),
        )
    return details
