"""The client's address: the one answer every part of the site uses (login
lockout, rate limits, visitor messages).

Behind ``TRUSTED_PROXY_HOPS`` reverse proxies the address is the entry the
nearest trusted proxy appended to X-Forwarded-For, counted from the right, so
an entry the client wrote itself is never believed. Without proxies it is
REMOTE_ADDR. Anything that is not an IP address gives ``UNKNOWN``."""

import ipaddress

from django.conf import settings

UNKNOWN = "0.0.0.0"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client that sent ``request`` (see the module
    docstring); used as AXES_CLIENT_IP_CALLABLE and RATELIMIT_IP_META_KEY."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return _valid(forwarded[-hops]) or UNKNOWN
        # Fewer entries than proxies: the request did not come through them all.
    return _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
