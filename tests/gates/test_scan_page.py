"""The gate page's server side: who may open it, what its scripts are given (no inline script, the
camera allowed on this page only), the service worker and the web app manifest."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from majlis.badges.tokens import Refusal
from majlis.gates.models import ZoneRefusal
from majlis.gates.services import refusal_message
from tests.factories import make_user
from tests.gates.gate_helpers import gate_setup

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


@pytest.fixture
def setup():
    return gate_setup()


def config_of(html: str) -> dict:
    match = re.search(r'<script id="gate-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no #gate-config data block"
    return json.loads(match.group(1))


def test_only_gate_officers_open_the_scan_page(client, setup):
    url = reverse("gates:scan", kwargs={"event": setup.event.slug})
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(make_user(username="someone"))
    assert client.get(url).status_code == 403


def test_scan_page_gives_its_script_zones_texts_and_the_camera(client, setup, django_assert_max_num_queries):
    client.force_login(setup.officer)
    url = reverse("gates:scan", kwargs={"event": setup.event.slug})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Scripts are files; the only script element with content is the JSON data block.
    for attributes, body in SCRIPT.findall(html):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert body.strip() == "" or 'type="application/json"' in attributes
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    config = config_of(html)
    assert config["mode"] == "officer" and config["event"] == setup.event.pk and config["csrf"]
    assert config["zones"] == [
        {
            "id": setup.zone.pk,
            "name": "Plenary hall",
            "kind": "plenary",
            "entry_once": False,
            "exit_scanning": False,
            "open_days": [],
            "gates": [{"id": setup.gate.pk, "name": "North entrance"}],
        }
    ]
    assert config["scope"] == f"/en/{setup.event.slug}/gates/"
    assert config["serviceWorker"].startswith(config["scope"])
    # The offline decisions show the server's own sentence for every reason.
    reasons = [refusal.value for refusal in Refusal] + list(ZoneRefusal.values)
    assert config["refusals"] == {reason: refusal_message(reason) for reason in reasons}
    assert all(config["refusals"].values())


def test_device_page_holds_no_data(client, setup):
    response = client.get(reverse("gates:device", kwargs={"event": setup.event.slug}))
    assert response.status_code == 200
    config = config_of(response.content.decode())
    assert config["mode"] == "device" and config["zones"] is None and config["csrf"] == ""
    html = response.content.decode()
    assert "Plenary hall" not in html and "Karimova" not in html


def test_service_worker_and_manifest(client, setup):
    slug = setup.event.slug
    response = client.get(reverse("gates:service-worker", kwargs={"event": slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript") and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});", body).group(1))
    assert "/static/gates/verify.js" in config["assets"] and "/static/gates/vendor/jsQR-1.4.0.js" in config["assets"]
    assert config["pages"] == [f"/en/{slug}/gates/scan/", f"/en/{slug}/gates/device/"]

    manifest = json.loads(client.get(reverse("gates:manifest", kwargs={"event": slug}) + "?device=1").content)
    assert manifest["start_url"] == f"/en/{slug}/gates/device/" and manifest["scope"] == f"/en/{slug}/gates/"
    assert manifest["display"] == "standalone" and manifest["icons"]


def test_scan_page_in_russian_and_uzbek(setup):
    client = Client()
    client.force_login(setup.officer)
    for language in ("ru", "uz"):
        response = client.get(f"/{language}/{setup.event.slug}/gates/scan/")
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()
        assert config_of(response.content.decode())["scope"] == f"/{language}/{setup.event.slug}/gates/"
