"""HTML pages: portal, kiosk, display board, counter, request queue, report — with permission matrices."""

import pytest
from django.urls import reverse

from accounts.models import Visit
from services_desk.models import HelpAlert, QueueTicket, ServiceRequest, TicketStatus

ROLES = ["anonymous", "customer_user", "admin_user", "manager", "cashier", "officer", "curator", "owner", "other_owner"]


def _login(client, request, role):
    client.logout()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.django_db
def test_public_portal_in_indonesian(client, ktp, listrik):
    page = client.get(reverse("services_desk:service-list"), {"q": "ktp"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "KTP-el" in body and "Pasang Baru Listrik" not in body and 'lang="id"' in body
    detail = client.get(reverse("services_desk:service-detail", args=["ktp-el"]))
    assert detail.status_code == 200 and "Kartu Keluarga" in detail.content.decode()
    assert client.get(reverse("services_desk:service-detail", args=["tidak-ada"])).status_code == 404


KIOSK_ALLOWED = {"officer", "manager", "admin_user"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_kiosk_pages_matrix(request, client, ktp, counter, role):
    _login(client, request, role)
    home = client.get(reverse("services_desk:kiosk", args=["GLR"]))
    take = client.post(reverse("services_desk:kiosk-service", args=["GLR", "ktp-el"]), {"priority": "regular"})
    help_ = client.post(reverse("services_desk:kiosk-help", args=["GLR"]))
    if role in KIOSK_ALLOWED:
        assert home.status_code == 200 and take.status_code == 302 and help_.status_code == 200
        assert QueueTicket.objects.count() == 1 and HelpAlert.objects.count() == 1
    else:
        assert home.status_code in (302, 403) and take.status_code in (302, 403) and help_.status_code in (302, 403)
        assert QueueTicket.objects.count() == 0 and HelpAlert.objects.count() == 0 and Visit.objects.count() == 0


@pytest.mark.django_db
def test_kiosk_ticket_page_shows_number_wait_and_products(client, officer, ktp, counter, shelf):
    client.force_login(officer)
    response = client.post(
        reverse("services_desk:kiosk-service", args=["GLR", "ktp-el"]),
        {"phone": "0812 3456 7890", "priority": "elderly"},
        follow=True,
    )
    body = response.content.decode()
    ticket = QueueTicket.objects.get()
    assert "A-001" in body and ticket.visit.code in body and "Keripik Tempe" in body
    assert ticket.priority == "elderly" and ticket.phone == "+6281234567890"
    keripik, sambal = shelf
    url = reverse("services_desk:kiosk-ticket", args=["GLR", ticket.pk])
    bad = client.post(url, {f"qty_{sambal.pk}": "9"})
    assert bad.status_code == 400
    ok = client.post(url, {f"qty_{keripik.pk}": "1", f"qty_{sambal.pk}": "2"}, follow=True)
    assert ok.status_code == 200 and 'id="reserved"' in ok.content.decode()


@pytest.mark.django_db
def test_kiosk_bad_phone_is_a_form_error(client, officer, ktp, counter):
    client.force_login(officer)
    response = client.post(
        reverse("services_desk:kiosk-service", args=["GLR", "ktp-el"]), {"phone": "12", "priority": "regular"}
    )
    assert response.status_code == 400 and QueueTicket.objects.count() == 0


@pytest.mark.django_db
def test_kiosk_of_another_cafe_is_not_found(client, officer, ktp, other_outlet):
    client.force_login(officer)
    assert client.get(reverse("services_desk:kiosk", args=[other_outlet.code])).status_code == 404


@pytest.mark.django_db
def test_board_is_public_live_and_without_personal_data(client, issue, ktp, counter, officer):
    from services_desk.services.queue import ticket_call_next

    issue(ktp, phone="081234567890")
    ticket_call_next(counter=counter, officer=officer)
    page = client.get(reverse("services_desk:board", args=["GLR"]))
    assert page.status_code == 200 and "A-001" in page.content.decode()
    data = client.get(reverse("services_desk:board-data", args=["GLR"])).json()
    assert data["serving"][0]["number"] == "A-001" and data["serving"][0]["counter"] == "Loket 1"
    assert "Loket 1" in data["serving"][0]["speech"] and "A 1" in data["serving"][0]["speech"]
    raw = client.get(reverse("services_desk:board-data", args=["GLR"])).content.decode()
    assert "81234567890" not in raw  # the phone in any spelling (a bare "0812" can be a time such as 00:08:12)
    assert client.get(reverse("services_desk:board", args=["XXX"])).status_code == 404


COUNTER_ALLOWED = {"officer", "admin_user"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_counter_screen_matrix(request, client, issue, ktp, counter, role):
    issue(ktp)
    _login(client, request, role)
    screen = client.get(reverse("services_desk:counter", args=[counter.pk]))
    call = client.post(reverse("services_desk:counter-action", args=[counter.pk]), {"action": "call"})
    ticket = QueueTicket.objects.get()
    if role in COUNTER_ALLOWED:
        assert screen.status_code == 200 and call.status_code == 302
        assert ticket.status == TicketStatus.CALLED
    else:
        assert screen.status_code in (302, 403, 404) and call.status_code in (302, 403, 404)
        assert ticket.status == TicketStatus.ISSUED


@pytest.mark.django_db
def test_counter_journey_and_visit_items(client, issue, ktp, listrik, counter, officer, shelf, pln_counter):
    from services_desk.services.reservations import ReserveLine, visit_reserve_products

    keripik, _ = shelf
    ticket = issue(ktp)
    visit_reserve_products(visit=ticket.visit, lines=[ReserveLine(keripik.pk, 1)])
    client.force_login(officer)
    action = reverse("services_desk:counter-action", args=[counter.pk])
    client.post(action, {"action": "call"})
    screen = client.get(reverse("services_desk:counter", args=[counter.pk])).content.decode()
    assert "A-001" in screen and ticket.visit.code in screen and "Keripik Tempe" in screen  # the visit's open items
    client.post(action, {"action": "recall", "ticket": ticket.pk})
    client.post(action, {"action": "start", "ticket": ticket.pk})
    client.post(action, {"action": "transfer", "ticket": ticket.pk, "service": listrik.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.TRANSFERRED and ticket.transferred_to.service_id == listrik.pk
    messages = [str(m) for m in client.get(reverse("services_desk:counter", args=[counter.pk])).context["messages"]]
    assert not any("error" in m for m in messages)
    response = client.post(action, {"action": "complete", "ticket": ticket.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_help_alert_seen_and_answered_at_the_counter(client, officer, counter, outlet):
    from services_desk.services.help_alerts import help_alert_raise

    alert = help_alert_raise(outlet=outlet, kiosk_name="Anjungan 1")
    assert help_alert_raise(outlet=outlet, kiosk_name="Anjungan 1").pk == alert.pk
    client.force_login(officer)
    status = client.get(reverse("services_desk:counter-status", args=[counter.pk])).json()
    assert status["alerts"][0]["kiosk"] == "Anjungan 1"
    client.post(reverse("services_desk:help-ack", args=[alert.pk]), HTTP_ACCEPT="application/json")
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer
    assert client.get(reverse("services_desk:counter-status", args=[counter.pk])).json()["alerts"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "customer_user", "cashier", "owner"])
def test_help_acknowledge_refused(request, client, outlet, role):
    from services_desk.services.help_alerts import help_alert_raise

    alert = help_alert_raise(outlet=outlet, kiosk_name="Anjungan 1")
    _login(client, request, role)
    assert client.post(reverse("services_desk:help-ack", args=[alert.pk])).status_code in (302, 404)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


@pytest.mark.django_db
def test_citizen_files_a_request_with_documents(client, customer_user, ktp, pdf_upload):
    client.force_login(customer_user)
    url = reverse("services_desk:request-create", args=["ktp-el"])
    bad = client.post(
        url, {"applicant_name": "Siti", "phone": "081234567890", "documents": [pdf_upload(name="x.exe", data=b"MZ..")]}
    )
    assert bad.status_code == 400 and ServiceRequest.objects.count() == 0
    response = client.post(
        url,
        {
            "applicant_name": "Siti",
            "phone": "081234567890",
            "details": "hilang",
            "documents": [pdf_upload(), pdf_upload(name="akta.pdf")],
        },
        follow=True,
    )
    obj = ServiceRequest.objects.get()
    assert response.status_code == 200 and obj.reference in response.content.decode()
    assert obj.documents.count() == 2 and obj.user == customer_user
    assert obj.reference in client.get(reverse("services_desk:my-requests")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_request_detail_matrix(request, client, citizen_request, counter, role):
    _login(client, request, role)
    url = reverse("services_desk:request-detail", args=[citizen_request.reference])
    page = client.get(url)
    post = client.post(url, {"status": "verified", "note": ""})
    citizen_request.refresh_from_db()
    if role in ("customer_user", "officer"):
        assert page.status_code == 200
    else:
        assert page.status_code in (302, 404)
    if role == "officer":
        assert citizen_request.status == "verified"
    else:
        assert post.status_code in (302, 404) and citizen_request.status == "submitted"


@pytest.mark.django_db
def test_work_queue_highlights_overdue(client, citizen_request, officer, counter, pln_officer):
    import datetime

    from django.utils import timezone

    ServiceRequest.objects.filter(pk=citizen_request.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(officer)
    body = client.get(reverse("services_desk:work-queue")).content.decode()
    assert citizen_request.reference in body and 'class="overdue"' in body
    client.force_login(pln_officer)
    assert citizen_request.reference not in client.get(reverse("services_desk:work-queue")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_report_matrix(request, client, outlet, ktp, role):
    _login(client, request, role)
    response = client.get(reverse("services_desk:report"))
    assert response.status_code == (200 if role in ("manager", "admin_user") else (302 if role == "anonymous" else 403))


@pytest.mark.django_db
def test_survey_page_anonymous(client, issue, ktp, counter, officer):
    from services_desk.services.queue import ticket_call_next, ticket_complete
    from services_desk.ticket_printing import survey_token

    issue(ktp)
    ticket = ticket_complete(ticket=ticket_call_next(counter=counter, officer=officer), officer=officer)
    url = reverse("services_desk:survey", args=[survey_token(ticket)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"u1": "4"}).status_code == 400
    answers = {f"u{i}": "3" for i in range(1, 10)}
    assert client.post(url, answers).status_code == 200
    assert ticket.survey.u5 == 3
    assert client.get(reverse("services_desk:survey", args=["1:forged"])).status_code == 404


@pytest.mark.django_db
def test_appointment_booking_page(client, customer_user, ktp, outlet):
    import datetime

    from django.utils import timezone

    from services_desk.models import AppointmentSlot

    start = timezone.now() + datetime.timedelta(days=1)
    slot = AppointmentSlot.objects.create(service=ktp, outlet=outlet, starts_at=start, ends_at=start, capacity=1)
    url = reverse("services_desk:appointment-book", args=[slot.pk])
    assert client.post(url, {"name": "Siti", "phone": "081234567890"}).status_code == 302
    slot.refresh_from_db()
    assert slot.booked == 0  # anonymous: sent to log in
    client.force_login(customer_user)
    client.post(url, {"name": "Siti", "phone": "081234567890"})
    slot.refresh_from_db()
    assert slot.booked == 1


@pytest.mark.django_db
def test_bahasa_indonesia_first_english_second(client, officer, ktp, counter, issue):
    from services_desk.services.queue import ticket_call_next

    client.force_login(officer)
    page = client.get(reverse("services_desk:kiosk-service", args=["GLR", "ktp-el"])).content.decode()
    assert "Ambil nomor antrean" in page and "Apakah Anda membawa berkas berikut?" in page
    issue(ktp)
    ticket_call_next(counter=counter, officer=officer)
    speech = client.get(reverse("services_desk:board-data", args=["GLR"])).json()["serving"][0]["speech"]
    assert speech == "Nomor antrean A 1, silakan menuju Loket 1."
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("services_desk:kiosk-service", args=["GLR", "ktp-el"])).content.decode()
    assert "Take a queue number" in page


@pytest.mark.django_db
def test_officer_files_a_request_for_a_walk_in_visit(
    client, officer, issue, ktp, counter, pdf_upload, other_outlet, cashier
):
    ticket = issue(ktp)
    url = reverse("services_desk:request-create", args=["ktp-el"]) + f"?kunjungan={ticket.visit.pk}"
    client.force_login(cashier)  # no permission to file requests
    assert client.post(url, {"applicant_name": "Budi", "phone": "081234567891"}).status_code == 403
    client.force_login(officer)
    response = client.post(url, {"applicant_name": "Budi", "phone": "081234567891", "documents": [pdf_upload()]})
    obj = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert (obj.visit_id, obj.outlet_id, obj.user_id, obj.created_by_id) == (
        ticket.visit_id,
        ticket.outlet_id,
        None,
        officer.pk,
    )
    from services_desk.selectors import visit_open_items

    assert [r.reference for r in visit_open_items(visit=ticket.visit).requests] == [obj.reference]
    from accounts.models import VisitChannel
    from accounts.services.visits import visit_open

    elsewhere = visit_open(outlet=other_outlet, channel=VisitChannel.DESK)
    url = reverse("services_desk:request-create", args=["ktp-el"]) + f"?kunjungan={elsewhere.pk}"
    assert client.post(url, {"applicant_name": "Budi", "phone": "081234567891"}).status_code == 404
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db
def test_kiosk_appointment_check_in(client, officer, ktp, counter, outlet):

    from services_desk.models import AppointmentSlot
    from services_desk.services.appointments import appointment_book

    from .conftest import later_today

    start = later_today()
    slot = AppointmentSlot.objects.create(service=ktp, outlet=outlet, starts_at=start, ends_at=start, capacity=1)
    appointment = appointment_book(slot=slot, name="Siti", phone="081234567890")
    client.force_login(officer)
    url = reverse("services_desk:kiosk-checkin", args=["GLR"])
    assert client.post(url, {"code": "XXXXXX"}).status_code == 400
    response = client.post(url, {"code": appointment.code})
    ticket = QueueTicket.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/tiket/{ticket.pk}/")
    assert ticket.due_at == slot.starts_at and ticket.source == "appointment"


@pytest.mark.django_db
def test_manager_opens_and_closes_appointment_slots(client, manager, officer, ktp, outlet):
    import datetime

    from django.utils import timezone

    from services_desk.models import AppointmentSlot

    url = reverse("services_desk:slots")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    day = timezone.localdate() + datetime.timedelta(days=1)
    form = {
        "action": "plan",
        "kafe": outlet.code,
        "service": ktp.pk,
        "date_from": day.isoformat(),
        "date_to": day.isoformat(),
        "weekdays": [str(day.weekday())],
        "start": "08:00",
        "end": "09:00",
        "minutes": "30",
        "capacity": "2",
    }
    client.post(url, form)
    assert AppointmentSlot.objects.count() == 2
    page = client.get(url).content.decode()
    assert "KTP" in page and "08.00" in page
    bad = client.post(url, {**form, "end": "07:00"})
    assert bad.status_code == 200 and AppointmentSlot.objects.count() == 2
    slot = AppointmentSlot.objects.order_by("starts_at").first()
    client.post(url, {"action": "capacity", "kafe": outlet.code, "slot": slot.pk, "capacity": "0"})
    slot.refresh_from_db()
    assert slot.capacity == 0 and slot.remaining == 0


@pytest.mark.django_db
def test_date_inputs_carry_iso_dates_whatever_the_page_language(client, manager, outlet):
    """A browser's date input shows nothing for 04/12/2026: the value must be 2026-12-04."""
    from accounts.services.visits import business_date_today

    client.force_login(manager)
    body = client.get(reverse("services_desk:slots")).content.decode()
    assert f'value="{business_date_today().isoformat()}"' in body and 'value="08:00"' in body
