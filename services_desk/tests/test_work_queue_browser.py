"""The request queue's SLA countdown ticks in a real Chromium, with the browser's clock moved forward."""

import datetime
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sla_countdown_ticks_and_turns_overdue(page, live_server, officer, counter, citizen_request):
    from django.utils import timezone

    from services_desk.models import ServiceRequest

    now = timezone.now()
    ServiceRequest.objects.filter(pk=citizen_request.pk).update(due_at=now + datetime.timedelta(hours=1, minutes=5))
    page.clock.install(time=now)
    page.goto(f"{live_server.url}/akun/login/?next=/layanan/permohonan/antrean/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "gemilang123")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/layanan/permohonan/antrean/")
    row = page.locator("tr", has_text=citizen_request.reference)
    left = row.locator(".sla-left")
    assert left.inner_text() in ("1 jam 5 menit", "1 jam 4 menit")
    page.clock.run_for("30:00")  # half an hour later, without reloading
    assert left.inner_text() in ("35 menit", "34 menit")
    assert "overdue" not in (row.get_attribute("class") or "")
    page.clock.run_for("40:00")
    assert left.inner_text() == "Terlambat"
    assert "overdue" in row.get_attribute("class")
