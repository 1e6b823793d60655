"""The gate page's offline verifier (gates/static/gates/verify.js), run in Chromium against codes made
by badges/tokens.py: the same reasons as the server, in the same order, with WebCrypto's Ed25519 and
with the vendored @noble/ed25519 fallback."""

from __future__ import annotations

import base64
import json
import time

import pytest

from majlis.badges import tokens
from tests.browser.conftest import assert_accessible
from tests.factories import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = 7
NOW = int(time.time())


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def flip(code: str, position: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))
    raw[position] ^= 0x01
    return b64(bytes(raw))


@pytest.fixture(scope="module")
def vectors() -> dict[str, object]:
    private, public = tokens.new_key_pair()
    other_private, other_public = tokens.new_key_pair()
    key_id = tokens.key_id_for(public)

    def code(badge: int, revision: int = 1, *, event: int = EVENT, start: int = -3600, end: int = 86400, **kw) -> str:
        claims = tokens.Claims(
            key_id=kw.get("key_id", key_id),
            event_id=event,
            badge_id=badge,
            revision=revision,
            valid_from=NOW + start,
            valid_until=NOW + end,
        )
        return tokens.sign(claims, kw.get("private", private))

    valid = code(12, 2)
    unsupported = bytearray(base64.urlsafe_b64decode(valid + "="))
    unsupported[0] = 2
    cases = [
        ("valid", {"code": valid}, {}, "accepted", ""),
        ("altered badge id", {"code": flip(valid, 10)}, {}, "refused", "forged"),
        ("altered signature start", {"code": flip(valid, 30)}, {}, "refused", "forged"),
        ("altered signature end", {"code": flip(valid, 86)}, {}, "refused", "forged"),
        ("altered validity", {"code": flip(valid, 20)}, {}, "refused", "forged"),
        (
            "other key",
            {"code": code(12, 2, private=other_private, key_id=tokens.key_id_for(other_public))},
            {},
            "refused",
            "unknown_key",
        ),
        ("other key, this key's id", {"code": code(12, 2, private=other_private)}, {}, "refused", "forged"),
        ("other event", {"code": code(12, 2, event=8)}, {}, "refused", "other_event"),
        ("not yet valid", {"code": code(12, 2, start=3600)}, {}, "refused", "not_yet_valid"),
        ("expired", {"code": code(12, 2, start=-7200, end=-1)}, {}, "refused", "expired"),
        ("revoked", {"code": code(13)}, {}, "refused", "revoked"),
        ("superseded", {"code": code(12, 1)}, {}, "refused", "superseded"),
        ("not on the zone's list", {"code": code(99)}, {}, "refused", "category"),
        ("category not allowed", {"code": code(14)}, {}, "refused", "category"),
        ("truncated", {"code": valid[:-8]}, {}, "refused", "truncated"),
        ("one character too many", {"code": valid + "A"}, {}, "refused", "truncated"),
        ("not a badge", {"code": "https://example.org/"}, {}, "refused", "malformed"),
        ("empty", {"code": "  "}, {}, "refused", "malformed"),
        ("unsupported version", {"code": b64(bytes(unsupported))}, {}, "refused", "unsupported_version"),
        ("scanner line end", {"code": valid + "\r\n"}, {}, "accepted", ""),
        ("entered before", {"code": valid}, {"entered": [12]}, "refused", "already_entered"),
        ("exit after entering", {"code": valid}, {"entered": [12], "direction": "exit"}, "accepted", ""),
        ("closed today", {"code": valid}, {"openDays": ["2000-01-01"]}, "refused", "closed_day"),
        ("manual admission", {"badge": 12}, {}, "accepted", ""),
        ("manual admission, revoked", {"badge": 13}, {}, "refused", "revoked"),
    ]
    package = {
        "event": EVENT,
        "zone": {
            "id": 1,
            "name": "Hall",
            "entry_once": True,
            "exit_scanning": True,
            "open_days": [],
            "category_ids": [3],
        },
        "keys": [{"key_id": key_id, "public_key": b64(public)}],
        "revoked": [13],
        "badges": [
            {
                "id": 12,
                "revision": 2,
                "number": "0012-2",
                "name": "Dilnoza KARIMOVA",
                "name_native": "Дилноза",
                "category_id": 3,
                "category": "Expert",
                "colour": "#1a4f8b",
            },
            {
                "id": 14,
                "revision": 1,
                "number": "0014",
                "name": "Ming CHEN",
                "name_native": "陈明",
                "category_id": 4,
                "category": "Media",
                "colour": "#6d4c41",
            },
        ],
        "expires_at": "2100-01-01T00:00:00+00:00",
        "generated_at": "2026-01-01T00:00:00+00:00",
    }
    return {"package": package, "cases": cases}


def python_reason(text: str, package: dict) -> str:
    """What the server's token checks say about a code (tokens.parse, then key, signature, event)."""
    try:
        parsed = tokens.parse(text)
    except tokens.TokenError as error:
        return error.refusal.value
    keys = {key["key_id"]: base64.urlsafe_b64decode(key["public_key"] + "=") for key in package["keys"]}
    if parsed.claims.key_id not in keys:
        return "unknown_key"
    if not parsed.signature_valid(keys[parsed.claims.key_id]):
        return "forged"
    if parsed.claims.event_id != package["event"]:
        return "other_event"
    return ""


RUN = """async ([pkg, cases, forceNoble]) => {
    const config = JSON.parse(document.getElementById('gate-config').textContent);
    const out = [];
    for (const [name, input, extra, result, reason] of cases) {
        const copy = JSON.parse(JSON.stringify(pkg));
        if (extra.openDays) copy.zone.open_days = extra.openDays;
        const state = await MajlisGateVerify.prepare(copy, {
            timeZone: 'Asia/Tashkent',
            nobleUrl: config.assets['gates/vendor/noble-ed25519-3.2.0.js'],
            forceNoble,
        });
        const decision = await MajlisGateVerify.decide(state, input, {
            direction: extra.direction || 'entry',
            entered: new Set(extra.entered || []),
        });
        out.push([name, decision.result, decision.reason, decision.holder ? decision.holder.name : null,
                  !!state.keyring.noble]);
    }
    return out;
}"""


@pytest.mark.parametrize("force_noble", [False, True], ids=["webcrypto", "noble"])
def test_offline_verifier_gives_the_servers_reasons(page, live_server, vectors, force_noble):
    make_event(slug="verify-js", status="published")
    page.goto(f"{live_server.url}/en/verify-js/gates/device/")
    page.locator("#gate-token-panel").wait_for()
    if not force_noble:
        assert_accessible(page)
    package, cases = vectors["package"], vectors["cases"]
    outcomes = page.evaluate(RUN, [package, cases, force_noble])
    for (name, _input, _extra, result, reason), (_name, got_result, got_reason, holder, used_noble) in zip(
        cases, outcomes, strict=True
    ):
        assert (name, got_result, got_reason) == (name, result, reason)
        assert used_noble == force_noble
        if result == "accepted":
            assert holder == "Dilnoza KARIMOVA"
    # The token-level reasons are exactly those of badges/tokens.py.
    for (name, input_, _extra, _result, _reason), outcome in zip(cases, outcomes, strict=True):
        if "code" in input_:
            expected = python_reason(input_["code"], package)
            if expected:
                assert outcome[2] == expected, (name, json.dumps(input_))
