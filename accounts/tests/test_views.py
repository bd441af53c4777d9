"""Home, login, language switch and the menu shown to each role."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_lists_cafes_in_indonesian(client, outlet):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Galeri Gemilang" in body
    assert 'lang="id"' in body


@pytest.mark.django_db
def test_language_switch_to_english(client, outlet):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_login_with_username_and_with_phone(client, roles):
    from accounts.services.users import user_upsert

    user_upsert(username="siti", password="gemilang123", roles=["customer"], phone="081234567890", validate=False)
    response = client.post(reverse("accounts:login"), {"username": "0812-3456-7890", "password": "gemilang123"})
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "siti", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_admin_menu_only_for_regency_admin(client, cashier, admin_user):
    client.force_login(cashier)
    assert reverse("admin:index") not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get("/").content.decode()


@pytest.mark.django_db
def test_outlet_detail_and_unknown_outlet(client, outlet):
    assert client.get(reverse("accounts:outlet-detail", args=[outlet.slug])).status_code == 200
    assert client.get(reverse("accounts:outlet-detail", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_real_accounts_keep_password_validation(roles):
    from accounts.services.users import user_upsert
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        user_upsert(username="baru", password="123", roles=["cashier"])


@pytest.mark.django_db
def test_cafes_are_listed_gallery_first(client, outlet, other_outlet):
    body = client.get("/").content.decode()
    assert body.index("Galeri Gemilang") < body.index("Kafe Durenan")


@pytest.mark.django_db
def test_indonesian_even_for_an_english_browser(client, outlet):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_screens_are_translated(client, outlet):
    body = client.get("/").content.decode()
    assert "Cari kafe" in body and "Find a café" not in body
    client.cookies["django_language"] = "en"
    assert "Find a café" in client.get("/").content.decode()
