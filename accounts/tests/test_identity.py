"""NIK and phone validation, storage and display."""

import pytest

from accounts.exceptions import InvalidNik, InvalidPhone
from accounts.models import Customer
from accounts.nik import nik_mask, nik_validate
from accounts.phone_numbers import phone_display, phone_normalize
from accounts.services.customers import customer_get_or_create, customer_reveal_nik, customer_set_nik
from core.exceptions import DomainError

MAN = "3503011708850001"  # Trenggalek (35.03.01), born 17/08/1985
WOMAN = "3503015708850002"  # same, 57 = 17 + 40: a woman


def test_nik_parses_region_and_birth_date():
    info = nik_validate(MAN)
    assert info.region_code == "350301"
    assert info.birth_date.isoformat() == "1985-08-17"
    assert info.is_female is False


def test_nik_day_plus_forty_means_woman():
    info = nik_validate(WOMAN)
    assert info.is_female is True
    assert info.birth_date.isoformat() == "1985-08-17"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("350301170885000", "16 digits"),  # too short
        ("35030117088500011", "16 digits"),  # too long
        ("35030117088A0001", "digits"),
        ("9903011708850001", "region"),  # no such province
        ("3503013208850001", "birth date"),  # day 32
        ("3503017208850001", "birth date"),  # woman's day 72 = 32
        ("3503011713850001", "birth date"),  # month 13
        ("3503011708850000", "valid"),  # serial 0000
    ],
)
def test_nik_rejects_invalid(raw, reason):
    with pytest.raises(InvalidNik) as exc:
        nik_validate(raw)
    assert exc.value.code == "invalid_nik"
    assert exc.value.message


def test_nik_accepts_separators():
    assert nik_validate("3503 0117 0885 0001").number == MAN


def test_nik_mask():
    assert nik_mask(MAN) == "3503********0001"


@pytest.mark.parametrize(
    "raw", ["081234567890", "0812-3456-7890", "6281234567890", "+6281234567890", "+62 812 3456 7890"]
)
def test_phone_normalises_to_e164(raw):
    assert phone_normalize(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["", "abc", "0812", "12345", "+1 202"])
def test_phone_rejects_invalid(raw):
    with pytest.raises(InvalidPhone):
        phone_normalize(raw)


def test_phone_display_is_national():
    assert phone_display("+6281234567890").startswith("0812")


@pytest.mark.django_db
def test_nik_is_stored_encrypted_and_found_by_hash():
    customer = customer_get_or_create(phone="081234567890", name="Siti")
    customer_set_nik(customer=customer, nik=WOMAN)
    row = Customer.objects.values("nik_encrypted", "nik_hash", "nik_masked").get(pk=customer.pk)
    assert WOMAN not in row["nik_encrypted"]
    assert WOMAN not in row["nik_hash"]
    assert row["nik_masked"] == "3503********0002"
    from accounts.selectors import customer_find_by_nik

    assert customer_find_by_nik(WOMAN) == customer
    assert customer_find_by_nik(MAN) is None


@pytest.mark.django_db
def test_same_nik_cannot_belong_to_two_customers():
    a = customer_get_or_create(phone="081234567890")
    b = customer_get_or_create(phone="081234567891")
    customer_set_nik(customer=a, nik=MAN)
    with pytest.raises(DomainError) as exc:
        customer_set_nik(customer=b, nik=MAN)
    assert exc.value.code == "duplicate"
    b.refresh_from_db()
    assert b.nik_hash is None


@pytest.mark.django_db
def test_invalid_nik_changes_nothing():
    customer = customer_get_or_create(phone="081234567890")
    with pytest.raises(InvalidNik):
        customer_set_nik(customer=customer, nik="1234")
    customer.refresh_from_db()
    assert customer.nik_encrypted == "" and customer.nik_hash is None


@pytest.mark.django_db
def test_reveal_nik_needs_permission_and_is_logged(cashier, admin_user):
    from accounts.models import PersonalDataAccess

    customer = customer_set_nik(customer=customer_get_or_create(phone="081234567890"), nik=MAN)
    with pytest.raises(DomainError):
        customer_reveal_nik(customer=customer, user=cashier)
    assert customer_reveal_nik(customer=customer, user=admin_user) == MAN
    actions = list(PersonalDataAccess.objects.order_by("created_at").values_list("action", flat=True))
    assert actions == ["denied", "reveal"]


@pytest.mark.django_db
def test_customer_get_or_create_is_keyed_by_normalised_phone():
    a = customer_get_or_create(phone="081234567890", name="Budi")
    b = customer_get_or_create(phone="+62 812-3456-7890")
    assert a.pk == b.pk
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_marketing_consent_is_separate_from_service_consent():
    from accounts.models import ConsentRecord
    from accounts.services.customers import customer_set_marketing_consent

    customer = customer_get_or_create(phone="081234567890", source="kiosk")
    assert customer.consent_service_at is not None
    assert customer.consent_marketing is False
    customer_set_marketing_consent(customer=customer, granted=True, source="web")
    kinds = set(ConsentRecord.objects.filter(customer=customer).values_list("kind", "granted"))
    assert kinds == {("service", True), ("marketing", True)}
