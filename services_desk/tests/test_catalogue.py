"""Agencies and services: the adminduk cost stays Rp0 by every path; demo data of real Trenggalek services."""

import io

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import DomainError
from services_desk.models import Service


@pytest.mark.django_db
def test_adminduk_service_refuses_a_cost_on_create(dukcapil, outlet):
    from services_desk.services.catalogue import service_upsert

    with pytest.raises(DomainError) as exc:
        service_upsert(agency=dukcapil, slug="akta", name="Akta Kelahiran", prefix="A", is_adminduk=True, cost=5000)
    assert exc.value.code == "adminduk_cost_locked"
    assert not Service.objects.filter(slug="akta").exists()


@pytest.mark.django_db
def test_adminduk_cost_cannot_be_changed_by_service_or_upsert(ktp, dukcapil):
    from services_desk.services.catalogue import service_set_cost, service_upsert

    with pytest.raises(DomainError) as exc:
        service_set_cost(service=ktp, cost=10000)
    assert exc.value.code == "adminduk_cost_locked"
    with pytest.raises(DomainError):
        service_upsert(agency=dukcapil, slug="ktp-el", name="KTP-el", prefix="A", is_adminduk=True, cost=1)
    ktp.refresh_from_db()
    assert ktp.cost == 0


@pytest.mark.django_db
def test_adminduk_cost_guarded_by_the_database(ktp):
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=ktp.pk).update(cost=25000)
    ktp.refresh_from_db()
    assert ktp.cost == 0


@pytest.mark.django_db
def test_adminduk_cost_refused_in_the_admin(client, admin_user, ktp):
    client.force_login(admin_user)
    url = f"/admin/services_desk/service/{ktp.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}
    data.update(
        {
            "agency": ktp.agency_id,
            "cost": 15000,
            "is_adminduk": "on",
            "requirements": "[]",
            "procedure": "[]",
            "outlets": [o.pk for o in ktp.outlets.all()],
            "availability": "cafe",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    errors = response.context["adminform"].form.errors
    assert "Rp0" in str(errors), errors  # refused for the adminduk rule, not for another field
    ktp.refresh_from_db()
    assert ktp.cost == 0


@pytest.mark.django_db
def test_non_adminduk_cost_can_change(listrik):
    from services_desk.services.catalogue import service_set_cost

    assert service_set_cost(service=listrik, cost=150000).cost == 150000
    with pytest.raises(DomainError):
        service_set_cost(service=listrik, cost=-1)
    with pytest.raises(DomainError):
        service_set_cost(service=listrik, cost=1.5)


@pytest.mark.django_db
def test_search_by_citizens_words(ktp, listrik, kk, outlet):
    from services_desk.selectors import services_search

    assert list(services_search(search="ktp hilang")) == [ktp]
    assert list(services_search(search="PLN")) == [listrik]
    assert set(services_search(outlet=outlet)) == {ktp, kk, listrik}


@pytest.mark.django_db
def test_demo_data_real_services_and_dukcapil_officer(roles):
    from accounts import demo as accounts_demo
    from services_desk import demo
    from services_desk.models import Agency, AgencyStaff, Counter

    out = io.StringIO()
    accounts_demo.populate(stdout=out)
    demo.populate(stdout=out)
    demo.populate(stdout=out)  # idempotent
    services = Service.objects.all()
    assert services.count() >= 12
    assert Agency.objects.filter(services__isnull=False).distinct().count() >= 6
    assert set(services.filter(is_adminduk=True).values_list("cost", flat=True)) == {0}
    for slug in (
        "ktp-el",
        "kartu-keluarga",
        "akta-kelahiran",
        "pindah-datang",
        "nib-oss",
        "pbg",
        "pajak-kendaraan-tahunan",
        "pln-pasang-baru",
        "pdam-sambungan-baru",
    ):
        assert services.filter(slug=slug).exists(), slug
    staff = AgencyStaff.objects.get(user__username="petugas")
    assert staff.agency.slug == "dukcapil"
    assert Counter.objects.filter(outlet__code="GLR", agency=staff.agency).exists()


@pytest.mark.django_db
def test_admin_creates_an_agency_api_client_bound_to_the_agency(client, admin_user, dukcapil):
    from accounts.services.tokens import token_authenticate
    from services_desk.models import AgencyStaff

    client.force_login(admin_user)
    response = client.post(
        "/admin/services_desk/agency/", {"action": "create_api_client", "_selected_action": [dukcapil.pk]}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    token = text.split()[-1]
    user = token_authenticate(token)
    assert user is not None and user.username.startswith("api-dukcapil-")
    assert AgencyStaff.objects.get(user=user).agency == dukcapil and AgencyStaff.objects.get(user=user).is_api_client
    assert user.restricted_to_outlets and not user.outlets.exists() and not user.has_usable_password()
