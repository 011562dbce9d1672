"""PDF documents in two stages: a template renders to an HTML string, then
WeasyPrint turns the HTML into PDF bytes (DOMAIN.md §10).

Resources are fetched through a restricted fetcher: the project's static
files, the CJK font files named in ``settings.PDF_FONTS`` and ``data:`` URIs
(QR codes are embedded that way). Everything else, http(s) above all, is
refused, so a name typed by a user can never make the worker fetch a URL.
``settings.PDF_DEBUG_HTML`` (or ``debug=True``) returns the HTML instead of
the PDF, to look at a layout in a browser."""

import atexit
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

PDF_CONTENT_TYPE = "application/pdf"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


class RefusedURL(ValueError):
    pass


def _allowed_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _allowed_file(path: Path) -> bool:
    path = path.resolve()
    if str(path) in {str(Path(p).resolve()) for p in settings.PDF_FONTS.values()}:
        return True
    return any(path.is_relative_to(root) for root in _allowed_roots())


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class RestrictedURLFetcher(URLFetcher):
        """Only ``data:`` URIs, static files and the configured fonts."""

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path))
                if _allowed_file(path):
                    return super().fetch(url, headers)
            raise RefusedURL(f"资源地址不允许：{url[:80]}")

    return RestrictedURLFetcher


def static_uri(relative: str) -> str:
    """A ``file:`` URI for a static file, for use inside PDF templates."""
    found = finders.find(relative)
    if not found:
        raise FileNotFoundError(relative)
    return Path(found).resolve().as_uri()


def font_context() -> dict:
    return {"pdf_fonts": {weight: Path(path).as_uri() for weight, path in settings.PDF_FONTS.items()}}


def render_html(template_name: str, context: dict) -> str:
    """Stage one: the template with the print stylesheet and fonts."""
    return render_to_string(template_name, {**font_context(), **context})


# Loading a 20 MB CJK font collection costs more than laying out a page, so
# each process keeps one font configuration: the font is read once.
_local = threading.local()
# Dropped before the interpreter tears its modules down, which the font
# configuration's own clean-up would trip over.
atexit.register(lambda: setattr(_local, "font_config", None))


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_local, "font_config", None) is None:
        _local.font_config = FontConfiguration()
    return _local.font_config


def html_to_pdf(html: str) -> bytes:
    """Stage two: WeasyPrint, with the restricted fetcher."""
    from weasyprint import HTML

    fetcher = _fetcher_class()(timeout=5, allowed_protocols={"file", "data"})
    base = Path(settings.BASE_DIR, "static").resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(font_config=_font_config())


def warm_up() -> None:
    """Load WeasyPrint and the CJK fonts once, so that a worker process's
    first document costs what every later one does (a second or so less)."""
    html_to_pdf(render_html("pdf/warm_up.html", {}))


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    extension: str


def render_document(template_name: str, context: dict, *, debug: bool | None = None) -> Rendered:
    """Template → PDF; the HTML itself when debugging layouts."""
    html = render_html(template_name, context)
    if settings.PDF_DEBUG_HTML if debug is None else debug:
        return Rendered(html.encode(), HTML_CONTENT_TYPE, "html")
    return Rendered(html_to_pdf(html), PDF_CONTENT_TYPE, "pdf")


def document_response(template_name: str, context: dict, *, filename: str) -> HttpResponse:
    """A small document (a form to print, sign and file) rendered in the
    request and downloaded as ``filename``.pdf; callers check permission
    first. Larger documents go through a background job."""
    rendered = render_document(template_name, context)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{rendered.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
