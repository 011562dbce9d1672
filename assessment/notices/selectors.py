"""Reads of the 公示 of member grades and workroom evaluations (DOMAIN.md §12)."""

from assessment.notices.kinds import MEMBERS, topic_of
from core.models import Publication


def members_published(*, workroom_id: int, school_year: int, semester: int) -> bool:
    """Whether a workroom's member grades of a semester stand published (a
    member then sees their own; the host may no longer change them)."""
    latest = Publication.objects.filter(
        content_type__model="workroom", content_type__app_label="workrooms", object_id=workroom_id,
        topic=topic_of(MEMBERS, school_year, semester),
    ).order_by("-round").first()
    return latest is not None and latest.stands
