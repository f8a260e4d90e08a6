"""Rendering: the report of a detect output folder as HTML, Markdown or JSON.

``build.build_report`` turns the folder's tables into one dict; ``html``, ``markdown`` and
``jsonout`` lay it out.  Charts are matplotlib SVG, inlined (``charts``).
"""
