"""Building roster workbooks for the import tests."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from members.roster.services import HEADERS


def roster_row(staff_no, name, *, school="示范中学", department="高一年级部", gender="女", title="中级",
               birth=date(1985, 3, 2), head="是", since=date(2012, 9, 1), klass="高一（1）班",
               phone="13800000000", email="t@example.com"):
    return [staff_no, name, gender, school, department, title, birth, head, since, klass, phone, email]


def xlsx_bytes(rows, *, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name="名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
