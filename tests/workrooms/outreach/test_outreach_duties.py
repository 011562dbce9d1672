"""Outreach counts in the workroom's duties (DOMAIN.md §6): a cross-workroom
exchange is an exchange, a lecture or training given to another school is a
host lecture."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from workrooms.activities.selectors import workroom_progress
from workrooms.models import OutreachRecord
from workrooms.outreach.showcase import outreach_record_save


def done(workroom, label):
    return next(d.done for d in workroom_progress(workroom).workroom_duties if d.label == label)


def record(workroom, host, kind, day=None):
    return outreach_record_save(
        record=OutreachRecord(workroom=workroom, kind=kind, date=day or timezone.localdate(), audience="城东中学班主任",
                              topic="班级管理专题", hours=Decimal("2")),
        actor=host,
    )


def test_it_counts_a_recorded_exchange_toward_the_exchange_duty(client, workroom, host):
    assert done(workroom, "跨工作室交流") == 0
    record(workroom, host, OutreachRecord.Kind.EXCHANGE)
    assert done(workroom, "跨工作室交流") == 1
    assert done(workroom, "主持人讲座") == 0
    client.force_login(host)
    progress = client.get(reverse("workrooms:duty_progress", args=[workroom.pk])).context["progress"]
    assert next(d for d in progress.workroom_duties if d.label == "跨工作室交流").met


def test_it_counts_lectures_and_trainings_given_toward_the_host_lectures(workroom, host):
    record(workroom, host, OutreachRecord.Kind.LECTURE)
    record(workroom, host, OutreachRecord.Kind.TRAINING)
    assert done(workroom, "主持人讲座") == 2
    assert done(workroom, "跨工作室交流") == 0


def test_it_leaves_out_outreach_of_an_earlier_school_year(workroom, host):
    record(workroom, host, OutreachRecord.Kind.EXCHANGE, day=timezone.localdate() - timedelta(days=400))
    record(workroom, host, OutreachRecord.Kind.LECTURE, day=timezone.localdate() - timedelta(days=400))
    assert done(workroom, "跨工作室交流") == 0
    assert done(workroom, "主持人讲座") == 0
