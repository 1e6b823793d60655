"""Generated SVG monograms standing in for organisations' logos.

Real emblems are protected (the UN emblem, for one, may not be used without permission), so the
demo never draws them: each organisation gets a plain circle or rounded square in its own colour
with its acronym in white. The SVG has a <title> for screen readers and no scripts.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

SIZE = 120


def _font_size(text: str) -> int:
    longest = max((len(word) for word in text.split()), default=1)
    lines = len(text.split()) or 1
    by_width = int(150 / max(longest, 1))
    by_height = int(70 / lines)
    return max(12, min(40, by_width, by_height))


def monogram(acronym: str, name: str, colour: str, shape: str = "circle") -> bytes:
    """An SVG monogram: ``acronym`` (split on spaces into lines) on a ``shape`` filled with ``colour``."""
    words = acronym.split() or [acronym]
    size = _font_size(acronym)
    line_height = size * 1.1
    first_y = SIZE / 2 - (len(words) - 1) * line_height / 2
    if shape == "square":
        background = f'<rect x="4" y="4" width="112" height="112" rx="18" fill={quoteattr(colour)}/>'
    else:
        background = f'<circle cx="60" cy="60" r="56" fill={quoteattr(colour)}/>'
    lines = "".join(
        f'<text x="60" y="{first_y + i * line_height:.1f}" dy="0.35em">{escape(word)}</text>'
        for i, word in enumerate(words)
    )
    label = escape(f"{acronym} — {name} (monogram)")
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" '
        'role="img" aria-labelledby="title">'
        f'<title id="title">{label}</title>'
        f"{background}"
        f'<g fill="#ffffff" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-weight="bold" '
        f'font-size="{size}" text-anchor="middle">{lines}</g>'
        "</svg>\n"
    )
    return svg.encode("utf-8")
