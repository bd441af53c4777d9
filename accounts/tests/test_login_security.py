"""Brute-force protection: failures of one account from one address lock that pair out for a while."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

TOKEN_CREATE = """mutation($u: String!, $p: String!) { tokenCreate(username: $u, password: $p) {
  token errors { field code message } } }"""


def _login(client, username, password, ip="198.51.100.7"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, follow=True
    )


@pytest.mark.django_db
def test_five_failures_lock_the_login_page_for_that_account_and_address(client, cashier):
    from axes.models import AccessAttempt

    for _ in range(4):
        assert "benar" in _login(client, "kasir", "salah").content.decode()  # wrong password, said plainly
    assert "Terlalu banyak percobaan gagal" in _login(client, "kasir", "salah").content.decode()  # the 5th locks
    locked = _login(client, "kasir", "gemilang123")
    assert "Terlalu banyak percobaan gagal" in locked.content.decode() and "15 menit" in locked.content.decode()
    assert not locked.wsgi_request.user.is_authenticated
    # The same account from another address, and another account from this one, are not locked.
    assert _login(client, "kasir", "gemilang123", ip="203.0.113.9").wsgi_request.user.is_authenticated
    client.logout()
    # Once the lockout has passed, the right password works again.
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert _login(client, "kasir", "gemilang123").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_phone_in_any_spelling_is_one_account_for_token_create(gql, client, roles):
    from accounts.services.users import user_upsert

    user_upsert(username="siti", password="gemilang123", roles=["customer"], phone="081234567890", validate=False)
    spellings = ["081234567890", "+62 812-3456-7890", "6281234567890", "0812 3456 7890", "+6281234567890"]
    for n, spelling in enumerate(spellings, start=1):
        data = gql(TOKEN_CREATE, {"u": spelling, "p": "tebakan"})["data"]["tokenCreate"]
        assert data["errors"][0]["code"] == ("TOO_MANY_ATTEMPTS" if n == 5 else "INVALID_CREDENTIALS")
    data = gql(TOKEN_CREATE, {"u": "081234567890", "p": "gemilang123"})["data"]["tokenCreate"]
    assert data["token"] is None
    assert data["errors"][0]["code"] == "TOO_MANY_ATTEMPTS" and "15 menit" in data["errors"][0]["message"]


@pytest.mark.django_db
def test_a_successful_login_clears_the_failures(gql, cashier):
    for _round in range(2):
        for _ in range(4):
            assert gql(TOKEN_CREATE, {"u": "kasir", "p": "salah"})["data"]["tokenCreate"]["token"] is None
        assert gql(TOKEN_CREATE, {"u": "kasir", "p": "gemilang123"})["data"]["tokenCreate"]["token"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.5"),  # no proxy trusted: the socket's address, a forged header is ignored
        (1, "1.2.3.4", "1.2.3.4"),  # one proxy appended the client
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # what the client wrote itself is not trusted
        (2, "1.2.3.4, 10.0.0.9", "1.2.3.4"),  # load balancer then web server
        (2, "", "10.0.0.5"),  # the header is missing: the socket's address
    ],
)
def test_client_address_behind_trusted_proxies(rf, proxies, forwarded, expected):
    from accounts.login_security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected
