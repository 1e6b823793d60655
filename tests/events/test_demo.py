"""`majlis demo`: the demo conference agrees with the press release and loads idempotently."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from majlis.core.models import AuditEntry
from majlis.events.demo import content, pdfs
from majlis.events.demo.users import DEMO_USERS
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
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ru", "uz")
SEED_EMAILS = {"shokhimardonova.n@isrs.uz", "anvarjon.meliboev@un.org", "Dildorakhon.Israilova@osce.org"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Real Argon2 with small costs: the demo hashes seven passwords per run."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def _cheap_argon2(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CheapArgon2PasswordHasher"]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo() -> Event:
    run_demo()
    return Event.objects.get(slug="tashkent-2022")


def file_bytes(field) -> bytes:
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def dump() -> dict[str, list[dict]]:
    """Every row of every model of the events and auth apps, plus the bytes of every stored file."""
    result: dict[str, list[dict]] = {}
    for label in ("events", "auth"):
        for model in apps.get_app_config(label).get_models():
            result[model._meta.label] = list(model._default_manager.order_by("pk").values())
    result["files"] = [
        {"name": row.file.name, "sha256": hashlib.sha256(file_bytes(row.file)).hexdigest()}
        for row in DocumentFile.objects.order_by("pk")
    ] + [
        {"name": org.logo.name, "sha256": hashlib.sha256(file_bytes(org.logo)).hexdigest()}
        for org in Organisation.objects.order_by("pk")
        if org.logo
    ]
    return result


# --- the seed facts -------------------------------------------------------------------------------


def test_event_matches_press_release(demo):
    assert demo.status == Event.Status.PUBLISHED
    assert (demo.start_date, demo.end_date) == (date(2022, 3, 3), date(2022, 3, 4))
    assert demo.time_zone == "Asia/Tashkent"
    assert demo.city_en == "Tashkent"
    assert demo.country == "UZ"
    assert demo.format == Event.Format.HYBRID
    assert demo.expected_participants == 600
    assert demo.website == "https://gcts-ca.uz/en"
    assert demo.title_en == (
        "Regional cooperation of Central Asian countries within the framework of the Joint Action Plan for the "
        "Implementation of the UN Global Counter-Terrorism Strategy"
    )
    assert demo.series.slug == "jpoa-central-asia"
    assert demo.venue.rooms.count() >= 7
    assert demo.venue.rooms.get(name_en="Plenary hall").capacity >= 600


def test_event_has_five_co_organisers(demo):
    roles = EventOrganisation.objects.filter(event=demo, role="co_organiser").select_related("organisation")
    assert {r.organisation.acronym_en for r in roles} == {"ISRS", "MFA", "UNOCT", "UNRCCA", "OSCE"}
    kinds = {r.organisation.acronym_en: r.organisation.kind for r in roles}
    assert kinds == {
        "ISRS": "think_tank",
        "MFA": "government",
        "UNOCT": "un_entity",
        "UNRCCA": "un_entity",
        "OSCE": "igo",
    }
    side = EventOrganisation.objects.filter(event=demo, role="side_event_organiser")
    assert "SCO RATS" in {r.organisation.acronym_en for r in side}


def test_press_release_is_dated_and_lists_the_contacts(demo):
    news = NewsItem.objects.get(event=demo, slug="tashkent-to-host-high-level-conference")
    assert news.kind == NewsItem.Kind.PRESS_RELEASE
    assert news.published_at.tzinfo is not None
    assert news.published_at.astimezone(demo.tz).date() == date(2022, 2, 21)
    assert news.dateline_en == "Tashkent/New York/Vienna"
    for language in LANGUAGES:
        body = getattr(news, f"body_{language}")
        for email in SEED_EMAILS:
            assert email in body, (language, email)
        assert f"/{language}/tashkent-2022/documents/concept-note/{language}/" in body
    assert {c.email for c in Contact.objects.filter(event=demo)} == SEED_EMAILS
    un_contact = Contact.objects.get(email="anvarjon.meliboev@un.org")
    assert un_contact.organisation.acronym_en == "UN"
    assert all(c.function_ru and c.function_uz for c in Contact.objects.filter(event=demo))


def test_press_release_uses_the_correct_names(demo):
    news = NewsItem.objects.get(event=demo)
    assert "Natalia Gherman" in news.body_en and "Zhang Ming" in news.body_en
    assert "Наталья Герман" in news.body_ru and "Чжан Мин" in news.body_ru
    for language in LANGUAGES:
        body = getattr(news, f"body_{language}")
        assert "Zhang Mina" not in body
        assert "Natalia German" not in body
        assert "600" in body or "600" in getattr(news, f"lead_{language}") + body


def test_four_pillars_have_official_wording(demo):
    pillars = list(Pillar.objects.filter(event=demo).order_by("number"))
    assert [p.number for p in pillars] == [1, 2, 3, 4]
    assert pillars[0].title_en == "Measures to address the conditions conducive to the spread of terrorism"
    assert pillars[3].title_en.endswith("as the fundamental basis of the fight against terrorism")
    assert all(p.title_ru and p.title_uz and p.summary_en and p.summary_ru and p.summary_uz for p in pillars)


def test_series_has_five_milestones(demo):
    milestones = list(Milestone.objects.filter(series=demo.series).order_by("date"))
    assert [m.date.year for m in milestones] == [2011, 2017, 2018, 2019, 2022]
    assert milestones[0].date == date(2011, 11, 30)
    assert milestones[1].date == date(2017, 6, 13)
    assert milestones[2].date_precision == "year"
    assert (milestones[3].date, milestones[3].date_end) == (date(2019, 5, 16), date(2019, 5, 17))
    assert milestones[4].date == date(2022, 3, 3) and milestones[4].event == demo
    assert all(m.title_ru and m.title_uz and m.city_uz for m in milestones)


def test_three_documents_exist_in_three_languages(demo):
    documents = Document.objects.filter(event=demo)
    assert {d.kind for d in documents} == {"concept_note", "programme", "attendee_info"}
    for document in documents:
        assert document.is_public and document.version == "1"
        assert document.published_on == date(2022, 2, 21)
        files = {f.language: f for f in document.files.all()}
        assert set(files) == set(LANGUAGES)
        for f in files.values():
            data = file_bytes(f.file)
            assert f.content_type == "application/pdf"
            assert f.size == len(data)
            assert f.sha256 == hashlib.sha256(data).hexdigest()
            assert f.original_name == f"{document.slug}-{f.language}.pdf"


def test_demo_users_have_their_roles(demo):
    expected = {
        "organiser": "organiser_admin",
        "coorganiser": "co_organiser",
        "accreditation": "accreditation_officer",
        "security": "security_officer",
        "sideevent": "side_event_organiser",
        "focalpoint": "focal_point",
        "participant": "participant",
        "gate": "gate_officer",
        "journalist": "journalist",
    }
    users = get_user_model().objects.filter(username__in=expected)
    assert users.count() == len(expected) == len(DEMO_USERS)
    assert {item["role"] for item in DEMO_USERS} == set(EventRole.Role)  # one login per role
    for user in users:
        assert list(EventRole.objects.filter(event=demo, user=user).values_list("role", flat=True)) == [
            expected[user.username]
        ]
    organiser = users.get(username="organiser")
    assert organiser.is_staff and organiser.is_superuser
    coorganiser = users.get(username="coorganiser")
    assert coorganiser.is_staff and not coorganiser.is_superuser
    assert EventRole.objects.get(event=demo, user=coorganiser).organisation.acronym_en in {"OSCE", "UNOCT"}
    assert EventRole.objects.get(event=demo, user__username="sideevent").organisation.acronym_en == "SCO RATS"
    focal = EventRole.objects.get(event=demo, user__username="focalpoint")
    assert focal.organisation.kind == "government" and focal.organisation.country == "KZ"
    assert CYRILLIC.search(focal.user.first_name)


def test_demo_passwords_are_argon2_and_pass_the_validators(demo):
    for item in DEMO_USERS:
        user = get_user_model().objects.get(username=item["username"])
        assert user.password.startswith("argon2")
        assert check_password(item["password"], user.password)
        validate_password(item["password"], user)


def test_demo_prints_the_logins():
    output = run_demo()
    for item in DEMO_USERS:
        assert re.search(rf"{item['role']}\s+{item['username']}\s+{re.escape(item['password'])}", output)


# --- idempotency ----------------------------------------------------------------------------------


def test_demo_run_twice_changes_nothing():
    run_demo()
    before = dump()
    audit_count = AuditEntry.objects.filter(action="demo.loaded").count()
    output = run_demo()
    assert dump() == before
    assert AuditEntry.objects.filter(action="demo.loaded").count() == audit_count == 1
    assert "nothing changed" in output


def test_demo_repairs_changed_rows_and_files(demo, django_capture_on_commit_callbacks):
    Pillar.objects.filter(event=demo, number=2).update(title_ru="испорчено")
    user = get_user_model().objects.get(username="participant")
    user.set_password("something-else-entirely-9")
    user.save()
    row = DocumentFile.objects.get(document__slug="concept-note", language="ru")
    old_name = row.file.name
    with row.file.storage.open(old_name, "wb") as handle:
        handle.write(b"%PDF-1.4 broken")
    with django_capture_on_commit_callbacks(execute=True):
        run_demo()
    assert Pillar.objects.get(event=demo, number=2).title_ru == "Меры по предупреждению терроризма и борьбе с ним"
    assert check_password("demo-participant-2022", get_user_model().objects.get(username="participant").password)
    row.refresh_from_db()
    assert hashlib.sha256(file_bytes(row.file)).hexdigest() == row.sha256
    assert not row.file.storage.exists(old_name)
    assert AuditEntry.objects.filter(action="demo.loaded").count() == 2
    assert DocumentFile.objects.count() == 9


def test_demo_pdfs_are_deterministic():
    assert pdfs.render("concept_note", "ru") == pdfs.render("concept_note", "ru")


# --- file contents --------------------------------------------------------------------------------


def test_demo_pdfs_are_readable_in_each_language(demo):
    for row in DocumentFile.objects.filter(document__event=demo).select_related("document"):
        reader = PdfReader(io.BytesIO(file_bytes(row.file)))
        text = squash(" ".join(page.extract_text() for page in reader.pages))
        title = getattr(row.document, f"title_{row.language}")
        assert title in text, (row.document.slug, row.language)
        assert squash(getattr(demo, f"title_{row.language}")) in text
        assert reader.metadata.title == title
        if row.language == "ru":
            assert CYRILLIC.search(text)
        if row.language == "uz":
            assert "ʻ" in text  # U+02BB in oʻ/gʻ survives extraction
        if row.document.kind == "programme":
            assert {"en": "DRAFT", "ru": "ПРОЕКТ", "uz": "LOYIHA"}[row.language] in text
        if row.document.kind == "attendee_info":
            assert all(email in text for email in SEED_EMAILS)


def test_demo_logos_are_svg_without_script(demo):
    # Every organisation of the event demo has a monogram (the programme demo adds ministries without one).
    organisations = Organisation.objects.filter(name_en__in=[o["name"]["en"] for o in content.ORGANISATIONS.values()])
    assert organisations.count() == len(content.ORGANISATIONS) >= 7
    colours = set()
    for organisation in organisations:
        assert organisation.logo.name.endswith(".svg")
        data = file_bytes(organisation.logo)
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        tags = {element.tag.rsplit("}", 1)[-1].lower() for element in root.iter()}
        assert "script" not in tags and "foreignobject" not in tags
        assert "title" in tags
        assert not any(attr.lower().startswith("on") for el in root.iter() for attr in el.attrib)
        assert b"javascript:" not in data.lower()
        colours.add(re.search(rb'fill="(#[0-9a-f]{6})"', data).group(1))
    assert len(colours) == organisations.count()


# --- translations ---------------------------------------------------------------------------------


def test_demo_translations_differ_from_english(demo):
    news = NewsItem.objects.get(event=demo)
    objects = [
        (demo, ("title", "short_title", "summary")),
        (demo.series, ("name", "description")),
        (news, ("title", "lead", "body")),
        *[(p, ("title", "summary")) for p in Pillar.objects.filter(event=demo)],
        *[(d, ("title", "description")) for d in Document.objects.filter(event=demo)],
        *[(m, ("title",)) for m in Milestone.objects.all()],
    ]
    for obj, fields in objects:
        for name in fields:
            english = getattr(obj, f"{name}_en")
            assert english
            for language in ("ru", "uz"):
                value = getattr(obj, f"{name}_{language}")
                assert value and value != english, (obj, name, language)
        for name in fields:
            assert CYRILLIC.search(getattr(obj, f"{name}_ru")), (obj, name)


def test_demo_uzbek_uses_the_modifier_letter_turned_comma(demo):
    texts = [demo.title_uz, demo.summary_uz, NewsItem.objects.get(event=demo).body_uz]
    texts += [p.title_uz for p in Pillar.objects.filter(event=demo)]
    joined = "\n".join(texts)
    assert "oʻ" in joined.lower() or "gʻ" in joined.lower()
    assert not re.search(r"[oOgG]['‘’`]", joined)


# --- safety ---------------------------------------------------------------------------------------


def test_demo_refuses_in_production_without_force(settings):
    settings.MAJLIS_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        run_demo()
    assert not Event.objects.filter(slug="tashkent-2022").exists()
    run_demo("--force")
    assert Event.objects.filter(slug="tashkent-2022").exists()


def test_demo_published_at_is_timezone_aware(demo):
    published = NewsItem.objects.get(event=demo).published_at
    assert isinstance(published, datetime) and published.utcoffset() is not None
    assert content.NEWS["slug"] == "tashkent-to-host-high-level-conference"
