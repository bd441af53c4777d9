import pytest

from commerce.payments import testing

midtrans_server = testing.midtrans_server


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Role users are created per test; a fast hasher keeps the permission matrices quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
