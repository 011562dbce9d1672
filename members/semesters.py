"""School semesters as a pure function of the date (DOMAIN.md §6, §7).

The autumn semester runs from 1 September to 31 January, the spring
semester from 1 February to 31 August; both belong to the school year that
starts in September ("2026-2027学年第一学期" / "第二学期")."""

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^(\d{4})-(\d{4})学年第([一二])学期$")


@dataclass(frozen=True, order=True)
class Semester:
    year: int  # the school year starts in September of this year
    term: int  # 1 = autumn (第一学期), 2 = spring (第二学期)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.year + 1}学年第{'一' if self.term == 1 else '二'}学期"

    @property
    def start(self) -> date:
        return date(self.year, 9, 1) if self.term == 1 else date(self.year + 1, 2, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 1, 31) if self.term == 1 else date(self.year + 1, 8, 31)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> "Semester":
        return Semester(self.year, 1) if self.term == 2 else Semester(self.year - 1, 2)

    def __str__(self) -> str:
        return self.label


def semester_of(day: date) -> Semester:
    """The semester a day belongs to."""
    if day.month >= 9:
        return Semester(day.year, 1)
    if day.month == 1:
        return Semester(day.year - 1, 1)
    return Semester(day.year - 1, 2)


def parse_semester(label: str) -> Semester | None:
    """The semester named by its label, or None for anything else."""
    match = _LABEL.match((label or "").strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        return None
    return Semester(int(match[1]), 1 if match[3] == "一" else 2)


def recent_semesters(day: date, count: int = 6) -> list[Semester]:
    """The semester of ``day`` and the ones before it, newest first."""
    semesters = [semester_of(day)]
    while len(semesters) < count:
        semesters.append(semesters[-1].previous())
    return semesters


def semester_choices(day: date, count: int = 6) -> list[tuple[str, str]]:
    return [(s.label, s.label) for s in recent_semesters(day, count)]
