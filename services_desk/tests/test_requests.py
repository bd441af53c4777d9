"""Service requests: documents checked and private, access logged, the status timeline, retention."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import PersonalDataAccess
from core.exceptions import DomainError
from services_desk.models import RequestDocument, RequestStatus, ServiceRequest
from services_desk.services.requests import DocumentUpload, service_request_create, service_request_update_status


@pytest.mark.django_db
def test_request_filed_with_document_stored_privately(citizen_request, settings):
    doc = citizen_request.documents.get()
    path = Path(settings.PRIVATE_MEDIA_ROOT) / doc.path
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert doc.content_type == "application/pdf"
    assert citizen_request.agency.slug == "dukcapil"
    assert citizen_request.status == RequestStatus.SUBMITTED
    assert citizen_request.due_at - citizen_request.created_at == pytest.approx(
        datetime.timedelta(hours=24), abs=datetime.timedelta(seconds=5)
    )
    assert list(citizen_request.events.values_list("to_status", flat=True)) == ["submitted"]


@pytest.mark.django_db
def test_wrong_type_and_oversize_documents_refused(ktp, customer_user, pdf_upload, settings, png_bytes):
    settings.REQUEST_DOCUMENT_MAX_BYTES = 1000
    cases = [
        (pdf_upload(name="virus.pdf", data=b"MZ\x90\x00 not a pdf"), "document_type_not_allowed"),
        (
            pdf_upload(name="fake.png", data=b"\x89PNG\r\n\x1a\ngarbage", content_type="image/png"),
            "document_type_not_allowed",
        ),
        (pdf_upload(name="big.pdf", data=b"%PDF-" + b"0" * 2000), "document_too_large"),
        (pdf_upload(name="empty.pdf", data=b""), "invalid"),
    ]
    for upload, code in cases:
        with pytest.raises(DomainError) as exc:
            service_request_create(
                service=ktp,
                applicant_name="Siti",
                phone="081234567890",
                user=customer_user,
                documents=[DocumentUpload(label="x", file=upload)],
            )
        assert exc.value.code == code, upload.name
    assert not ServiceRequest.objects.exists()
    assert not RequestDocument.objects.exists()
    assert (
        not list(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*")) if Path(settings.PRIVATE_MEDIA_ROOT).exists() else True
    )
    ok = service_request_create(
        service=ktp,
        applicant_name="Siti",
        phone="081234567890",
        user=customer_user,
        documents=[DocumentUpload(label="foto", file=pdf_upload(name="f.png", data=png_bytes))],
    )
    assert ok.documents.get().content_type == "image/png"


@pytest.mark.django_db
def test_request_refusals(ktp, listrik, customer_user, dukcapil, outlet):
    from services_desk.services.catalogue import service_upsert

    no_requests = service_upsert(agency=dukcapil, slug="konsultasi", name="Konsultasi", prefix="K", outlets=[outlet])
    for kwargs in (
        {"service": no_requests, "applicant_name": "Siti", "phone": "081234567890"},
        {"service": ktp, "applicant_name": " ", "phone": "081234567890"},
        {"service": ktp, "applicant_name": "Siti", "phone": "0"},
    ):
        with pytest.raises(DomainError):
            service_request_create(user=customer_user, **kwargs)
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_status_timeline_and_citizen_told_when_ready(
    citizen_request, officer, counter, django_capture_on_commit_callbacks
):
    from core.messaging import ConsoleProvider

    ConsoleProvider.sent.clear()
    r = citizen_request
    for status in ("verified", "in_process"):
        r = service_request_update_status(request=r, status=status, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = service_request_update_status(request=r, status="ready", by=officer, note="Ambil di loket 1")
    assert ConsoleProvider.sent[-1].phone == "+6281234567890" and r.reference in ConsoleProvider.sent[-1].body
    r = service_request_update_status(request=r, status="collected", by=officer)
    assert r.closed_at is not None
    assert list(r.events.values_list("to_status", flat=True)) == [
        "submitted",
        "verified",
        "in_process",
        "ready",
        "collected",
    ]
    with pytest.raises(DomainError) as exc:
        service_request_update_status(request=r, status="in_process", by=officer)
    assert exc.value.code == "invalid_transition"


@pytest.mark.django_db
def test_rejection_needs_a_reason(citizen_request, officer, counter):
    with pytest.raises(DomainError) as exc:
        service_request_update_status(request=citizen_request, status="rejected", by=officer)
    assert exc.value.code == "reason_required"
    citizen_request.refresh_from_db()
    assert citizen_request.status == "submitted"
    r = service_request_update_status(request=citizen_request, status="rejected", by=officer, note="KK tidak terbaca")
    assert (r.status, r.rejection_reason) == ("rejected", "KK tidak terbaca")


@pytest.mark.django_db
def test_another_agency_cannot_move_the_request(citizen_request, pln_officer, customer_user):
    for user in (pln_officer, customer_user):
        with pytest.raises(DomainError) as exc:
            service_request_update_status(request=citizen_request, status="verified", by=user)
        assert exc.value.code == "permission_denied"
    citizen_request.refresh_from_db()
    assert citizen_request.status == "submitted" and citizen_request.events.count() == 1


@pytest.mark.django_db
def test_document_download_matrix_and_access_log(
    client, citizen_request, customer_user, officer, counter, pln_officer, admin_user, cashier, make_user
):
    doc = citizen_request.documents.get()
    url = f"/layanan/dokumen/{doc.pk}/"
    stranger = make_user("warga2", "customer")
    allowed = {"owner": customer_user, "agency officer": officer}
    denied = {
        "anonymous": None,
        "other agency": pln_officer,
        "regency admin": admin_user,
        "cashier": cashier,
        "other citizen": stranger,
    }
    for label, user in allowed.items():
        client.logout()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, label
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Cache-Control"] == "private, no-store"
    for label, user in denied.items():
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404, label
    assert client.get("/layanan/dokumen/999999/").status_code == 404
    log = PersonalDataAccess.objects.filter(subject__startswith="request_document:")
    assert log.filter(action="download").count() == 2
    assert log.filter(action="denied").count() == len(denied) + 1
    assert set(log.filter(action="download").values_list("user__username", flat=True)) == {"pembeli", "petugas"}


@pytest.mark.django_db
def test_retention_purges_closed_requests_only(
    citizen_request, ktp, customer_user, officer, counter, pdf_upload, settings
):
    settings.PII_DOCUMENT_RETENTION_DAYS = 30
    open_request = service_request_create(
        service=ktp,
        applicant_name="Budi",
        phone="081234567891",
        user=customer_user,
        documents=[DocumentUpload(label="KK", file=pdf_upload())],
    )
    service_request_update_status(request=citizen_request, status="rejected", by=officer, note="tidak lengkap")
    ServiceRequest.objects.filter(pk=citizen_request.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    from services_desk.tasks import documents_purge_task

    assert documents_purge_task.delay().get() == 1
    old = citizen_request.documents.get()
    assert old.purged_at is not None
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / old.path).exists()
    kept = open_request.documents.get()
    assert kept.purged_at is None and (Path(settings.PRIVATE_MEDIA_ROOT) / kept.path).exists()
    from services_desk.services.requests import documents_purge_expired

    assert documents_purge_expired() == 0  # nothing twice
