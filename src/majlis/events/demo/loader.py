"""Load the demo conference idempotently.

Every row has a stable natural key. A row is saved only when one of its values differs, so a second
run leaves ``updated_at`` and everything else untouched; files are rewritten only when their bytes
differ; passwords are reset only when the stored hash no longer matches the demo password.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from majlis.core import audit
from majlis.events.models import (
    Contact,
    Document,
    DocumentFile,
    Event,
    EventOrganisation,
    EventRole,
    Milestone,
    NewsItem,
    Organisation,
    Pillar,
    Room,
    Series,
    Venue,
)

from . import content, logos, pdfs, practice
from .users import DEMO_USERS, email_for

PRESS_RELEASE_PUBLISHED_AT = datetime(2022, 2, 21, 10, 0, tzinfo=ZoneInfo("Asia/Tashkent"))


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    files_written: int = 0
    new_files: list[str] = field(default_factory=list)
    passwords_set: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.files_written or self.passwords_set)


def tr(name: str, texts: dict[str, str]) -> dict[str, str]:
    """``{"name_en": …, "name_ru": …, "name_uz": …}`` from ``{"en": …, "ru": …, "uz": …}``."""
    return {f"{name}_{language}": texts[language] for language in content.LANGUAGES}


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey):
        current = getattr(obj, model_field.attname)
        return current != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def upsert(
    report: Report,
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    exclude: tuple[str, ...] = (),
) -> Any:
    """Find the row by ``lookup``; create it, or save it only if one of ``values`` differs.

    Rows are validated (``full_clean``, except the fields in ``exclude``) before they are saved.
    """
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    label = str(model._meta.verbose_name_plural)
    if obj is None:
        obj = model(**{**lookup, **values})
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        obj.save()
        report.created[label] += 1
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        obj.save()
        report.updated[label] += 1
    return obj


def _read(name: str | None) -> bytes | None:
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _delete_on_commit(name: str) -> None:
    """Remove a replaced file once the new row is committed (a rollback keeps the old one)."""

    def delete() -> None:
        if default_storage.exists(name):
            default_storage.delete(name)

    transaction.on_commit(delete)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- sections -------------------------------------------------------------------------------------


def load_series(report: Report) -> Series:
    data = content.SERIES
    return upsert(
        report, Series, {"slug": data["slug"]}, {**tr("name", data["name"]), **tr("description", data["description"])}
    )


def load_venue(report: Report) -> Venue:
    data = content.VENUE
    venue = upsert(
        report,
        Venue,
        {"name_en": data["name"]["en"]},
        {
            **tr("name", data["name"]),
            **tr("address", data["address"]),
            **tr("city", data["city"]),
            **tr("accessibility_notes", data["accessibility_notes"]),
            "country": data["country"],
        },
    )
    for position, room in enumerate(content.ROOMS, start=1):
        upsert(
            report,
            Room,
            {"venue": venue, "name_en": room["name"]["en"]},
            {
                **tr("name", room["name"]),
                **tr("floor", room["floor"]),
                **tr("accessibility_notes", room["accessibility_notes"]),
                "capacity": room["capacity"],
                "position": position,
            },
        )
    return venue


def load_event(report: Report, series: Series, venue: Venue) -> Event:
    data = content.EVENT
    return upsert(
        report,
        Event,
        {"slug": data["slug"]},
        {
            **tr("title", data["title"]),
            **tr("short_title", data["short_title"]),
            **tr("summary", data["summary"]),
            **tr("city", data["city"]),
            "series": series,
            "venue": venue,
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "time_zone": data["time_zone"],
            "country": data["country"],
            "format": data["format"],
            "expected_participants": data["expected_participants"],
            "status": data["status"],
            "website": data["website"],
        },
    )


def load_milestones(report: Report, series: Series, event: Event) -> None:
    for item in content.MILESTONES:
        upsert(
            report,
            Milestone,
            {"series": series, "date": item["date"]},
            {
                **tr("city", item["city"]),
                **tr("title", item["title"]),
                **tr("description", item["description"]),
                "date_end": item["date_end"],
                "date_precision": item["date_precision"],
                "event": event if item.get("link_event") else None,
            },
        )


def _save_logo(report: Report, organisation: Organisation, key: str, svg: bytes, *, new: bool) -> None:
    target = f"logos/demo-{key}.svg"
    current = organisation.logo.name or ""
    if current and _read(current) == svg:
        return
    existing = _read(target)
    if existing is not None and existing != svg and not Organisation.objects.filter(logo=target).exists():
        default_storage.delete(target)  # an orphan from an earlier run: free the stable name
        existing = None
    if existing == svg:
        organisation.logo.name = target
    else:
        organisation.logo.save(f"demo-{key}.svg", ContentFile(svg), save=False)
        report.files_written += 1
        report.new_files.append(str(organisation.logo.name))
    organisation.save()
    replaced = current and current != organisation.logo.name and current.startswith("logos/demo-")
    if replaced and not Organisation.objects.filter(logo=current).exists():
        _delete_on_commit(current)
    if not new:
        report.updated["organisation logos"] += 1


def load_organisations(report: Report) -> dict[str, Organisation]:
    result = {}
    label = str(Organisation._meta.verbose_name_plural)
    for key, data in content.ORGANISATIONS.items():
        created_before = report.created[label]
        organisation = upsert(
            report,
            Organisation,
            {"name_en": data["name"]["en"]},
            {
                **tr("name", data["name"]),
                **tr("acronym", data["acronym"]),
                "kind": data["kind"],
                "country": data["country"],
                "website": data["website"],
            },
        )
        svg = logos.monogram(data["acronym"]["en"], data["name"]["en"], data["colour"], data["shape"])
        _save_logo(report, organisation, key, svg, new=report.created[label] > created_before)
        result[key] = organisation
    return result


def load_event_organisations(report: Report, event: Event, organisations: dict[str, Organisation]) -> None:
    for key, role, position in content.EVENT_ORGANISATIONS:
        upsert(
            report,
            EventOrganisation,
            {"event": event, "organisation": organisations[key], "role": role},
            {"position": position},
        )


def load_pillars(report: Report, event: Event) -> None:
    for pillar in content.PILLARS:
        upsert(
            report,
            Pillar,
            {"event": event, "number": pillar["number"]},
            {**tr("title", pillar["title"]), **tr("summary", pillar["summary"])},
        )


def load_contacts(report: Report, event: Event, organisations: dict[str, Organisation]) -> None:
    for contact in content.CONTACTS:
        upsert(
            report,
            Contact,
            {"event": event, "email": contact["email"]},
            {
                "name": contact["name"],
                **tr("function", content.PR_FUNCTION),
                "organisation": organisations[contact["organisation"]],
                "phone": "",
                "position": contact["position"],
            },
        )


def _save_document_file(report: Report, document: Document, language: str, data: bytes) -> None:
    digest = _sha256(data)
    original_name = f"{document.slug}-{language}.pdf"
    values = {
        "original_name": original_name,
        "content_type": "application/pdf",
        "size": len(data),
        "sha256": digest,
    }
    file_row = DocumentFile.objects.filter(document=document, language=language).first()
    if file_row is not None:
        stored = _read(str(file_row.file.name or ""))
        same_file = stored is not None and _sha256(stored) == digest
        if same_file and not any(_differs(file_row, k, v) for k, v in values.items()):
            return
        if same_file:  # only the metadata drifted
            for name, value in values.items():
                setattr(file_row, name, value)
            file_row.save()
            report.updated[str(DocumentFile._meta.verbose_name_plural)] += 1
            return
    created = file_row is None
    old_name = "" if file_row is None else str(file_row.file.name or "")
    if file_row is None:
        file_row = DocumentFile(document=document, language=language)
    for name, value in values.items():
        setattr(file_row, name, value)
    file_row.file.save(original_name, ContentFile(data), save=False)
    report.new_files.append(str(file_row.file.name))
    file_row.save()
    report.files_written += 1
    label = str(DocumentFile._meta.verbose_name_plural)
    if created:
        report.created[label] += 1
    else:
        report.updated[label] += 1
        if old_name and old_name != file_row.file.name:
            _delete_on_commit(old_name)


def load_documents(report: Report, event: Event) -> dict[str, Document]:
    result = {}
    for item in content.DOCUMENTS:
        document = upsert(
            report,
            Document,
            {"event": event, "slug": item["slug"]},
            {
                "kind": item["kind"],
                **tr("title", item["title"]),
                **tr("description", item["description"]),
                "is_public": True,
                "version": "1",
                "published_on": content.DOCUMENT_PUBLISHED_ON,
                "position": item["position"],
            },
        )
        for language in content.LANGUAGES:
            _save_document_file(report, document, language, pdfs.render(item["kind"], language))
        result[item["kind"]] = document
    return result


def news_body(language: str, documents: dict[str, Document]) -> str:
    body = content.NEWS_BODY[language]
    contacts = ", ".join(f"[{email}](mailto:{email})" for email in content.CONTACT_EMAILS)
    body = body.replace("{contacts}", contacts)
    with translation.override(language):
        for kind, document in documents.items():
            url = reverse(
                "events:document-file",
                kwargs={"event": document.event.slug, "slug": document.slug, "file_language": language},
            )
            body = body.replace("{" + kind + "}", url)
    return body


def load_news(report: Report, event: Event, documents: dict[str, Document]) -> NewsItem:
    data = content.NEWS
    return upsert(
        report,
        NewsItem,
        {"event": event, "slug": data["slug"]},
        {
            "kind": data["kind"],
            **tr("dateline", data["dateline"]),
            **tr("title", data["title"]),
            **tr("lead", data["lead"]),
            **{f"body_{language}": news_body(language, documents) for language in content.LANGUAGES},
            "published_at": PRESS_RELEASE_PUBLISHED_AT,
        },
    )


def load_users(report: Report, event: Event, organisations: dict[str, Organisation]) -> list[dict[str, Any]]:
    user_model = get_user_model()
    for item in DEMO_USERS:
        user = upsert(
            report,
            user_model,
            {"username": item["username"]},
            {
                "first_name": item["first_name"],
                "last_name": item["last_name"],
                "email": email_for(item["username"]),
                "is_staff": item["is_staff"],
                "is_superuser": item["is_superuser"],
                "is_active": True,
            },
            exclude=("password",),
        )
        # check_password() from hashers, not the user's method: it never rehashes and saves.
        if not user.password or not check_password(item["password"], user.password):
            user.set_password(item["password"])
            user.save(update_fields=["password"])
            report.passwords_set += 1
        organisation = organisations[item["organisation"]] if item["organisation"] else None
        upsert(report, EventRole, {"event": event, "user": user, "role": item["role"]}, {"organisation": organisation})
    return DEMO_USERS


def load_practice_event(report: Report, series: Series, venue: Venue, organisations: dict[str, Organisation]) -> Event:
    """The practice conference, its organisers and the demo accounts' roles in it (``practice.py``)."""
    data = practice.EVENT
    current = Event.objects.filter(slug=data["slug"]).values_list("start_date", flat=True).first()
    start, end = practice.practice_dates(current, timezone.localdate(timezone=ZoneInfo(data["time_zone"])))
    event = upsert(
        report,
        Event,
        {"slug": data["slug"]},
        {
            **tr("title", data["title"]),
            **tr("short_title", data["short_title"]),
            **tr("summary", data["summary"]),
            **tr("city", data["city"]),
            "series": series,
            "venue": venue,
            "start_date": start,
            "end_date": end,
            "time_zone": data["time_zone"],
            "country": data["country"],
            "format": data["format"],
            "expected_participants": data["expected_participants"],
            "status": data["status"],
            "website": data["website"],
        },
    )
    for key, role, position in practice.EVENT_ORGANISATIONS:
        upsert(
            report,
            EventOrganisation,
            {"event": event, "organisation": organisations[key], "role": role},
            {"position": position},
        )
    by_username = {item["username"]: item for item in DEMO_USERS}
    user_model = get_user_model()
    for username, role in practice.ROLES.items():
        item = by_username[username]
        organisation = organisations[item["organisation"]] if item["organisation"] else None
        user = user_model.objects.get(username=username)
        upsert(report, EventRole, {"event": event, "user": user, "role": role}, {"organisation": organisation})
    return event


def load() -> Report:
    """Create or refresh the whole demo conference; return what changed."""
    report = Report()
    try:
        _load(report)
    except BaseException:
        # The transaction is rolled back: remove the files this run wrote, they belong to no row.
        for name in report.new_files:
            default_storage.delete(name)
        raise
    return report


def _load(report: Report) -> None:
    with translation.override("en"), transaction.atomic():
        series = load_series(report)
        venue = load_venue(report)
        event = load_event(report, series, venue)
        load_milestones(report, series, event)
        organisations = load_organisations(report)
        load_event_organisations(report, event, organisations)
        load_pillars(report, event)
        load_contacts(report, event, organisations)
        documents = load_documents(report, event)
        load_news(report, event, documents)
        load_users(report, event, organisations)
        practice_event = load_practice_event(report, series, venue, organisations)
        if report.changed:
            audit.record(
                "demo.loaded",
                obj=event,
                event_slug=event.slug,
                practice_event=practice_event.slug,
                practice_dates=[practice_event.start_date.isoformat(), practice_event.end_date.isoformat()],
                created=dict(report.created),
                updated=dict(report.updated),
                files_written=report.files_written,
                passwords_set=report.passwords_set,
            )
