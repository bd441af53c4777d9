"""The authentication backend reads a user's permissions in one query, with the same result as Django's."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.auth_backends import UsernameOrPhoneBackend
from accounts.models import User


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["cashier", "manager", "curator", "officer", "customer_user"])
def test_all_permissions_in_one_query_equal_djangos(request, name):
    user = request.getfixturevalue(name)
    # A permission given to the user directly, beside those of the role.
    user.user_permissions.add(Permission.objects.get(codename="reveal_nik"))
    ours = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        perms = UsernameOrPhoneBackend().get_all_permissions(ours)
        assert ours.has_perm("accounts.reveal_nik")  # answered from the cache
    assert len(ctx.captured_queries) == 1
    assert perms == ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    assert "accounts.reveal_nik" in perms


@pytest.mark.django_db
def test_inactive_and_superuser(cashier):
    cashier.is_active = False
    assert UsernameOrPhoneBackend().get_all_permissions(cashier) == set()
    superuser = User.objects.create_superuser(username="root", password="x-long-password-1")
    assert UsernameOrPhoneBackend().get_all_permissions(superuser) == ModelBackend().get_all_permissions(superuser)
