"""gunicorn as ``majlis serve`` runs it: an access log without secrets, and no ``Server`` header.

``majlis serve`` passes ``--logger-class majlis.core.gunicorn_support.TokenSafeLogger``. gunicorn
imports this module in its master process, before it forks the workers, so the change to its
response headers below applies to every worker.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as gunicorn_wsgi

from majlis.core.logging_filters import redact_tokens


# gunicorn ships no type information, so its Logger is Any to mypy.
class TokenSafeLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger whose access-log fields (request line, path, query, referrer, headers)
    carry no log-in link or feed token."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


_original_default_headers = gunicorn_wsgi.Response.default_headers


def _default_headers_without_server(self: Any) -> list[str]:
    """gunicorn's own headers minus ``Server: gunicorn`` (no need to tell the software in use)."""
    return [line for line in _original_default_headers(self) if not line.lower().startswith("server:")]


if getattr(gunicorn_wsgi.Response.default_headers, "__name__", "") != "_default_headers_without_server":
    gunicorn_wsgi.Response.default_headers = _default_headers_without_server
