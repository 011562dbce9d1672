"""Home-page sections for workrooms and host applications: what waits for
the signed-in user. Each section costs a bounded number of queries."""

from dataclasses import dataclass, field


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)  # (label, url, note)
    empty: str = "暂无待办事项。"
    more_url: str | None = None
    count: int | None = None


def sections(user) -> list[Section]:
    from .plans import inbox_sections

    return [*inbox_sections(user)]
