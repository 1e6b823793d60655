"""The client's real address, and counters shared by every worker process.

``client_address(request)``: behind a reverse proxy every request arrives from the proxy, so
``REMOTE_ADDR`` alone would put every visitor in one bucket (one person could then use up a limit
for everybody). ``MAJLIS_TRUSTED_PROXIES`` lists the proxies (addresses or CIDR networks,
comma-separated; empty by default: nobody is trusted and ``REMOTE_ADDR`` is the client). When the
request comes from a trusted proxy, the client is the right-most address of ``X-Forwarded-For``
that is not itself a trusted proxy: the entries left of it were written by the client and prove
nothing. Values that are not IP addresses are ignored.

``Throttle``: a fixed-window counter in Django's cache (Redis in production, so that all worker
processes share it), counted with the cache's atomic ``add`` and ``incr``.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str | None) -> IPAddress | None:
    """An IP address from a header or ``REMOTE_ADDR`` value, or ``None`` if it is not one.

    Accepts ``[2001:db8::1]:443``, ``192.0.2.1:8080`` and zone-less IPv6; an IPv4-mapped IPv6
    address becomes the IPv4 address.
    """
    text = (value or "").strip().strip('"')
    if not text or len(text) > 100:
        return None
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(raw: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                continue  # not an address or a network: ignored (checks.py reports it)
    return tuple(networks)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    raw = getattr(settings, "MAJLIS_TRUSTED_PROXIES", ()) or ()
    if isinstance(raw, str):
        raw = (raw,)
    return _networks(tuple(raw))


def invalid_trusted_proxies() -> list[str]:
    """The entries of ``MAJLIS_TRUSTED_PROXIES`` that are neither an address nor a network."""
    raw = getattr(settings, "MAJLIS_TRUSTED_PROXIES", ()) or ()
    if isinstance(raw, str):
        raw = (raw,)
    invalid = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                invalid.append(part)
    return invalid


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the client that made ``request`` (see the module's description), or ``None``."""
    if request is None:
        return None
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for item in reversed(forwarded.split(",")):
        address = parse_address(item)
        if address is None:
            continue
        if not _is_trusted(address, networks):
            return str(address)
    # Only proxies in the chain (or none at all): the request came from the proxy itself.
    return str(remote)


def address_bucket(address: str | None) -> str:
    """The key a limit counts an address under: the address itself for IPv4, its /64 for IPv6
    (one subscriber usually holds a whole /64 and could otherwise change address at will)."""
    parsed = parse_address(address)
    if parsed is None:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((int(parsed) >> 64 << 64, 64)))
    return str(parsed)


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` events per ``window`` seconds per key, counted in the shared cache.

    The window starts with the first event counted under a key and lasts ``window`` seconds.
    """

    name: str
    limit: int
    window: int

    def _key(self, key: str) -> str:
        return f"majlis-throttle:{self.name}:{key}"

    def hit(self, key: str) -> int:
        """Count one event; returns the count in the current window (including this one)."""
        cache_key = self._key(key)
        if cache.add(cache_key, 1, timeout=self.window):
            cache.set(cache_key + ":start", time.time(), timeout=self.window)
            return 1
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # expired between add and incr: a new window begins
            cache.add(cache_key, 1, timeout=self.window)
            cache.set(cache_key + ":start", time.time(), timeout=self.window)
            return 1

    def count(self, key: str) -> int:
        value: Any = cache.get(self._key(key), 0)
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0

    def allow(self, key: str) -> bool:
        """Count one event and say whether it is within the limit."""
        return self.hit(key) <= self.limit

    def exceeded(self, key: str) -> bool:
        """Whether the limit is used up (without counting anything)."""
        return self.count(key) >= self.limit

    def seconds_left(self, key: str) -> int:
        """Seconds until the current window ends (the whole window if it cannot be told)."""
        start = cache.get(self._key(key) + ":start")
        if not isinstance(start, int | float):
            return self.window
        return max(1, int(start + self.window - time.time()) + 1)

    def reset(self, key: str) -> None:
        cache.delete_many([self._key(key), self._key(key) + ":start"])
