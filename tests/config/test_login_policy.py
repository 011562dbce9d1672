"""The login policy (config.login, README「登录保护」): 5 wrong passwords lock
a username from one address only; at most LOGIN_FAILURES_PER_USERNAME wrong
passwords an hour for one username over all addresses, except from
addresses it signed in from before."""

import pytest
from django.test import Client

from config.login import LIMITED_MESSAGE

LOGIN = "/accounts/login/"
PASSWORD = "test-pass-123"


@pytest.fixture
def username(teacher):
    return teacher.user.username


def attempt(username, password, **meta):
    """One login attempt from a fresh browser; the response and whether it signed in."""
    client = Client(**meta)
    r = client.post(LOGIN, {"username": username, "password": password})
    return r, "_auth_user_id" in client.session


def test_it_locks_a_username_from_the_address_that_failed_only(username, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(username, "wrong", REMOTE_ADDR="198.51.100.9")
    r, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert not signed_in and "暂时锁定" in r.content.decode()
    r, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="203.0.113.20")
    assert signed_in


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_another(username, settings):
    # Every request reaches the app from the proxy (10.0.0.1); the proxy
    # appends the visitor's address to X-Forwarded-For.
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        attempt(username, "wrong", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    r, signed_in = attempt(username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert not signed_in and "暂时锁定" in r.content.decode()
    # a forged entry before the proxy's does not escape the lock
    _, signed_in = attempt(username, PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9", **proxy)
    assert not signed_in
    # the real teacher, elsewhere, behind the same proxy
    _, signed_in = attempt(username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.20", **proxy)
    assert signed_in


def test_guesses_spread_over_many_addresses_stop_at_the_per_account_limit(username, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 10
    # 50 guesses from 10 addresses, 5 from each (just at the per-address lock)
    for n in range(10):
        for _ in range(5):
            attempt(username, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}")
    r, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="198.51.100.77")
    assert not signed_in
    assert LIMITED_MESSAGE in r.content.decode()
    assert username in r.content.decode()  # the form keeps what was typed


def test_the_per_account_limit_allows_exactly_its_number_of_guesses(username, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 4
    for n in range(3):
        attempt(username, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}")
    _, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="198.51.100.50")
    assert signed_in  # three failures: still under the limit
    attempt(username, "wrong", REMOTE_ADDR="198.51.100.4")  # the fourth
    _, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="198.51.100.51")
    assert not signed_in


def test_the_teacher_still_gets_in_from_an_address_used_before(username, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    _, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="203.0.113.20")  # at school, last week
    assert signed_in
    for n in range(6):
        attempt(username, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}")
    _, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="198.51.100.200")
    assert not signed_in
    _, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="203.0.113.20")
    assert signed_in


def test_one_address_cannot_use_up_the_accounts_allowance(username, settings):
    # Attempts refused by the per-address lock are not counted per account.
    settings.LOGIN_FAILURES_PER_USERNAME = settings.AXES_FAILURE_LIMIT + 1
    for _ in range(30):
        attempt(username, "wrong", REMOTE_ADDR="198.51.100.9")
    _, signed_in = attempt(username, PASSWORD, REMOTE_ADDR="203.0.113.20")
    assert signed_in


def test_the_limit_of_one_account_leaves_the_others_alone(username, settings, member):
    settings.LOGIN_FAILURES_PER_USERNAME = 2
    for n in range(3):
        attempt(username, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}")
    _, signed_in = attempt(member.username, PASSWORD, REMOTE_ADDR="198.51.100.60")
    assert signed_in
