"""PDF rendering: two stages, restricted fetcher, embedded CJK font, debug HTML."""

import subprocess

import pytest

from core import pdf
from tests.conftest import pdftotext


def _pdf_with(body: str) -> str:
    html = pdf.render_html("pdf/base.html", {})
    return html.replace("<body>\n\n</body>", f"<body>{body}</body>")


def pdffonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def test_it_renders_rare_characters_with_the_embedded_font(tmp_path):
    out = tmp_path / "names.pdf"
    out.write_bytes(pdf.html_to_pdf(_pdf_with("<h1>成员名单</h1><p>王喆 李堃 张昇</p><p><b>粗体王喆</b></p>")))
    text = pdftotext(out)
    assert "成员名单" in text.replace(" ", "")
    for name in ("王喆", "李堃", "张昇"):
        assert name in text
    fonts = [line.split() for line in pdffonts(out).splitlines()[2:]]
    assert {row[0].split("+")[-1] for row in fonts} == {"WR-Serif-CJK", "WR-Serif-CJK-Bold"}
    assert all(row[-5] == "yes" for row in fonts), "every font is embedded"


def test_it_refuses_remote_and_private_files(settings):
    fetcher = pdf._fetcher_class()()
    for url in ("http://example.com/a.png", "https://example.com/a.css", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)


def test_it_allows_static_files_data_uris_and_the_font(settings):
    fetcher = pdf._fetcher_class()()
    assert fetcher.fetch(pdf.static_uri("js/app.js")).read()
    assert fetcher.fetch("data:text/plain;base64,5L2g5aW9").read().decode() == "你好"
    assert fetcher.fetch(pdf.font_context()["pdf_fonts"]["regular"]).read(4)


def test_it_returns_the_html_when_debugging(settings):
    settings.PDF_DEBUG_HTML = True
    doc = pdf.render_document("pdf/base.html", {})
    assert doc.content_type.startswith("text/html") and doc.extension == "html"
    assert b"@font-face" in doc.content
    settings.PDF_DEBUG_HTML = False
    doc = pdf.render_document("pdf/base.html", {})
    assert doc.content.startswith(b"%PDF") and doc.content_type == "application/pdf"
