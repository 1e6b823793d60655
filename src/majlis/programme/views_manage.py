"""The organisers' programme pages: the draft's sessions, their speakers, and publishing.

Only people who may change the programme get in (``services.programme_editor``): the event's
organisers and superusers change everything; a side-event organiser only the sessions their
organisation organises. Every change goes through a function of ``services.py``. Times are
shown and typed in the event's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from majlis.events.access import event_view
from majlis.events.models import Event

from . import services
from .changes import describe, diff_snapshots
from .conflicts import group_by_session, programme_warnings
from .forms import PositionForm, PublishForm, SessionForm, SpeakerForm, add_service_errors
from .models import ProgrammeVersion, ProtocolRank, Session, SessionSpeaker
from .protocol import protocol_key
from .snapshot import build_snapshot

View = Callable[..., HttpResponse]


def programme_editor_view(capability: str) -> Callable[[View], View]:
    """Anonymous visitors are sent to log in; people who may not change the programme get 403.

    Organisers hold ``programme.edit`` (everything, publishing too); a side-event organiser holds
    ``programme.draft`` (only the sessions their organisation organises), so most pages need
    ``programme.draft`` and the ``ProgrammeEditor`` decides each session. The view is called with
    the ``Event`` and the ``ProgrammeEditor`` instead of the slug, inside the event's time zone (so
    forms read and show local times).
    """

    def decorate(view: View) -> View:
        @event_view(capability)
        @wraps(view)
        def wrapper(request: HttpRequest, event: Event, *args: Any, **kwargs: Any) -> HttpResponse:
            editor = services.programme_editor(request.user, event)
            if editor is None:
                raise PermissionDenied
            return view(request, event, editor, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


programme_editor_required = programme_editor_view("programme.draft")


def _render(
    request: HttpRequest,
    template: str,
    event: Event,
    editor: services.ProgrammeEditor,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    context = {"event": event, "editor": editor, "section": "manage", **context}
    return render(request, template, context, status=status)


def _editable_session(event: Event, editor: services.ProgrammeEditor, pk: int) -> Session:
    session = (
        Session.objects.filter(event=event, pk=pk)
        .select_related("event", "room", "track")
        .prefetch_related("organisers")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    if not editor.can_edit(session):
        raise PermissionDenied
    return session


# --- Sessions ------------------------------------------------------------------------------------


@programme_editor_required
def sessions(request: HttpRequest, event: Event, editor: services.ProgrammeEditor) -> HttpResponse:
    speakers = SessionSpeaker.objects.select_related("person")
    rows = list(
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=speakers), "organisers")
        .order_by("starts_at", "room__position", "id")
    )
    warnings = programme_warnings(event, rows)
    by_session = group_by_session(warnings)
    latest = ProgrammeVersion.objects.filter(event=event).order_by("-number").only("number", "published_at").first()
    items = [{"session": s, "editable": editor.can_edit(s), "warnings": by_session.get(s.pk, [])} for s in rows]
    return _render(
        request,
        "programme/manage/sessions.html",
        event,
        editor,
        {
            "items": items,
            "warnings": warnings,
            "latest": latest,
            "manage_section": "sessions",
        },
    )


@require_http_methods(["GET", "POST"])
@programme_editor_required
def session_create(request: HttpRequest, event: Event, editor: services.ProgrammeEditor) -> HttpResponse:
    initial: dict[str, Any] = {}
    if not editor.full:
        initial = {"organisers": list(editor.organisation_ids), "kind": "side_event"}
    form = SessionForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                event, actor=request.user, data=form.session_data(), editor=editor, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session “%(title)s” was added to the draft.") % {"title": session.title})
            return redirect("events:programme:manage-session-speakers", event=event.slug, pk=session.pk)
    return _render(
        request,
        "programme/manage/session_form.html",
        event,
        editor,
        {
            "form": form,
            "session": None,
            "manage_section": "create",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@programme_editor_required
def session_edit(request: HttpRequest, event: Event, editor: services.ProgrammeEditor, pk: int) -> HttpResponse:
    session = _editable_session(event, editor, pk)
    form = SessionForm(request.POST or None, event=event, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.update_session(
                session, actor=request.user, data=form.session_data(), editor=editor, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session “%(title)s” was saved.") % {"title": session.title})
            return redirect("events:programme:manage-sessions", event=event.slug)
    return _render(
        request,
        "programme/manage/session_form.html",
        event,
        editor,
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


# --- Speakers ------------------------------------------------------------------------------------


def _speaker_rows(session: Session, position_form: tuple[int, PositionForm] | None) -> list[dict[str, Any]]:
    ordered = services.speakers_in_order(session)
    by_protocol = sorted(ordered, key=protocol_key)  # type: ignore[arg-type]
    protocol_places = {a.pk: i for i, a in enumerate(by_protocol, start=1)}
    rows = []
    for place, appearance in enumerate(ordered, start=1):
        rank = appearance.person.protocol_rank
        form = position_form[1] if position_form and position_form[0] == appearance.pk else None
        rows.append(
            {
                "appearance": appearance,
                "place": place,
                "protocol_place": protocol_places[appearance.pk],
                "rank_label": ProtocolRank(rank).label if rank is not None else None,
                "represents_state": appearance.person.represents_state,
                "position_form": form or PositionForm(prefix=f"s{appearance.pk}", initial={"position": place}),
            }
        )
    return rows


def _speakers_page(
    request: HttpRequest,
    event: Event,
    editor: services.ProgrammeEditor,
    session: Session,
    speaker_form: SpeakerForm | None = None,
    position_form: tuple[int, PositionForm] | None = None,
) -> HttpResponse:
    rows = _speaker_rows(session, position_form)
    bound = speaker_form is not None and speaker_form.errors or position_form is not None and position_form[1].errors
    return _render(
        request,
        "programme/manage/speakers.html",
        event,
        editor,
        {
            "session": session,
            "rows": rows,
            "overridden": any(row["appearance"].manual_position is not None for row in rows),
            "speaker_form": speaker_form or SpeakerForm(),
        },
        status=400 if bound else 200,
    )


@require_http_methods(["GET", "POST"])
@programme_editor_required
def session_speakers(request: HttpRequest, event: Event, editor: services.ProgrammeEditor, pk: int) -> HttpResponse:
    """The speakers in speaking order; POST adds one."""
    session = _editable_session(event, editor, pk)
    if request.method != "POST":
        return _speakers_page(request, event, editor, session)
    form = SpeakerForm(request.POST)
    if form.is_valid():
        try:
            appearance = services.add_speaker(session, actor=request.user, request=request, **form.speaker_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(person)s was added.") % {"person": appearance.person})
            return redirect("events:programme:manage-session-speakers", event=event.slug, pk=session.pk)
    return _speakers_page(request, event, editor, session, speaker_form=form)


def _appearance(session: Session, speaker: int) -> SessionSpeaker:
    return get_object_or_404(
        SessionSpeaker.objects.select_related("person", "session__event"), session=session, pk=speaker
    )


@require_POST
@programme_editor_required
def speaker_remove(
    request: HttpRequest, event: Event, editor: services.ProgrammeEditor, pk: int, speaker: int
) -> HttpResponse:
    session = _editable_session(event, editor, pk)
    appearance = _appearance(session, speaker)
    services.remove_speaker(appearance, actor=request.user, request=request)
    messages.success(request, _("%(person)s was removed from the session.") % {"person": appearance.person})
    return redirect("events:programme:manage-session-speakers", event=event.slug, pk=session.pk)


@require_POST
@programme_editor_required
def speaker_position(
    request: HttpRequest, event: Event, editor: services.ProgrammeEditor, pk: int, speaker: int
) -> HttpResponse:
    """Place a speaker by hand (position and reason), or give them back their protocol place."""
    session = _editable_session(event, editor, pk)
    appearance = _appearance(session, speaker)
    if request.POST.get("action") == "protocol":
        services.reorder_speaker(appearance, None, actor=request.user, reason="", request=request)
        messages.success(request, _("%(person)s speaks in protocol order again.") % {"person": appearance.person})
        return redirect("events:programme:manage-session-speakers", event=event.slug, pk=session.pk)
    form = PositionForm(request.POST, prefix=f"s{appearance.pk}")
    if form.is_valid():
        try:
            services.reorder_speaker(
                appearance,
                form.cleaned_data["position"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                renamed = {
                    "position" if k == "manual_position" else "reason" if k == "override_reason" else k: v
                    for k, v in exc.error_dict.items()
                }
                exc = ValidationError(renamed)
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s now speaks at position %(position)d.")
                % {
                    "person": appearance.person,
                    "position": form.cleaned_data["position"],
                },
            )
            return redirect("events:programme:manage-session-speakers", event=event.slug, pk=session.pk)
    return _speakers_page(request, event, editor, session, position_form=(appearance.pk, form))


@require_POST
@programme_editor_required
def speakers_restore(request: HttpRequest, event: Event, editor: services.ProgrammeEditor, pk: int) -> HttpResponse:
    session = _editable_session(event, editor, pk)
    count = services.restore_protocol_order(session, actor=request.user, request=request)
    if count:
        messages.success(request, _("Protocol order restored."))
    else:
        messages.info(request, _("The speakers were already in protocol order."))
    return redirect("events:programme:manage-session-speakers", event=event.slug, pk=session.pk)


# --- Publishing ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@programme_editor_view("programme.edit")
def publish(request: HttpRequest, event: Event, editor: services.ProgrammeEditor) -> HttpResponse:
    if not editor.can_publish:
        raise PermissionDenied
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_programme(
                event, actor=request.user, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)d of the programme is published.")
                % {
                    "number": version.number,
                },
            )
            return redirect("events:programme:changes", event=event.slug)
    latest = ProgrammeVersion.objects.filter(event=event).order_by("-number").first()
    changes = diff_snapshots(latest.snapshot if latest else None, build_snapshot(event))
    return _render(
        request,
        "programme/manage/publish.html",
        event,
        editor,
        {
            "form": form,
            "latest": latest,
            "changes": changes,
            "lines": describe(changes),
            "warnings": programme_warnings(event),
            "manage_section": "publish",
        },
        status=400 if form.errors else 200,
    )
