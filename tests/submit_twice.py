"""Posting a create form twice, as a double click or a reload would."""

import re

from core.submit import ALREADY_SUBMITTED


def form_token(client, page_url: str) -> str:
    """The one-time token the form page renders (the first form's)."""
    page = client.get(page_url)
    assert page.status_code == 200
    match = re.search(r'name="form_once" value="([0-9a-f]{32})"', page.content.decode())
    assert match, "the form has no one-time token"
    return match.group(1)


def post_twice(client, page_url: str, post_url: str, make_data):
    """Posts the same form twice (``make_data`` builds the same data again,
    fresh upload objects included); returns both responses, the second
    followed to the page that says what happened."""
    token = form_token(client, page_url)
    first = client.post(post_url, make_data() | {"form_once": token})
    second = client.post(post_url, make_data() | {"form_once": token}, follow=True, HTTP_REFERER=page_url)
    return first, second


def assert_refused_second(first, second):
    assert first.status_code == 302
    assert ALREADY_SUBMITTED in second.content.decode()
