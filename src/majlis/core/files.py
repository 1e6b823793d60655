"""Serving files: one Content-Disposition header for every download, whatever script the name is in."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote


def content_disposition(filename: str, disposition: str = "inline") -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and the exact UTF-8 name in ``filename*``."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""

    def ascii_part(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return "".join(c if c.isalnum() or c in "-_" else "_" for c in text).strip("_")

    ascii_name = ascii_part(stem) or "document"
    if ascii_part(extension):
        ascii_name += "." + ascii_part(extension)
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
