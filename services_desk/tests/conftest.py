"""Fixtures of the service desk: agencies, services, counters with their officers, tickets, requests."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _language_reset():
    """Pages switch the thread's language (LocaleMiddleware); leave the default one for the next test."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _desk_settings(settings):
    # Test users only: the production hasher costs ~2 s a user on a small CI machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.QUEUE_NO_SHOW_AFTER_CALLS = 2
    settings.QUEUE_NEAR_NOTIFY_AHEAD = 2
    settings.APPOINTMENT_GRACE_MINUTES = 15
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_TIMEOUT_SECONDS = 2


@pytest.fixture
def dukcapil(db):
    from services_desk.models import AgencyKind
    from services_desk.services.catalogue import agency_upsert

    return agency_upsert(
        slug="dukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Dukcapil",
        kind=AgencyKind.REGENCY_OFFICE,
    )


@pytest.fixture
def pln(db):
    from services_desk.models import AgencyKind
    from services_desk.services.catalogue import agency_upsert

    return agency_upsert(slug="pln", name="PT PLN (Persero) ULP Trenggalek", short_name="PLN", kind=AgencyKind.BUMN)


@pytest.fixture
def ktp(dukcapil, outlet):
    from services_desk.services.catalogue import service_upsert

    return service_upsert(
        agency=dukcapil,
        slug="ktp-el",
        name="KTP-el",
        prefix="A",
        is_adminduk=True,
        keywords="ktp hilang identitas",
        requirements=["Kartu Keluarga", "Surat kehilangan"],
        accepts_requests=True,
        sla_hours=24,
        average_service_minutes=10,
        outlets=[outlet],
    )


@pytest.fixture
def kk(dukcapil, outlet):
    from services_desk.services.catalogue import service_upsert

    return service_upsert(
        agency=dukcapil,
        slug="kartu-keluarga",
        name="Kartu Keluarga",
        prefix="A",
        is_adminduk=True,
        outlets=[outlet],
        accepts_requests=True,
    )


@pytest.fixture
def listrik(pln, outlet):
    from services_desk.services.catalogue import service_upsert

    return service_upsert(
        agency=pln,
        slug="pln-pasang-baru",
        name="Pasang Baru Listrik",
        prefix="E",
        cost=0,
        outlets=[outlet],
        accepts_requests=True,
        sla_hours=120,
    )


@pytest.fixture
def counter(outlet, dukcapil, ktp, kk, officer):
    from services_desk.services.catalogue import agency_staff_add, counter_upsert

    agency_staff_add(agency=dukcapil, user=officer)
    return counter_upsert(outlet=outlet, number=1, name="Loket 1", agency=dukcapil, services=[ktp, kk])


@pytest.fixture
def officer2(make_user, outlet, dukcapil):
    from services_desk.services.catalogue import agency_staff_add

    user = make_user("petugas2", "service_officer", [outlet])
    agency_staff_add(agency=dukcapil, user=user)
    return user


@pytest.fixture
def counter2(outlet, dukcapil, ktp, kk, officer2):
    from services_desk.services.catalogue import counter_upsert

    return counter_upsert(outlet=outlet, number=2, name="Loket 2", agency=dukcapil, services=[ktp, kk])


@pytest.fixture
def pln_officer(make_user, outlet, pln):
    from services_desk.services.catalogue import agency_staff_add

    user = make_user("petugas_pln", "service_officer", [outlet])
    agency_staff_add(agency=pln, user=user)
    return user


@pytest.fixture
def pln_counter(outlet, pln, listrik, pln_officer):
    from services_desk.services.catalogue import counter_upsert

    return counter_upsert(outlet=outlet, number=6, name="Loket 6", agency=pln, services=[listrik])


@pytest.fixture
def issue(outlet):
    """Issue a ticket without printing, optionally pretending it arrived some minutes ago."""
    from services_desk.models import QueueTicket
    from services_desk.services.queue import ticket_issue

    def _issue(service, *, minutes_ago=0, **kwargs):
        kwargs.setdefault("print_ticket", False)
        ticket = ticket_issue(outlet=outlet, service=service, **kwargs)
        if minutes_ago:
            QueueTicket.objects.filter(pk=ticket.pk).update(
                arrived_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
            )
            ticket.refresh_from_db()
        return ticket

    return _issue


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def png_bytes():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def _make(name="kk.pdf", data=PDF_BYTES, content_type="application/pdf"):
        return SimpleUploadedFile(name, data, content_type=content_type)

    return _make


@pytest.fixture
def citizen_request(ktp, customer_user, pdf_upload):
    from services_desk.services.requests import DocumentUpload, service_request_create

    return service_request_create(
        service=ktp,
        applicant_name="Siti Aminah",
        phone="081234567890",
        details="KTP hilang",
        user=customer_user,
        created_by=customer_user,
        documents=[DocumentUpload(label="Kartu Keluarga", file=pdf_upload())],
    )


# The catalogue's own builders: approved products through curation, stock received through consignment.
from catalog.tests.conftest import food_category, make_product, stock_in, vendor  # noqa: E402,F401


@pytest.fixture
def shelf(outlet, vendor, make_product, stock_in):  # noqa: F811
    """Two UMKM products on the café's shelf: 5 units of keripik, 3 of sambal."""
    keripik = make_product(vendor, name="Keripik Tempe", prices=(15000,)).variants.get()
    sambal = make_product(vendor, name="Sambal Pecel", prices=(20000,)).variants.get()
    stock_in(outlet, keripik, 5)
    stock_in(outlet, sambal, 3)
    return keripik, sambal


def later_today(minutes: int = 30) -> datetime.datetime:
    """A moment still ahead today (WIB), `minutes` from now if the day allows: at 23:50 a slot 30 minutes
    ahead would be tomorrow, and an appointment checks in only on its own day."""
    now = timezone.now()
    end_of_day = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59, 59)))
    return min(now + datetime.timedelta(minutes=minutes), now + (end_of_day - now) / 2)
