"""The demo conference: Tashkent, 3–4 March 2022, as announced in the press release of 21 February 2022.

``loader.load()`` creates it; ``majlis demo`` runs it. The texts are in ``content`` (and ``pdfs`` for
the background documents); ``logos`` draws SVG monograms; ``users`` lists the demo accounts.
"""
