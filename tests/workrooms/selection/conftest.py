import pytest

from tests.workrooms.selection.factories import JoinRequestFactory


@pytest.fixture
def join_request(workroom, teacher):
    """李堃 (same school as the host) asks to join 王喆's workroom."""
    return JoinRequestFactory(workroom=workroom, teacher=teacher)
