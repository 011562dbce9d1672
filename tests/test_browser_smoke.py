import pytest

pytestmark = pytest.mark.browser


def test_it_signs_in_through_the_browser(page, login, teacher):
    login(teacher.user)
    assert "您好，李堃" in page.content()
