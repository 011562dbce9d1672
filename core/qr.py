"""QR codes (qrcode library), drawn on the server as ``data:`` URIs so that
neither a page (Content-Security-Policy) nor a PDF needs a file or network."""

import base64
import io

import qrcode
from PIL import Image
from qrcode.image.svg import SvgPathFillImage


def _code(text: str, *, border: int) -> qrcode.QRCode:
    # A fixed mask pattern (any of the eight is valid) skips scoring all eight,
    # which is most of the time a QR code takes.
    qr = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    qr.add_data(text)
    return qr


def qr_png_data_uri(text: str) -> str:
    """A QR code as a PNG of one pixel per module, for print: the print
    stylesheet scales it up without smoothing (``image-rendering:
    pixelated``), so the printed code is as sharp as a large image while the
    PNG stays a few hundred bytes and costs nothing to draw or embed."""
    modules = _code(text, border=1).get_matrix()
    image = Image.new("1", (len(modules), len(modules)))
    image.putdata([0 if dark else 1 for row in modules for dark in row])
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG on white with the standard quiet zone, for a
    screen: sharp at any size, so a phone camera reads it from across a room."""
    svg = _code(text, border=4).make_image(image_factory=SvgPathFillImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
