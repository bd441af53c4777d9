"""Shelf labels: the price and a scannable barcode (python-barcode, SVG) for each variant."""

from __future__ import annotations

from barcode import EAN13, Code128
from barcode.writer import SVGWriter


def label_barcode_svg(variant) -> str:
    """Return an inline SVG: the EAN-13 when the variant has one, else a Code 128 of its short internal code."""
    options = {"module_height": 10.0, "font_size": 8, "text_distance": 3.0, "quiet_zone": 2.0}
    if variant.barcode:
        code = EAN13(variant.barcode[:12], writer=SVGWriter())
    else:
        code = Code128(variant.internal_code, writer=SVGWriter())
    svg = code.render(writer_options=options).decode("utf-8")
    return svg[svg.find("<svg") :]  # drop the XML prolog and doctype for inline use
