"""The small programme of the practice conference (``majlis.events.demo.practice``), in English,
Russian and Uzbek: two days, a few sessions in the demo venue's rooms, one of them restricted to the
delegations (its room is a zone of its own at the gates).

Times are relative to the event's first day: when the practice conference's dates move forward,
the sessions move with them and a new version of the programme is published. Otherwise
``load_practice_programme`` changes nothing (natural key: the session's slug within the event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation

from majlis.events.models import Event

from .demo import (
    ALL_LANGUAGES,
    BREAKOUT_ROOMS,
    PLENARY_HALL,
    WORKING_LANGUAGES,
    SessionSpec,
    _at,
    _Changes,
    _rooms,
    _upsert,
    t,
    tr,
)
from .models import ProgrammeVersion, Session, SessionKind
from .services import publish_programme

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

PUBLISH_NOTE = "Programme of the practice conference; its times follow the conference's dates."
DELEGATION_CATEGORIES = ["head-of-state", "minister", "delegate"]
RESTRICTED_ROOM = BREAKOUT_ROOMS[1]


def session_specs() -> list[SessionSpec]:
    return [
        SessionSpec(
            "badge-pick-up",
            SessionKind.BREAK,
            0,
            (8, 0),
            (9, 30),
            t(
                "Badge pick-up and security screening",
                "Получение бейджей и досмотр",
                "Beyjlarni olish va xavfsizlik tekshiruvi",
            ),
            t(
                "Collect your badge at the accreditation desk with the identity document you registered with, then "
                "scan it at the main entrance.",
                "Получите бейдж у стойки аккредитации, предъявив документ, указанный при регистрации, и "
                "отсканируйте его на главном входе.",
                "Roʻyxatdan oʻtishda koʻrsatilgan hujjat bilan akkreditatsiya stolidan beyjingizni oling va uni "
                "asosiy kirish joyida skanerlang.",
            ),
        ),
        SessionSpec(
            "opening",
            SessionKind.OPENING,
            0,
            (9, 30),
            (10, 30),
            t(
                "Opening of the practice conference",
                "Открытие учебной конференции",
                "Mashq konferensiyasining ochilishi",
            ),
            t(
                "Welcome, and how this practice conference works: every workflow of the platform can be tried here.",
                "Приветствие и пояснения: на этой учебной конференции можно попробовать все процессы платформы.",
                "Tabrik va tushuntirish: ushbu mashq konferensiyasida platformaning barcha jarayonlarini sinab "
                "koʻrish mumkin.",
            ),
            room=PLENARY_HALL,
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
        ),
        SessionSpec(
            "briefing-for-delegations",
            SessionKind.BREAKOUT,
            0,
            (11, 0),
            (12, 30),
            t(
                "Closed briefing for delegations",
                "Закрытый брифинг для делегаций",
                "Delegatsiyalar uchun yopiq brifing",
            ),
            t(
                "For heads of delegation and delegates of member states only: the gate of this room lets nobody "
                "else in while the briefing takes place.",
                "Только для глав делегаций и делегатов государств-членов: пока идёт брифинг, вход в этот зал "
                "никого другого не пропускает.",
                "Faqat delegatsiya rahbarlari va aʼzo davlatlar delegatlari uchun: brifing davomida bu zal "
                "eshigidan boshqa hech kim kiritilmaydi.",
            ),
            room=RESTRICTED_ROOM,
            floor_languages=WORKING_LANGUAGES,
            access=Session.Access.RESTRICTED,
            restricted_to=DELEGATION_CATEGORIES,
        ),
        SessionSpec(
            "workshop-registration-to-badge",
            SessionKind.BREAKOUT,
            0,
            (11, 0),
            (12, 30),
            t(
                "Workshop: from registration to badge",
                "Семинар: от регистрации до бейджа",
                "Seminar: roʻyxatdan oʻtishdan beyjgacha",
            ),
            t(
                "Register, approve the application, print the badge and scan it at a gate, step by step.",
                "Пошагово: регистрация, одобрение заявки, печать бейджа и его проверка на входе.",
                "Bosqichma-bosqich: roʻyxatdan oʻtish, arizani tasdiqlash, beyjni chop etish va uni kirish "
                "joyida skanerlash.",
            ),
            room=BREAKOUT_ROOMS[2],
            floor_languages=ALL_LANGUAGES,
        ),
        SessionSpec(
            "lunch",
            SessionKind.BREAK,
            0,
            (12, 30),
            (14, 0),
            t("Lunch", "Обед", "Tushlik"),
            t("", "", ""),
        ),
        SessionSpec(
            "panel-regional-cooperation",
            SessionKind.PLENARY,
            0,
            (14, 0),
            (15, 30),
            t(
                "Panel: regional cooperation in practice",
                "Панель: региональное сотрудничество на практике",
                "Panel: amaliyotda mintaqaviy hamkorlik",
            ),
            t(
                "A practice panel discussion in the plenary hall.",
                "Учебная панельная дискуссия в пленарном зале.",
                "Yalpi majlislar zalida mashq panel muhokamasi.",
            ),
            room=PLENARY_HALL,
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
        ),
        SessionSpec(
            "closing",
            SessionKind.CLOSING,
            1,
            (10, 0),
            (11, 30),
            t("Closing session", "Заключительное заседание", "Yakuniy majlis"),
            t(
                "Conclusions of the practice conference.",
                "Итоги учебной конференции.",
                "Mashq konferensiyasi yakunlari.",
            ),
            room=PLENARY_HALL,
            floor_languages=ALL_LANGUAGES,
            interpretation=ALL_LANGUAGES,
        ),
    ]


def load_practice_programme(event: Event, *, stdout: SupportsWrite[str] | None = None) -> bool:
    """Create or refresh the practice conference's sessions; publish the programme if anything changed."""
    changes = _Changes()
    with translation.override("en"), transaction.atomic():
        rooms = _rooms(event)
        specs = session_specs()
        for spec in specs:
            _upsert(
                changes,
                Session,
                {"event": event, "slug": spec.slug},
                {
                    "kind": spec.kind,
                    **tr("title", spec.title),
                    **tr("abstract", spec.abstract),
                    "starts_at": _at(event, spec.day, spec.start),
                    "ends_at": _at(event, spec.day, spec.end),
                    "room": rooms[spec.room] if spec.room else None,
                    "track": None,
                    "capacity": None,
                    "access": spec.access,
                    "restricted_to": list(spec.restricted_to),
                    "floor_languages": list(spec.floor_languages),
                    "interpretation": list(spec.interpretation),
                    "stream_url": "",
                    "is_cancelled": False,
                },
            )
        version = None
        if changes or not ProgrammeVersion.objects.filter(event=event).exists():
            version = publish_programme(event, actor=None, note=PUBLISH_NOTE)
    if stdout is not None:
        if version is not None:
            stdout.write(f"Programme of {event.slug}: {len(specs)} sessions; published version {version.number}.\n")
        else:
            stdout.write(f"Programme of {event.slug} is already up to date: nothing changed.\n")
    return bool(changes) or version is not None
