"""The GraphQL API of the service desk, with permission matrices and query counts."""

import base64

import pytest
from graphql_relay import to_global_id

from services_desk.models import Appointment, QueueTicket, ServiceRequest, SurveyResponse, TicketStatus

ROLES = ["anonymous", "customer_user", "admin_user", "manager", "cashier", "officer", "curator", "owner", "other_owner"]


def _user(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


def gid(type_name, obj):
    return to_global_id(type_name, obj.pk)


TICKET_CREATE = """
mutation($outlet: ID!, $service: ID!, $phone: String, $priority: QueuePriority) {
  queueTicketCreate(outlet: $outlet, service: $service, phone: $phone, priority: $priority) {
    ticket { number estimatedWaitMinutes status priority visit { code } }
    errors { field code message }
  }
}"""


@pytest.mark.django_db
def test_queue_ticket_create_returns_number_wait_and_visit(gql, officer, outlet, ktp, counter):
    data = gql(
        TICKET_CREATE,
        {
            "outlet": gid("Outlet", outlet),
            "service": gid("Service", ktp),
            "phone": "081234567890",
            "priority": "ELDERLY",
        },
        user=officer,
    )["data"]["queueTicketCreate"]
    assert data["errors"] == []
    ticket = data["ticket"]
    assert (ticket["number"], ticket["estimatedWaitMinutes"], ticket["status"], ticket["priority"]) == (
        "A-001",
        0,
        "ISSUED",
        "ELDERLY",
    )
    assert ticket["visit"]["code"] == QueueTicket.objects.get().visit.code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_queue_ticket_create_permission_matrix(request, gql, outlet, ktp, role):
    allowed = {"officer", "manager", "admin_user"}  # the regency admin is a superuser
    data = gql(
        TICKET_CREATE, {"outlet": gid("Outlet", outlet), "service": gid("Service", ktp)}, user=_user(request, role)
    )["data"]["queueTicketCreate"]
    if role in allowed:
        assert data["errors"] == [] and QueueTicket.objects.count() == 1
    else:
        assert data["errors"][0]["code"] == "PERMISSION_DENIED"
        assert QueueTicket.objects.count() == 0


@pytest.mark.django_db
def test_queue_ticket_create_refusal_is_translated_error(gql, officer, outlet, ktp, other_outlet):
    data = gql(
        TICKET_CREATE, {"outlet": gid("Outlet", outlet), "service": gid("Service", ktp), "phone": "123"}, user=officer
    )["data"]["queueTicketCreate"]
    assert data["ticket"] is None and data["errors"][0]["field"] == "phone"
    # a café the officer is not bound to is "not found"
    data = gql(TICKET_CREATE, {"outlet": gid("Outlet", other_outlet), "service": gid("Service", ktp)}, user=officer)[
        "data"
    ]["queueTicketCreate"]
    assert data["errors"][0]["code"] == "NOT_FOUND"
    assert QueueTicket.objects.count() == 0


CALL_NEXT = "mutation($c: ID!) { queueCallNext(counter: $c) { ticket { id number status counter { name } } errors { code message } } }"
ACTION = """mutation($id: ID!) {
  recall: queueTicketRecall(id: $id) { ticket { callCount } errors { code } }
}"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_queue_call_next_permission_matrix(request, gql, issue, ktp, counter, role):
    issue(ktp)
    data = gql(CALL_NEXT, {"c": gid("Counter", counter)}, user=_user(request, role))["data"]["queueCallNext"]
    if role in ("officer", "admin_user"):
        assert data["errors"] == [] and data["ticket"]["number"] == "A-001"
        assert data["ticket"]["counter"]["name"] == "Loket 1"
    else:
        assert data["errors"][0]["code"] in ("PERMISSION_DENIED", "NOT_FOUND")
        assert QueueTicket.objects.get().status == TicketStatus.ISSUED


@pytest.mark.django_db
def test_serve_a_ticket_through_the_api(gql, issue, ktp, listrik, counter, officer, pln_counter, pln_officer):
    issue(ktp)
    ticket_id = gql(CALL_NEXT, {"c": gid("Counter", counter)}, user=officer)["data"]["queueCallNext"]["ticket"]["id"]
    assert gql(ACTION, {"id": ticket_id}, user=officer)["data"]["recall"]["ticket"]["callCount"] == 2
    no_show = gql(
        "mutation($id: ID!) { queueTicketNoShow(id: $id) { ticket { status } errors { code } } }",
        {"id": ticket_id},
        user=pln_officer,
    )["data"]["queueTicketNoShow"]
    assert no_show["errors"][0]["code"] == "PERMISSION_DENIED"  # not their counter
    moved = gql(
        "mutation($id: ID!, $s: ID) { queueTicketTransfer(id: $id, service: $s) { ticket { number status } errors { code } } }",
        {"id": ticket_id, "s": gid("Service", listrik)},
        user=officer,
    )["data"]["queueTicketTransfer"]
    assert moved["ticket"] == {"number": "A-001", "status": "ISSUED"}
    called = gql(CALL_NEXT, {"c": gid("Counter", pln_counter)}, user=pln_officer)["data"]["queueCallNext"]["ticket"]
    done = gql(
        'mutation($id: ID!) { queueTicketComplete(id: $id, notes: "SLO dicek") { ticket { status notes } errors { code } } }',
        {"id": called["id"]},
        user=pln_officer,
    )["data"]["queueTicketComplete"]
    assert done["ticket"] == {"status": "DONE", "notes": "SLO dicek"}


@pytest.mark.django_db
def test_no_show_through_the_api_needs_enough_calls(gql, issue, ktp, counter, officer):
    issue(ktp)
    ticket_id = gql(CALL_NEXT, {"c": gid("Counter", counter)}, user=officer)["data"]["queueCallNext"]["ticket"]["id"]
    q = "mutation($id: ID!) { queueTicketNoShow(id: $id) { ticket { status } errors { code } } }"
    assert (
        gql(q, {"id": ticket_id}, user=officer)["data"]["queueTicketNoShow"]["errors"][0]["code"] == "NOT_ENOUGH_CALLS"
    )
    gql(ACTION, {"id": ticket_id}, user=officer)
    assert gql(q, {"id": ticket_id}, user=officer)["data"]["queueTicketNoShow"]["ticket"]["status"] == "NO_SHOW"


@pytest.mark.django_db
def test_queue_status_is_public_and_has_no_personal_data(
    gql, issue, ktp, counter, officer, outlet, django_assert_max_num_queries
):
    issue(ktp, phone="081234567890")
    issue(ktp)
    gql(CALL_NEXT, {"c": gid("Counter", counter)}, user=officer)
    query = "query($o: ID!) { queueStatus(outlet: $o) { waiting serving { number counter } } }"
    with django_assert_max_num_queries(4):
        data = gql(query, {"o": gid("Outlet", outlet)})["data"]["queueStatus"]
    assert data == {"waiting": 1, "serving": [{"number": "A-001", "counter": "Loket 1"}]}


SERVICES = """query($f: ServiceFilterInput) { services(first: 50, filter: $f) { totalCount edges { node {
  name slug cost { amount formatted } isAdminduk requirements agency { shortName } outlets { code } } } } }"""


@pytest.mark.django_db
def test_services_search_and_filters_with_constant_queries(
    gql, ktp, kk, listrik, pln, outlet, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        data = gql(SERVICES)["data"]["services"]
    assert data["totalCount"] == 3
    ktp_node = next(e["node"] for e in data["edges"] if e["node"]["slug"] == "ktp-el")
    assert ktp_node["cost"] == {"amount": 0, "formatted": "Rp0"} and ktp_node["outlets"] == [{"code": "GLR"}]
    found = gql(SERVICES, {"f": {"search": "ktp hilang"}})["data"]["services"]["edges"]
    assert [e["node"]["slug"] for e in found] == ["ktp-el"]
    by_agency = gql(SERVICES, {"f": {"agency": gid("Agency", pln)}})["data"]["services"]["edges"]
    assert [e["node"]["slug"] for e in by_agency] == ["pln-pasang-baru"]
    by_outlet = gql(SERVICES, {"f": {"outlet": gid("Outlet", outlet)}})["data"]["services"]["totalCount"]
    assert by_outlet == 3
    one = gql('{ service(slug: "ktp-el") { name procedure durationText } agencies { shortName } }')["data"]
    assert one["service"]["name"] == "KTP-el" and {a["shortName"] for a in one["agencies"]} == {"Dukcapil", "PLN"}


APPOINTMENT_BOOK = """mutation($s: ID!) { appointmentBook(slot: $s, name: "Siti", phone: "081234567890") {
  appointment { code status } errors { code } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "customer_user", "cashier", "owner"])
def test_appointment_book_matrix(request, gql, ktp, outlet, role):
    import datetime

    from django.utils import timezone

    from services_desk.models import AppointmentSlot

    start = timezone.now() + datetime.timedelta(hours=2)
    slot = AppointmentSlot.objects.create(service=ktp, outlet=outlet, starts_at=start, ends_at=start, capacity=1)
    data = gql(APPOINTMENT_BOOK, {"s": gid("AppointmentSlot", slot)}, user=_user(request, role))["data"][
        "appointmentBook"
    ]
    if role == "customer_user":
        assert data["errors"] == [] and data["appointment"]["status"] == "BOOKED"
        assert (
            gql(APPOINTMENT_BOOK, {"s": gid("AppointmentSlot", slot)}, user=_user(request, role))["data"][
                "appointmentBook"
            ]["errors"][0]["code"]
            == "SLOT_FULL"
        )
    else:
        assert data["errors"][0]["code"] == "PERMISSION_DENIED"
        assert not Appointment.objects.exists()


REQUEST_CREATE = """mutation($s: ID!, $docs: [DocumentInput!]) {
  serviceRequestCreate(service: $s, applicantName: "Siti Aminah", phone: "081234567890", details: "KTP hilang", documents: $docs) {
    serviceRequest { id reference status isOverdue slaRemainingMinutes agency { shortName } documents { label contentType downloadUrl } events { toStatus } }
    errors { field code message } } }"""


@pytest.mark.django_db
def test_service_request_create_with_base64_document(gql, customer_user, ktp):
    from services_desk.tests.conftest import PDF_BYTES

    docs = [{"label": "Kartu Keluarga", "filename": "kk.pdf", "contentBase64": base64.b64encode(PDF_BYTES).decode()}]
    data = gql(REQUEST_CREATE, {"s": gid("Service", ktp), "docs": docs}, user=customer_user)["data"][
        "serviceRequestCreate"
    ]
    assert data["errors"] == []
    r = data["serviceRequest"]
    assert (r["status"], r["isOverdue"], r["agency"]["shortName"]) == ("SUBMITTED", False, "Dukcapil")
    assert 23 * 60 <= r["slaRemainingMinutes"] <= 24 * 60
    assert r["documents"][0]["contentType"] == "application/pdf" and r["events"] == [{"toStatus": "SUBMITTED"}]
    bad = [{"label": "x", "filename": "x.exe", "contentBase64": base64.b64encode(b"MZ....").decode()}]
    data = gql(REQUEST_CREATE, {"s": gid("Service", ktp), "docs": bad}, user=customer_user)["data"][
        "serviceRequestCreate"
    ]
    assert data["errors"][0]["code"] == "DOCUMENT_TYPE_NOT_ALLOWED"
    not_b64 = [{"label": "x", "filename": "x.pdf", "contentBase64": "%%%"}]
    assert gql(REQUEST_CREATE, {"s": gid("Service", ktp), "docs": not_b64}, user=customer_user)["data"][
        "serviceRequestCreate"
    ]["errors"]
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_service_request_create_matrix(request, gql, ktp, role):
    data = gql(REQUEST_CREATE, {"s": gid("Service", ktp)}, user=_user(request, role))["data"]["serviceRequestCreate"]
    if role in ("customer_user", "officer", "admin_user"):
        assert data["errors"] == []
        assert ServiceRequest.objects.count() == 1
    else:
        assert data["errors"][0]["code"] == "PERMISSION_DENIED"
        assert ServiceRequest.objects.count() == 0


UPDATE_STATUS = """mutation($id: ID!, $s: ServiceRequestStatus!, $n: String) {
  serviceRequestUpdateStatus(id: $id, status: $s, note: $n) { serviceRequest { status events { toStatus note } } errors { code field } } }"""
LIST_REQUESTS = "{ serviceRequests(first: 20) { totalCount edges { node { reference status agency { shortName } documents { label } events { toStatus } } } } }"


@pytest.fixture
def agency_clients(roles, dukcapil, pln):
    from services_desk.services.api_clients import agency_api_client_create

    return {"dukcapil": agency_api_client_create(agency=dukcapil)[1], "pln": agency_api_client_create(agency=pln)[1]}


@pytest.mark.django_db
def test_agency_token_scope(
    gql, citizen_request, listrik, customer_user, agency_clients, django_assert_max_num_queries
):
    from services_desk.services.requests import service_request_create

    pln_request = service_request_create(
        service=listrik, applicant_name="Budi", phone="081234567891", user=customer_user
    )
    # each agency reads only its own requests
    with django_assert_max_num_queries(10):  # auth 4, scope 1, counts 2, page 1, events 1, documents 1
        dukcapil_view = gql(LIST_REQUESTS, token=agency_clients["dukcapil"])["data"]["serviceRequests"]
    assert [e["node"]["reference"] for e in dukcapil_view["edges"]] == [citizen_request.reference]
    pln_view = gql(LIST_REQUESTS, token=agency_clients["pln"])["data"]["serviceRequests"]
    assert [e["node"]["reference"] for e in pln_view["edges"]] == [pln_request.reference]
    # PLN cannot change Dukcapil's request: "not found", and nothing changes
    data = gql(
        UPDATE_STATUS, {"id": gid("ServiceRequest", citizen_request), "s": "VERIFIED"}, token=agency_clients["pln"]
    )["data"]["serviceRequestUpdateStatus"]
    assert data["errors"][0]["code"] == "NOT_FOUND"
    citizen_request.refresh_from_db()
    assert citizen_request.status == "submitted"
    # Dukcapil's client moves its own request along
    data = gql(
        UPDATE_STATUS,
        {"id": gid("ServiceRequest", citizen_request), "s": "VERIFIED", "n": "berkas lengkap"},
        token=agency_clients["dukcapil"],
    )["data"]["serviceRequestUpdateStatus"]
    assert data["errors"] == [] and data["serviceRequest"]["status"] == "VERIFIED"
    # the citizen sees their own two requests, with the timeline
    mine = gql(LIST_REQUESTS, user=customer_user)["data"]["serviceRequests"]
    assert mine["totalCount"] == 2


@pytest.mark.django_db
def test_agency_api_client_cannot_serve_counters(gql, agency_clients, issue, ktp, counter):
    issue(ktp)
    data = gql(CALL_NEXT, {"c": gid("Counter", counter)}, token=agency_clients["dukcapil"])["data"]["queueCallNext"]
    assert data["errors"][0]["code"] in ("NOT_FOUND", "PERMISSION_DENIED")
    assert QueueTicket.objects.get().status == "issued"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_update_status_matrix(request, gql, citizen_request, counter, role):
    data = gql(
        UPDATE_STATUS, {"id": gid("ServiceRequest", citizen_request), "s": "VERIFIED"}, user=_user(request, role)
    )["data"]["serviceRequestUpdateStatus"]
    citizen_request.refresh_from_db()
    if role == "officer":  # a Dukcapil officer (the counter fixture binds them to Dukcapil)
        assert data["errors"] == [] and citizen_request.status == "verified"
    else:
        assert data["errors"][0]["code"] in ("PERMISSION_DENIED", "NOT_FOUND")
        assert citizen_request.status == "submitted"


@pytest.mark.django_db
def test_reject_without_reason_is_an_error(gql, citizen_request, officer, counter):
    data = gql(UPDATE_STATUS, {"id": gid("ServiceRequest", citizen_request), "s": "REJECTED"}, user=officer)["data"][
        "serviceRequestUpdateStatus"
    ]
    assert data["errors"] == [{"code": "REASON_REQUIRED", "field": "note"}]


SURVEY = "mutation($t: String!, $s: [Int!]!) { surveySubmit(token: $t, scores: $s) { ok errors { code } } }"


@pytest.mark.django_db
def test_survey_submit_anonymous(gql, issue, ktp, counter, officer):
    from services_desk.services.queue import ticket_call_next, ticket_complete
    from services_desk.ticket_printing import survey_token

    issue(ktp)
    ticket = ticket_complete(ticket=ticket_call_next(counter=counter, officer=officer), officer=officer)
    data = gql(SURVEY, {"t": survey_token(ticket), "s": [4, 3, 4, 3, 4, 3, 4, 3, 4]})["data"]["surveySubmit"]
    assert data == {"ok": True, "errors": []}
    again = gql(SURVEY, {"t": survey_token(ticket), "s": [1] * 9})["data"]["surveySubmit"]
    assert again == {"ok": False, "errors": [{"code": "SURVEY_ALREADY_SUBMITTED"}]}
    assert SurveyResponse.objects.count() == 1


VISIT_ITEMS = """query($c: String!, $o: ID) { visitOpenItems(code: $c, outlet: $o) {
  visit { code } tickets { number status } requests { reference } reservations { reference } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_visit_open_items_for_staff_only(request, gql, issue, ktp, outlet, role, django_assert_max_num_queries):
    ticket = issue(ktp)
    result = gql(VISIT_ITEMS, {"c": ticket.visit.code, "o": gid("Outlet", outlet)}, user=_user(request, role))
    if role in ("officer", "cashier", "manager", "admin_user"):
        items = result["data"]["visitOpenItems"]
        assert items["visit"]["code"] == ticket.visit.code and items["tickets"] == [
            {"number": "A-001", "status": "ISSUED"}
        ]
    else:
        assert result["data"]["visitOpenItems"] is None and result["errors"]


RESERVE = """mutation($c: String!, $lines: [ReserveLineInput!]!) { visitReserveProducts(visitCode: $c, lines: $lines) {
  visit { code } reservation { reference lines { variantId quantity } } errors { code field message } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "customer_user", "cashier", "owner", "curator"])
def test_visit_reserve_products_refused_for_non_kiosk_roles(request, gql, issue, ktp, role):
    ticket = issue(ktp)
    data = gql(
        RESERVE, {"c": ticket.visit.code, "lines": [{"variant": "1", "quantity": 1}]}, user=_user(request, role)
    )["data"]["visitReserveProducts"]
    assert data["errors"][0]["code"] == "PERMISSION_DENIED"


@pytest.mark.django_db
def test_visit_reserve_products_validates_visit_and_quantity(gql, issue, ktp, officer):
    ticket = issue(ktp)
    unknown = gql(RESERVE, {"c": "ZZZZZ", "lines": [{"variant": "1", "quantity": 1}]}, user=officer)
    assert unknown["data"]["visitReserveProducts"]["errors"][0]["code"] == "NOT_FOUND"
    bad_qty = gql(RESERVE, {"c": ticket.visit.code, "lines": [{"variant": "1", "quantity": 0}]}, user=officer)
    assert bad_qty["data"]["visitReserveProducts"]["errors"][0]["code"] == "INVALID"


@pytest.mark.django_db
def test_queue_kpis_and_ikm_report_for_reports_permission(gql, issue, ktp, outlet, manager, cashier):
    import datetime

    issue(ktp)
    query = """query($o: ID!, $d: Date!) { queueKpis(outlet: $o, date: $d) { total { tickets } services { serviceName tickets } }
               ikmReport(dateFrom: $d, dateTo: $d) { total { score } rows { label } } }"""
    today = datetime.date.today().isoformat()
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    data = gql(query, {"o": gid("Outlet", outlet), "d": today}, user=manager)["data"]
    assert data["queueKpis"]["total"]["tickets"] == 1 and data["ikmReport"] == {"total": None, "rows": []}
    refused = gql(query, {"o": gid("Outlet", outlet), "d": today}, user=cashier)
    assert refused["errors"] and refused["data"]["queueKpis"] is None


SLOTS_OPEN = """mutation($i: AppointmentSlotsOpenInput!) { appointmentSlotsOpen(input: $i) {
  created slots { startsAt capacity booked } errors { field code } } }"""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_appointment_slots_open_matrix(request, gql, ktp, outlet, role):
    import datetime

    from django.utils import timezone

    from services_desk.models import AppointmentSlot

    day = timezone.localdate() + datetime.timedelta(days=2)
    variables = {
        "i": {
            "service": gid("Service", ktp),
            "outlet": gid("Outlet", outlet),
            "dateFrom": day.isoformat(),
            "dateTo": day.isoformat(),
            "start": "13:00:00",
            "end": "14:00:00",
            "minutes": 20,
            "capacity": 4,
        }
    }
    data = gql(SLOTS_OPEN, variables, user=_user(request, role))["data"]["appointmentSlotsOpen"]
    allowed = role in {"admin_user", "manager"}
    assert (data["created"] == 3) is allowed and AppointmentSlot.objects.exists() is allowed
    if allowed:
        slot = AppointmentSlot.objects.order_by("starts_at").first()
        update = """mutation($id: ID!, $c: Int!) { appointmentSlotUpdate(id: $id, capacity: $c) {
          slot { capacity remaining } errors { code } } }"""
        result = gql(update, {"id": gid("AppointmentSlot", slot), "c": 1}, user=_user(request, role))
        assert result["data"]["appointmentSlotUpdate"]["slot"] == {"capacity": 1, "remaining": 1}
    else:
        assert data["errors"][0]["code"] in {"PERMISSION_DENIED", "NOT_FOUND"}
