"""Reading the public page and its feed as an anonymous visitor, and pressing
a 公开 / 取消公开 button as a signed-in user."""

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.workrooms.outreach.test_showcase import page  # noqa: F401 - re-exported for the public-kind tests


def feed(client, workroom) -> str:
    r = client.get(reverse("showcase:feed", args=[workroom.pk]))
    assert r.status_code == 200
    return r.content.decode()


def press_publish(client, url: str, is_public: str = "1"):
    """POST the button; return where it leads and the messages it left."""
    r = client.post(url, {"is_public": is_public})
    assert r.status_code == 302
    return r.url, [str(m) for m in get_messages(r.wsgi_request)]
