"""Caps on a workroom's places (DOMAIN.md §3 size, §5 two-way selection).

Pure functions: the counts at the moment of acceptance and the school's
rules in, a list of refusal messages (Chinese, for the user) out. An empty
list means the host may accept. ``workrooms.selection.selectors.place_facts`` does the
one query that feeds them; ``workrooms.selection.services.join_request_accept`` calls
them under a lock on the workroom and the teacher."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class CapRules:
    max_members: int
    own_school_max_share: Decimal
    max_active_memberships: int

    @classmethod
    def from_ruleset(cls, rs) -> "CapRules":
        return cls(rs.max_members, Decimal(rs.own_school_max_share), rs.max_active_memberships)


@dataclass(frozen=True)
class PlaceFacts:
    """Counts as of now; a membership is current while pending agreement or active."""

    members_now: int  # current memberships of role member in the workroom
    own_school_now: int  # of those, members from the host's own school
    candidate_from_own_school: bool
    candidate_memberships_now: int  # the candidate's current memberships, any role, any workroom


def own_school_cap(max_members: int, share: Decimal) -> int:
    """Most members the workroom may take from the host's own school
    (DOMAIN.md §3: at most 20% of the workroom; source 000: "at most 2").

    The share applies to the member cap and is rounded down, since "at most
    20%" must not be exceeded: 12 × 20% = 2.4 → 2, 10 × 30% = 3, 4 × 20% → 0."""
    return int((Decimal(max_members) * Decimal(share)).to_integral_value(rounding=ROUND_FLOOR))


def own_school_rule_text(rules: CapRules) -> str:
    """The own-school rule in words, as the pages show it."""
    percent = (rules.own_school_max_share * 100).normalize()
    cap = own_school_cap(rules.max_members, rules.own_school_max_share)
    return (
        f"本校成员不超过成员上限的 {percent:f}%（{rules.max_members} × {percent:f}% 向下取整），即最多 {cap} 人。"
    )


def cap_refusals(facts: PlaceFacts, rules: CapRules) -> list[str]:
    """Why accepting one more member would break a cap (DOMAIN.md §3, §5):
    members per workroom, share from the host's own school, and the number of
    workrooms a teacher may belong to at once. Empty when acceptance is allowed."""
    refusals = []
    if facts.members_now + 1 > rules.max_members:
        refusals.append(f"工作室成员已满：上限 {rules.max_members} 人，目前已有 {facts.members_now} 人。")
    if facts.candidate_from_own_school:
        cap = own_school_cap(rules.max_members, rules.own_school_max_share)
        if facts.own_school_now + 1 > cap:
            refusals.append(
                f"本校成员名额已满：{own_school_rule_text(rules)}目前已有本校成员 {facts.own_school_now} 人。"
            )
    if facts.candidate_memberships_now + 1 > rules.max_active_memberships:
        refusals.append(
            f"该教师已在 {facts.candidate_memberships_now} 个工作室任职，"
            f"学校规定每位教师最多同时参加 {rules.max_active_memberships} 个工作室。"
        )
    return refusals
