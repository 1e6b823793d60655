"""Figures for organisers: who applied, in what capacity, from where, in person or online, per session.

Gender is only ever counted, never listed per person; "prefer not to say" is its own line. The
figures count applications in progress or accepted (submitted, under review, approved, waitlisted)
unless a breakdown says otherwise; the status breakdown counts every application.

Charts are SVG drawn on the server (no script), each with a ``<title>`` and ``<desc>`` and always
shown next to a table of the same numbers, which is what screen readers and printouts rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from majlis.core.countries import country_name
from majlis.events.models import Event

from .models import Application, Category, EventCapacity, Mode, SessionSeat

APPROVED = Application.Status.APPROVED


@dataclass
class Row:
    key: str
    label: str
    total: int
    approved: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def share(self, whole: int) -> float:
        return round(100 * self.total / whole, 1) if whole else 0.0


@dataclass
class Breakdown:
    key: str
    title: str
    description: str
    rows: list[Row]
    show_approved: bool = True

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def rows_with_share(self) -> list[tuple[Row, float]]:
        total = self.total
        return [(row, row.share(total)) for row in self.rows]

    def chart(self) -> SafeString:
        return bar_chart(f"chart-{self.key}", self.title, self.description, [(r.label, r.total) for r in self.rows])

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "total": self.total,
            "rows": [
                {"key": row.key, "label": row.label, "total": row.total, "approved": row.approved} for row in self.rows
            ],
        }


@dataclass
class SessionRow:
    session_id: int
    title: str
    capacity: int | None
    requested: int
    confirmed: int
    waitlisted: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)


@dataclass
class QuotaRow:
    category: Category
    quota: int | None
    in_person_approved: int


@dataclass
class Statistics:
    total: int
    active: int
    approved: int
    by_status: Breakdown
    by_category: Breakdown
    by_nationality: Breakdown
    by_mode: Breakdown
    by_gender: Breakdown
    in_person_capacity: int | None
    in_person_approved: int
    quotas: list[QuotaRow]
    sessions: list[SessionRow]

    @property
    def breakdowns(self) -> list[Breakdown]:
        return [self.by_status, self.by_category, self.by_nationality, self.by_mode, self.by_gender]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "active": self.active,
            "approved": self.approved,
            "in_person_capacity": self.in_person_capacity,
            "in_person_approved": self.in_person_approved,
            "by_status": self.by_status.as_dict(),
            "by_category": self.by_category.as_dict(),
            "by_nationality": self.by_nationality.as_dict(),
            "by_mode": self.by_mode.as_dict(),
            "by_gender": self.by_gender.as_dict(),
            "quotas": [
                {
                    "category": row.category.code,
                    "label": row.category.name,
                    "quota": row.quota,
                    "in_person_approved": row.in_person_approved,
                }
                for row in self.quotas
            ],
            "sessions": [
                {
                    "session": row.session_id,
                    "title": row.title,
                    "capacity": row.capacity,
                    "requested": row.requested,
                    "confirmed": row.confirmed,
                    "waitlisted": row.waitlisted,
                }
                for row in self.sessions
            ],
        }


def _counts(queryset: Any, field_name: str) -> dict[Any, tuple[int, int]]:
    rows = queryset.values(field_name).annotate(total=Count("id"), approved=Count("id", filter=Q(status=APPROVED)))
    return {row[field_name]: (row["total"], row["approved"]) for row in rows}


def statistics(event: Event) -> Statistics:
    """Every figure of the statistics page, in a fixed number of queries."""
    applications = Application.objects.filter(event=event)
    active = applications.counted()

    status_counts = dict(applications.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_status = Breakdown(
        "status",
        _("Applications by status"),
        _("Number of applications in each status, all applications counted."),
        [Row(status.value, str(status.label), status_counts.get(status.value, 0)) for status in Application.Status],
        show_approved=False,
    )

    categories = list(Category.objects.filter(event=event).order_by("position", "id"))
    category_counts = _counts(active, "category_id")
    in_person_by_category = dict(
        applications.filter(status=APPROVED, mode=Mode.IN_PERSON)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    by_category = Breakdown(
        "category",
        _("Participants by category"),
        _("Applications in progress or approved, by participant category."),
        [Row(c.code, c.name, *category_counts.get(c.pk, (0, 0))) for c in categories],
    )

    nationality_counts = _counts(active, "nationality")
    nationality_rows = [Row(code, country_name(code) or code, *counts) for code, counts in nationality_counts.items()]
    nationality_rows.sort(key=lambda row: (-row.total, row.label))
    by_nationality = Breakdown(
        "nationality",
        _("Participants by nationality"),
        _("Applications in progress or approved, by nationality, most frequent first."),
        nationality_rows,
    )

    mode_counts = _counts(active, "mode")
    by_mode = Breakdown(
        "mode",
        _("In person and online"),
        _("Applications in progress or approved, by participation mode."),
        [Row(mode.value, str(mode.label).capitalize(), *mode_counts.get(mode.value, (0, 0))) for mode in Mode],
    )

    gender_counts = _counts(active, "gender")
    by_gender = Breakdown(
        "gender",
        _("Gender balance"),
        _(
            "Applications in progress or approved, by gender. Counted only as totals; "
            "“prefer not to say” is shown separately."
        ),
        [
            Row(gender.value, str(gender.label).capitalize(), *gender_counts.get(gender.value, (0, 0)))
            for gender in Application.Gender
        ],
    )

    capacity = EventCapacity.objects.filter(event=event).first()
    quotas = [
        QuotaRow(category, category.in_person_quota, in_person_by_category.get(category.pk, 0))
        for category in categories
    ]

    return Statistics(
        total=sum(status_counts.values()),
        active=sum(row.total for row in by_mode.rows),
        approved=status_counts.get(APPROVED, 0),
        by_status=by_status,
        by_category=by_category,
        by_nationality=by_nationality,
        by_mode=by_mode,
        by_gender=by_gender,
        in_person_capacity=capacity.in_person_capacity if capacity else None,
        in_person_approved=sum(in_person_by_category.values()),
        quotas=quotas,
        sessions=session_rows(event),
    )


def session_rows(event: Event) -> list[SessionRow]:
    """Seats asked for, confirmed and waitlisted per session, next to its capacity."""
    from majlis.programme.models import Session

    counts: dict[int, dict[str, int]] = {}
    seats = (
        SessionSeat.objects.filter(session__event=event)
        .filter(application__status__in=Application.Status.counted())
        .values("session_id", "status")
        .annotate(n=Count("id"))
    )
    for row in seats:
        counts.setdefault(row["session_id"], {})[row["status"]] = row["n"]
    sessions = Session.objects.filter(event=event).filter(Q(capacity__isnull=False) | Q(pk__in=list(counts)))
    result = []
    for session in sessions.order_by("starts_at", "id"):
        by_status = counts.get(session.pk, {})
        result.append(
            SessionRow(
                session_id=session.pk,
                title=session.title,
                capacity=session.capacity,
                requested=by_status.get(SessionSeat.Status.REQUESTED, 0),
                confirmed=by_status.get(SessionSeat.Status.CONFIRMED, 0),
                waitlisted=by_status.get(SessionSeat.Status.WAITLISTED, 0),
            )
        )
    return result


# --- Charts ----------------------------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 60
ROW_HEIGHT = 28
BAR_HEIGHT = 18
MAX_LABEL_CHARACTERS = 32


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARACTERS else label[: MAX_LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, description: str, rows: list[tuple[str, int]]) -> SafeString:
    """A horizontal bar chart as inline SVG: a picture of the table shown next to it.

    ``role="img"`` with the title and description named by ``aria-labelledby``: screen readers
    announce the chart once and read the numbers from the table instead of every text node.
    """
    height = max(len(rows), 1) * ROW_HEIGHT + 8
    largest = max((value for _label, value in rows), default=0)
    bar_space = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        width = round(bar_space * value / largest) if largest else 0
        bars.append(
            format_html(
                '<g class="chart-row"><title>{label}: {value}</title>'
                '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{short}</text>'
                '<rect class="chart-bar" x="{bx}" y="{by}" width="{width}" height="{bh}" rx="2"></rect>'
                '<text class="chart-value" x="{vx}" y="{ty}">{value}</text></g>',
                label=label,
                short=_short(label),
                value=value,
                lx=LABEL_WIDTH - 8,
                ty=y + BAR_HEIGHT - 4,
                bx=LABEL_WIDTH,
                by=y,
                width=width,
                bh=BAR_HEIGHT,
                vx=LABEL_WIDTH + width + 6,
            )
        )
    if not rows:
        bars.append(format_html('<text class="chart-label" x="8" y="20">{}</text>', _("No data yet.")))
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        id=chart_id,
        w=CHART_WIDTH,
        h=height,
        title=title,
        desc=description,
        bars=mark_safe("".join(bars)),  # noqa: S308 - each part built by format_html above
    )
