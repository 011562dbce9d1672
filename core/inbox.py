"""A home-page section: what waits for the signed-in user, with a link to the full list."""

from dataclasses import dataclass, field


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)  # (label, url, note)
    empty: str = "暂无待办事项。"
    more_url: str | None = None
    count: int | None = None
