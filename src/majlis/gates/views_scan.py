"""The gate page: an officer (``gates.scan``) or a gate device (its API token) scans badges here.

The page is a thin shell: the zones, the scans and the offline package go through the gates API
(/work/translations/CONTRACT-gates.md). Its settings and every text its scripts show come from the
template as a JSON data block (no inline script: the content security policy forbids them). The
service worker that lets the page open without network is served from ``gates/sw.js``, so that its
scope (``/<lang>/<event>/gates/``) covers both the scan page and the device page.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from majlis.badges.tokens import Refusal
from majlis.events.access import event_view
from majlis.events.models import Event

from .models import Zone, ZoneRefusal
from .services import refusal_message

# Bump when the page's scripts change in a way an installed service worker must notice.
CACHE_VERSION = "gates-v1"
ASSETS = (
    "majlis/site.css",
    "majlis/favicon.svg",
    "gates/scan.css",
    "gates/verify.js",
    "gates/store.js",
    "gates/scan.js",
    "gates/vendor/jsQR-1.4.0.js",
    "gates/vendor/noble-ed25519-3.2.0.js",
)
# How long a result stays on the screen, in milliseconds.
ACCEPTED_SHOWN_MS = 4000
REFUSED_SHOWN_MS = 8000


def _camera_allowed(response: HttpResponse) -> HttpResponse:
    """The platform switches the camera off everywhere; the gate pages need it (this origin only)."""
    policy = settings.MAJLIS_PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
    response["Permissions-Policy"] = policy
    return response


def refusal_messages() -> dict[str, str]:
    """Every refusal reason the server gives, in the server's words (``services.refusal_message``):
    the gate page's offline decisions show the same sentences."""
    reasons = [refusal.value for refusal in Refusal] + [str(value) for value in ZoneRefusal.values]
    return {reason: refusal_message(reason) for reason in reasons}


def interface_texts() -> dict[str, str]:
    """The texts the page's scripts put on the screen ({name} marks a value filled in by the script)."""
    return {
        "accepted": _("Accepted"),
        "refused": _("Refused"),
        "exitRecorded": _("Exit recorded"),
        "offlineDecision": _("Decided on this device without network; it will be sent when the network returns."),
        "repeated": _("This scan had already been recorded."),
        "noPhoto": _("No photo"),
        "photoOf": _("Photo of {name}"),
        "badgeNumber": _("Badge {number}"),
        "notPrepared": _("No network, and this device is not prepared for offline use in this zone."),
        "serverError": _("The scan could not be recorded: {detail}"),
        "chooseZone": _("Choose the zone first."),
        "queue": _("Scans waiting to be sent: {count}"),
        "syncing": _("Sending the scans made without network…"),
        "synced": _("Sent at {time}: {recorded} recorded, {repeated} already known, {conflicts} conflicts."),
        "syncWaiting": _("Waiting for the network to send them."),
        "syncFailed": _("Sending failed: {detail}"),
        "conflict": _("{time}, badge {badge}: {message}"),
        "invalidScan": _("{time}: this scan could not be recorded and was dropped: {message}"),
        "packageNone": _("Not prepared for offline use in this zone."),
        "packageReady": _("Ready for offline use: {count} badges, downloaded {generated}, usable until {expires}."),
        "packagePreparing": _("Downloading the zone’s list of badges…"),
        "packageFailed": _("The offline list could not be downloaded: {detail}"),
        "packageExpired": _("The offline list was deleted from this device: the event has ended."),
        "packageRevoked": _(
            "The offline list was deleted from this device: the server no longer accepts this device’s "
            "sign-in or token here."
        ),
        "online": _("Online"),
        "offline": _("No network"),
        "cameraUnavailable": _("The camera cannot be used: {detail}"),
        "cameraNoDecoder": _("This browser cannot read QR codes from the camera."),
        "cameraStart": _("Scan with the camera"),
        "cameraStop": _("Stop the camera"),
        "searchShort": _("Type at least two characters."),
        "searchNone": _("No badge matches."),
        "searchFailed": _("The search failed: {detail}"),
        "admit": _("Admit {name}"),
        "letOut": _("Let {name} out"),
        "tokenInvalid": _("This token was refused: it is unknown, revoked or expired, or may not scan here."),
        "forgotten": _("The token and the offline list were deleted from this device."),
        "noZones": _("No zone may be scanned with this sign-in or token."),
    }


def _zones(event: Event) -> list[dict[str, Any]]:
    return [
        {
            "id": zone.pk,
            "name": zone.name,
            "kind": zone.kind,
            "entry_once": zone.entry_once,
            "exit_scanning": zone.exit_scanning,
            "open_days": zone.open_days,
            "gates": [{"id": gate.pk, "name": gate.name} for gate in zone.gates.all()],
        }
        for zone in Zone.objects.filter(event=event).prefetch_related("gates")
    ]


def _config(request: HttpRequest, event: Event, *, mode: str) -> dict[str, Any]:
    page = request.path
    return {
        "mode": mode,
        "event": event.pk,
        "slug": event.slug,
        "timeZone": event.time_zone,
        "api": f"/api/v1/events/{event.slug}/gates",
        "csrf": get_token(request) if mode == "officer" else "",
        "zones": _zones(event) if mode == "officer" else None,
        "page": page,
        "serviceWorker": reverse("gates:service-worker", kwargs={"event": event.slug}),
        "scope": reverse("gates:scan", kwargs={"event": event.slug}).rsplit("scan/", 1)[0],
        "cacheName": f"majlis-{CACHE_VERSION}",
        "assets": {name: static(name) for name in ASSETS},
        "acceptedMs": ACCEPTED_SHOWN_MS,
        "refusedMs": REFUSED_SHOWN_MS,
        "refusals": refusal_messages(),
        "texts": interface_texts(),
    }


@require_GET
@event_view("gates.scan")
def scan(request: HttpRequest, event: Event) -> HttpResponse:
    """The gate page of a signed-in gate officer."""
    response = render(
        request,
        "gates/scan.html",
        {"event": event, "config": _config(request, event, mode="officer"), "device_mode": False},
    )
    return _camera_allowed(response)


@require_GET
@event_view(None)
def device(request: HttpRequest, event: Event) -> HttpResponse:
    """The gate page of a gate device: no personal account; it asks once for the device's API token
    (kept in the browser) and holds no data of its own."""
    response = render(
        request,
        "gates/scan.html",
        {"event": event, "config": _config(request, event, mode="device"), "device_mode": True},
    )
    return _camera_allowed(response)


@require_GET
@event_view(None)
def service_worker(request: HttpRequest, event: Event) -> HttpResponse:
    """The gate pages' service worker: keeps the page shell and its files for use without network."""
    config = {
        "cacheName": f"majlis-{CACHE_VERSION}",
        "assets": [static(name) for name in ASSETS],
        "pages": [
            reverse("gates:scan", kwargs={"event": event.slug}),
            reverse("gates:device", kwargs={"event": event.slug}),
        ],
    }
    body = render(request, "gates/service-worker.js", {"config_json": json.dumps(config)}).content
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@event_view(None)
def manifest(request: HttpRequest, event: Event) -> HttpResponse:
    """The web app manifest: the gate page installs on a phone or tablet's home screen."""
    name = "device" if request.GET.get("device") else "scan"
    start = reverse(f"gates:{name}", kwargs={"event": event.slug})
    body = {
        "name": f"{_('Gate')} · {event.short_title or event.title}",
        "short_name": _("Gate"),
        "start_url": start,
        "scope": start.rsplit(f"{name}/", 1)[0],
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#13294b",
        "icons": [{"src": static("majlis/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")
