"""The UI shell in a real Chromium: log in with a phone number, switch language, see the role's menu."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_language_switch_and_phone_layout(page, live_server, roles, outlet):
    from accounts.services.users import user_upsert

    user_upsert(username="siti", password="gemilang123", roles=["customer"], phone="081234567890", validate=False)
    page.set_viewport_size({"width": 390, "height": 800})  # a phone
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_text("Galeri Gemilang").first.is_visible()

    page.goto(f"{live_server.url}/akun/login/")
    page.fill("#id_username", "0812 3456 7890")
    page.fill("#id_password", "gemilang123")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".account .who").inner_text().strip() == "siti"

    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
