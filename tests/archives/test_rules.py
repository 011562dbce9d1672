"""Who qualifies for which certificate (DOMAIN.md §10): table of cases."""

import pytest

from archives.rules import Candidate, qualifies


@pytest.mark.parametrize(
    "kind, workroom_status, role, membership_status, expected",
    [
        ("title", "completed", "host", "active", True),
        ("title", "completed", "host", "completed", True),
        ("title", "running", "host", "active", False),
        ("title", "completed", "member", "active", False),
        ("title", "revoked", "host", "active", False),
        ("training", "completed", "member", "active", True),
        ("training", "completed", "member", "completed", True),
        ("training", "completed", "member", "withdrawn", False),
        ("training", "completed", "member", "removed", False),
        ("training", "completed", "member", "pending_agreement", False),
        ("training", "final", "member", "active", False),
        ("training", "completed", "host", "active", False),
        ("honour", "running", "member", "active", True),
        ("honour", "running", "host", "active", True),
        ("honour", "completed", "member", "withdrawn", False),
        ("nonsense", "completed", "member", "active", False),
    ],
)
def test_it_decides_who_qualifies(kind, workroom_status, role, membership_status, expected):
    c = Candidate(kind=kind, workroom_status=workroom_status, role=role, membership_status=membership_status)
    assert qualifies(c) is expected
