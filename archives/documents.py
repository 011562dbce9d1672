"""What each PDF shows (the data), separate from how it is rendered
(``archives.pdf``). Each builder reads with a fixed number of queries."""

import base64
import io
from datetime import date

import qrcode
from django.conf import settings
from django.urls import reverse

from members.models import Membership, ProfileItem, Teacher
from workrooms.models import Workroom
from workrooms.workflow import history

from .models import Certificate


def date_cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def verify_url(serial: str) -> str:
    return settings.SITE_URL + reverse("archives:verify", args=[serial])


def qr_data_uri(text: str) -> str:
    """A QR code as a PNG ``data:`` URI, so the PDF needs no file or network."""
    # A fixed mask pattern (any of the eight is valid) skips scoring all eight,
    # which is most of the time a QR code takes.
    qr = qrcode.QRCode(border=1, box_size=6, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    qr.add_data(text)
    buf = io.BytesIO()
    qr.make_image().save(buf)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def certificate_text(cert: Certificate) -> str:
    """The body of each kind of certificate (DOMAIN.md §10)."""
    period = f"{date_cn(cert.period_start)}至{date_cn(cert.period_end)}"
    if cert.kind == Certificate.Kind.TITLE:
        return (
            f"在{cert.workroom_name}建设周期（{period}）内主持工作室工作，成绩显著，"
            "经考核合格，特授予「名班主任」称号。"
        )
    if cert.kind == Certificate.Kind.TRAINING:
        return f"于{period}参加{cert.workroom_name}研修培训，完成规定的研修任务，经考核合格，准予结业。特发此证。"
    return f"在{cert.workroom_name}{cert.issued_on.year}年度工作中表现突出，被评为「{cert.honour}」。特发此证，以资鼓励。"


def certificate_context(cert: Certificate) -> dict:
    url = verify_url(cert.serial)
    return {
        "cert": cert,
        "text": certificate_text(cert),
        "issued_on_cn": date_cn(cert.issued_on),
        "verify_url": url,
        "qr_data_uri": qr_data_uri(url),
    }


def workroom_report_context(workroom: Workroom, year: int) -> dict:
    """工作室年度报告: the workroom, its host, its people and what happened to
    it in ``year``. Further sections (activities, records, assessment) are
    added to ``sections`` as their data exists."""
    memberships = list(
        Membership.objects.filter(workroom=workroom)
        .select_related("teacher__department", "teacher__school")
        .order_by("role", "joined_on", "pk")
    )
    in_year = [
        m for m in memberships
        if m.joined_on.year <= year and (m.left_on is None or m.left_on.year >= year)
    ]
    labels = dict(Workroom.Status.choices)
    changes = [
        {"on": c.created_at, "from": labels.get(c.from_status, c.from_status), "to": labels.get(c.to_status, c.to_status),
         "comment": c.comment}
        for c in history(workroom)
        if c.created_at.year == year
    ]
    return {
        "workroom": workroom,
        "year": year,
        "host": workroom.host,
        "hosts": [m for m in in_year if m.role == Membership.Role.HOST],
        "members": [m for m in in_year if m.role == Membership.Role.MEMBER],
        "joined": [m for m in memberships if m.joined_on.year == year and m.role == Membership.Role.MEMBER],
        "left": [m for m in memberships if m.left_on and m.left_on.year == year],
        "changes": changes,
        "sections": [],
        "generated_on_cn": date_cn(date.today()),
    }


def handbook_context(teacher: Teacher) -> dict:
    """成长手册: a member's profile, workrooms and record items over time
    (DOMAIN.md §5). Activities and records join as chapters when they exist."""
    teacher = Teacher.objects.select_related("school", "department").get(pk=teacher.pk)
    memberships = list(
        Membership.objects.filter(teacher=teacher).select_related("workroom__host").order_by("joined_on", "pk")
    )
    items = list(ProfileItem.objects.filter(teacher=teacher).order_by("year", "kind", "pk"))
    by_year: dict[int, list[ProfileItem]] = {}
    for item in items:
        by_year.setdefault(item.year, []).append(item)
    certificates = list(Certificate.objects.valid().filter(recipient=teacher).order_by("issued_on", "pk"))
    return {
        "teacher": teacher,
        "memberships": memberships,
        "items_by_year": sorted(by_year.items()),
        "certificates": certificates,
        "chapters": [],
        "generated_on_cn": date_cn(date.today()),
    }
