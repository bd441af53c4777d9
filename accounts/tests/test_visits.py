"""The shared visit: codes, opening, attaching a customer, closing, finding by code or QR."""

import threading

import pytest
from django.db import connection

from accounts.models import Visit, VisitChannel, VisitStatus
from accounts.selectors import visit_find
from accounts.services.customers import customer_get_or_create
from accounts.services.visits import visit_attach_customer, visit_close, visit_open, visits_close_stale
from accounts.visit_codes import ALPHABET
from core.exceptions import DomainError


@pytest.mark.django_db
def test_visit_open_draws_a_readable_code(outlet):
    visit = visit_open(outlet=outlet, channel=VisitChannel.KIOSK)
    assert len(visit.code) == 5
    assert set(visit.code) <= set(ALPHABET)
    assert not set(visit.code) & set("0O1IL2Z5S8B")
    assert visit.status == VisitStatus.OPEN
    assert visit.qr_payload == f"GMV1:{outlet.pk}:{visit.business_date:%Y%m%d}:{visit.code}"


@pytest.mark.django_db
def test_visit_codes_unique_per_outlet_and_day(outlet):
    codes = {visit_open(outlet=outlet, channel=VisitChannel.POS).code for _ in range(300)}
    assert len(codes) == 300


@pytest.mark.django_db
def test_visit_at_a_cafe_needs_an_active_cafe(outlet):
    outlet.is_active = False
    outlet.save()
    with pytest.raises(DomainError) as exc:
        visit_open(outlet=outlet, channel=VisitChannel.KIOSK)
    assert exc.value.code == "outlet_inactive"
    with pytest.raises(DomainError):
        visit_open(outlet=None, channel=VisitChannel.KIOSK)
    assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_find_visit_by_typed_code_or_scanned_qr(outlet, other_outlet):
    visit = visit_open(outlet=outlet, channel=VisitChannel.KIOSK)
    assert visit_find(code_or_qr=visit.code.lower(), outlet=outlet) == visit
    assert visit_find(code_or_qr=f" {visit.code[:2]}-{visit.code[2:]} ", outlet=outlet) == visit
    assert visit_find(code_or_qr=visit.qr_payload, outlet=outlet) == visit
    # Another café's cashier cannot pick it up, nor can a forged QR for another café.
    assert visit_find(code_or_qr=visit.code, outlet=other_outlet) is None
    assert visit_find(code_or_qr=visit.qr_payload, outlet=other_outlet) is None


@pytest.mark.django_db
def test_attach_customer_once(outlet):
    visit = visit_open(outlet=outlet, channel=VisitChannel.KIOSK)
    budi = customer_get_or_create(phone="081234567890")
    siti = customer_get_or_create(phone="081234567891")
    visit_attach_customer(visit=visit, customer=budi)
    visit_attach_customer(visit=visit, customer=budi)  # again: harmless
    with pytest.raises(DomainError):
        visit_attach_customer(visit=visit, customer=siti)
    visit.refresh_from_db()
    assert visit.customer == budi


@pytest.mark.django_db
def test_close_is_idempotent_and_blocks_attach(outlet):
    visit = visit_open(outlet=outlet, channel=VisitChannel.POS)
    visit_close(visit=visit)
    closed_at = Visit.objects.get(pk=visit.pk).closed_at
    visit_close(visit=visit)
    assert Visit.objects.get(pk=visit.pk).closed_at == closed_at
    with pytest.raises(DomainError) as exc:
        visit_attach_customer(visit=visit, customer=customer_get_or_create(phone="081234567890"))
    assert exc.value.code == "visit_closed"


@pytest.mark.django_db
def test_stale_visits_close_at_day_end(outlet):
    import datetime

    old = visit_open(outlet=outlet, channel=VisitChannel.POS)
    Visit.objects.filter(pk=old.pk).update(business_date=old.business_date - datetime.timedelta(days=1))
    today = visit_open(outlet=outlet, channel=VisitChannel.POS)
    assert visits_close_stale() == 1
    assert Visit.objects.get(pk=old.pk).status == VisitStatus.CLOSED
    assert Visit.objects.get(pk=today.pk).status == VisitStatus.OPEN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_visit_codes_unique_under_concurrency(outlet, monkeypatch):
    # Force collisions: a code space of 80 for 40 visits makes parallel kiosks draw the same codes often.
    import random

    from accounts.services import visits as visits_module

    drawn = []

    def colliding_code():
        code = f"AAA{random.randrange(80):02d}"
        drawn.append(code)
        return code

    monkeypatch.setattr(visits_module, "visit_code_generate", colliding_code)
    results, errors = [], []

    def kiosk():
        try:
            for _ in range(10):
                results.append(visit_open(outlet=outlet, channel=VisitChannel.KIOSK).code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=kiosk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 40
    assert len(set(results)) == 40
    assert Visit.objects.count() == 40
    assert len(drawn) > 40  # collisions happened and were retried
