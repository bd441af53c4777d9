"""The kiosk journey in a real Chromium: pick a service, tick the requirements, take a ticket, reserve two products."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kiosk_ticket_then_reserve_two_products(page, live_server, officer, ktp, counter, shelf):
    from catalog.selectors import reservations_active_for_visit
    from services_desk.models import HelpAlert, QueueTicket

    keripik, sambal = shelf
    # the café's staff signs the kiosk in once
    page.set_viewport_size({"width": 1080, "height": 1920})  # a portrait touch screen
    page.goto(f"{live_server.url}/akun/login/?next=/layanan/anjungan/GLR/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "gemilang123")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/layanan/anjungan/GLR/")
    assert page.locator("html").get_attribute("lang") == "id"

    # a citizen searches with their own words and picks the service
    page.fill("#kq", "ktp hilang")
    page.locator(".kiosk-search button").click()
    page.locator(".kiosk-tile", has_text="KTP-el").click()
    boxes = page.locator("input.requirement")
    assert boxes.count() == 2
    assert page.locator(".requirements-hint").is_hidden()
    boxes.nth(0).check()
    assert page.locator(".requirements-hint").is_visible()  # one missing: the kiosk says they may still come
    boxes.nth(1).check()
    assert page.locator("#take-ticket").bounding_box()["height"] >= 64  # a large touch target
    page.locator("#take-ticket").click()

    # the ticket: number, wait and the visit code
    assert page.locator("#ticket-number").inner_text() == "A-001"
    ticket = QueueTicket.objects.get()
    assert page.locator("#visit-code").inner_text() == ticket.visit.code

    # asking for help alerts the staff
    page.locator(".kiosk-help").click()
    page.locator(".kiosk-help-status").filter(has_text=" ").wait_for()
    assert HelpAlert.objects.filter(acknowledged_at__isnull=True).count() == 1

    # reserve two products for pickup at the cashier
    page.fill(f"#qty_{keripik.pk}", "2")
    page.fill(f"#qty_{sambal.pk}", "1")
    page.locator("#reserve-submit").click()
    page.locator("#reserved").wait_for()
    held = {
        line.variant_id: line.quantity for r in reservations_active_for_visit(ticket.visit) for line in r.lines.all()
    }
    assert held == {keripik.pk: 2, sambal.pk: 1}
