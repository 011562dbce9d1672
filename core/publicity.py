"""公示 (DOMAIN.md §12): the one mechanism through which every result that
decides money or honours is published. A publication is a window of days
(a school setting) in which the list is shown to the staff concerned and
objections are taken; the result becomes final only after the window has
ended and every objection is answered; an upheld objection lets the office
reopen it with a reason, correct it and publish it again (the next round).

The owning app keeps its own status and objections; it asks here when the
window is, whether an objection is still accepted and whether the result
may be made final, so that every kind of result answers the same way."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.calendar import school_today
from core.models import Publication


def _of(subject, topic: str = ""):
    return Publication.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, topic=topic
    )


def publications_of(subject, topic: str = "") -> list[Publication]:
    """Every round of 公示 of ``subject`` (and ``topic``), first first, with who acted."""
    return list(_of(subject, topic).select_related("published_by__teacher", "reopened_by__teacher", "finalized_by__teacher").order_by("round"))


def publication_current(subject, topic: str = "") -> Publication | None:
    """The latest round of 公示 of ``subject`` (None before the first)."""
    return _of(subject, topic).order_by("-round").first()


def notice_window(*, days: int, today: date) -> tuple[date, date]:
    """A window of ``days`` days that starts today: the last day is
    today + days − 1 (5 days published on the 1st run to the 5th)."""
    return today, today + timedelta(days=max(days, 1) - 1)


def publication_open(subject, *, actor, days: int, topic: str = "", title: str = "") -> Publication:
    """Publish ``subject`` (again): the next round, from today for ``days``.
    Refused while a round stands (it must be reopened first)."""
    latest = publication_current(subject, topic)
    if latest is not None and latest.stands:
        raise ValidationError("已经公示，不能重复公示；如需更正，请先重新开放。")
    starts, ends = notice_window(days=days, today=school_today())
    return Publication.objects.create(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, topic=topic, title=title,
        round=(latest.round + 1) if latest else 1, starts_on=starts, ends_on=ends,
        published_by=actor, published_at=timezone.now(),
    )


def publication_finalize(publication: Publication, *, actor, open_objections: int) -> Publication:
    """定稿 (§12): refused, unchanged, before the window ends or while an
    objection waits for its answer."""
    if publication.finalized_at is not None:
        raise ValidationError("已经定稿。")
    if not publication.stands:
        raise ValidationError("已重新开放更正，请重新公示。")
    refusal = final_refusal(publication, open_objections=open_objections)
    if refusal:
        raise ValidationError(refusal)
    publication.finalized_by, publication.finalized_at = actor, timezone.now()
    publication.save(update_fields=["finalized_by", "finalized_at"])
    return publication


def publication_reopen(subject, *, actor, reason: str, topic: str = "") -> Publication | None:
    """The office takes the current round back to correct it; who, when and
    why are kept with the round."""
    latest = publication_current(subject, topic)
    if latest is None or latest.reopened_at is not None:
        return latest
    latest.reopened_by, latest.reopened_at, latest.reopen_reason = actor, timezone.now(), reason.strip()
    latest.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
    return latest


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def objection_refusal(publication: Publication | None, *, today: date | None = None) -> str:
    """Why an objection is not accepted now ("" when it is): only inside
    the window of a round that stands."""
    today = today or school_today()
    if publication is None:
        return "尚未公示，不能提出异议。"
    if publication.reopened_at is not None:
        return "结果已重新开放更正，请在重新公示后提出异议。"
    if publication.finalized_at is not None:
        return "结果已定稿，不再受理异议。"
    if today < publication.starts_on:
        return f"公示自{_day(publication.starts_on)}开始，届时才能提出异议。"
    if today > publication.ends_on:
        return f"公示期已于{_day(publication.ends_on)}结束，不再受理异议。"
    return ""


def final_refusal(publication: Publication | None, *, open_objections: int, today: date | None = None) -> str:
    """Why the result cannot be made final now ("" when it can): not
    before the window has ended, not while an objection is unanswered."""
    today = today or school_today()
    if publication is None:
        return "尚未公示，不能定稿。"
    if today <= publication.ends_on:
        return f"公示期至{_day(publication.ends_on)}结束，公示期满后才能定稿。"
    if open_objections:
        return f"还有 {open_objections} 条异议未答复，答复后才能定稿。"
    return ""
