"""The client's address (core.client.client_ip): one answer for login
lockout, rate limits and visitor messages."""

import pytest
from django.test import RequestFactory

from core.client import UNKNOWN, client_ip


def request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    "hops, remote, forwarded, expected",
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        # without a proxy, a client's own X-Forwarded-For is ignored
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        (1, "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        # the proxy appends the address it saw; what the client wrote before it is not believed
        (1, "10.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        # fewer entries than proxies: the request did not come through them
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),
        (1, "10.0.0.1", "", "10.0.0.1"),
        (1, "10.0.0.1", "not-an-address", UNKNOWN),
        (1, "10.0.0.1", " 2001:db8::1 ", "2001:db8::1"),
        (0, "", None, UNKNOWN),
    ],
)
def test_it_takes_the_address_the_nearest_trusted_proxy_saw(settings, hops, remote, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_ip(request(remote, forwarded)) == expected


def test_every_part_of_the_site_uses_it(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.client.client_ip"
    assert settings.RATELIMIT_IP_META_KEY == "core.client.client_ip"
