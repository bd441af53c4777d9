"""Curation: the state machine, the checklist, back-to-review on price/permit edits, automatic suspension."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.curation import ALLOWED_TRANSITIONS
from catalog.exceptions import InvalidTransition
from catalog.models import AuditAction, Permit, Product, ProductAuditEntry, ProductStatus
from catalog.selectors import permits_expiring, variants_sellable
from catalog.services.products import (
    VariantInput,
    permit_save,
    product_create,
    product_review,
    product_set_status,
    product_submit_for_review,
    product_suspend,
    product_update,
    products_suspend_expired_permits,
)
from core.exceptions import DomainError

from .conftest import ALL_PASS

pytestmark = pytest.mark.django_db

STATES = list(ProductStatus.values)


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def draft(vendor, category, **kwargs):
    return product_create(
        vendor=vendor,
        category=category,
        name=kwargs.pop("name", "Alen-Alen"),
        net_weight="200 g",
        variants=[VariantInput(name="200 g", price=12000)],
        user=vendor.owner,
        **kwargs,
    )


@pytest.mark.parametrize("current,target", list(itertools.product(STATES, STATES)))
def test_every_transition_is_allowed_or_refused_as_the_table_says(vendor, food_category, current, target):
    product = draft(vendor, food_category)
    Product.objects.filter(pk=product.pk).update(status=current)
    product.refresh_from_db()
    if target in ALLOWED_TRANSITIONS.get(current, set()):
        product_set_status(product=product, status=target, action=AuditAction.UPDATED)
        assert Product.objects.get(pk=product.pk).status == target
    else:
        with pytest.raises(InvalidTransition):
            product_set_status(product=product, status=target, action=AuditAction.UPDATED)
        assert Product.objects.get(pk=product.pk).status == current


def test_submit_needs_a_food_permit_for_food(vendor, food_category):
    product = draft(vendor, food_category)
    with pytest.raises(DomainError) as exc:
        product_submit_for_review(product=product, user=vendor.owner)
    assert exc.value.code == "permit_missing"
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT
    permit_save(product=product, type="pirt", number="2063503010001-27", expires_on=in_days(400), user=vendor.owner)
    product_submit_for_review(product=product, user=vendor.owner)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED


def test_pirt_is_not_enough_for_milk_meat_fish_poultry(vendor, dairy_category):
    product = draft(vendor, dairy_category, name="Yoghurt Susu Kambing")
    permit_save(product=product, type="pirt", number="2063503010002-27", expires_on=in_days(400), user=vendor.owner)
    with pytest.raises(DomainError) as exc:
        product_submit_for_review(product=product, user=vendor.owner)
    assert "BPOM" in exc.value.message
    permit_save(product=product, type="bpom_md", number="MD 123456789012", expires_on=in_days(900), user=vendor.owner)
    product_submit_for_review(product=product, user=vendor.owner)


def test_craft_needs_no_food_permit(vendor, craft_category):
    product = product_create(
        vendor=vendor,
        category=craft_category,
        name="Batik Tulis",
        variants=[VariantInput(name="2 m", price=450000)],
        user=vendor.owner,
    )
    product_submit_for_review(product=product, user=vendor.owner)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED


@pytest.mark.parametrize(
    "permit",
    [
        {"type": "pirt", "number": "", "expires_on": 400},
        {"type": "pirt", "number": "123", "expires_on": None},
        {"type": "pirt", "number": "123", "expires_on": -1},
    ],
)
def test_invalid_permits_are_refused(vendor, food_category, permit):
    product = draft(vendor, food_category)
    expires = in_days(permit["expires_on"]) if permit["expires_on"] is not None else None
    with pytest.raises(DomainError):
        permit_save(
            product=product, type=permit["type"], number=permit["number"], expires_on=expires, user=vendor.owner
        )
    assert not Permit.objects.exists()


def test_approve_needs_every_item_passed_and_records_the_review(variant, curator, make_product, vendor):
    product = make_product(vendor, name="Gula Aren", approve=False)
    product_submit_for_review(product=product, user=vendor.owner)
    failing = {**ALL_PASS, "label": {"passed": False, "note": "Tanggal kedaluwarsa tidak ada"}}
    with pytest.raises(DomainError) as exc:
        product_review(product=product, user=curator, decision="approve", checklist=failing)
    assert exc.value.code == "checklist_incomplete"
    with pytest.raises(DomainError):
        product_review(product=product, user=curator, decision="approve", checklist={"nib": {"passed": True}})
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED
    review = product_review(product=product, user=curator, decision="approve", checklist=ALL_PASS)
    assert review.checklist["label"] == {"passed": True, "note": ""}
    product.refresh_from_db()
    assert product.status == ProductStatus.APPROVED
    assert ProductAuditEntry.objects.filter(product=product, action=AuditAction.APPROVED, user=curator).exists()


def test_reject_needs_failed_items_with_reasons_and_owner_can_resubmit(curator, make_product, vendor):
    product = make_product(vendor, name="Manisan", approve=False)
    product_submit_for_review(product=product, user=vendor.owner)
    with pytest.raises(DomainError) as exc:
        product_review(product=product, user=curator, decision="reject", checklist=ALL_PASS)
    assert exc.value.code == "checklist_incomplete"
    failing = {**ALL_PASS, "packaging": {"passed": False}}
    with pytest.raises(DomainError) as exc:
        product_review(product=product, user=curator, decision="reject", checklist=failing)
    assert exc.value.code == "reason_required"
    failing["packaging"]["note"] = "Kemasan bocor"
    product_review(product=product, user=curator, decision="reject", checklist=failing)
    product.refresh_from_db()
    assert product.status == ProductStatus.REJECTED
    # the owner fixes and resubmits
    product_submit_for_review(product=product, user=vendor.owner)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED


def test_reviewing_a_product_not_waiting_is_refused(variant, curator):
    with pytest.raises(InvalidTransition):
        product_review(product=variant.product, user=curator, decision="approve", checklist=ALL_PASS)


def test_price_change_after_approval_goes_back_to_review_and_is_audited(variant, vendor):
    product = variant.product
    product_update(
        product=product,
        user=vendor.owner,
        variants=[VariantInput(id=variant.pk, name=variant.name, price=17000, sku=variant.sku)],
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.SUBMITTED
    entry = ProductAuditEntry.objects.filter(product=product, action=AuditAction.UPDATED).first()
    assert entry.user == vendor.owner
    assert list(entry.changes["variants"].values())[0]["price"] == [15000, 17000]
    assert ProductAuditEntry.objects.filter(product=product, action=AuditAction.BACK_TO_REVIEW).exists()
    assert not variants_sellable().filter(pk=variant.pk).exists()


def test_price_only_changes_allowed_by_the_curator_keep_the_product_listed(curator, make_product, vendor):
    product = make_product(vendor, name="Kopi", approve=False)
    product_submit_for_review(product=product, user=vendor.owner)
    product_review(product=product, user=curator, decision="approve", checklist=ALL_PASS, allow_price_changes=True)
    variant = product.variants.get()
    product_update(
        product=product,
        user=vendor.owner,
        variants=[VariantInput(id=variant.pk, name=variant.name, price=40000, sku=variant.sku)],
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.APPROVED
    assert ProductAuditEntry.objects.filter(product=product, action=AuditAction.UPDATED).exists()


def test_description_change_after_approval_is_audited_but_stays_listed(variant, vendor):
    product_update(product=variant.product, user=vendor.owner, description="Lebih renyah")
    product = Product.objects.get(pk=variant.product_id)
    assert product.status == ProductStatus.APPROVED
    entry = ProductAuditEntry.objects.filter(product=product, action=AuditAction.UPDATED).get()
    assert entry.changes["description"][1] == "Lebih renyah"


def test_permit_change_after_approval_goes_back_to_review(variant, vendor):
    permit = variant.product.permits.get()
    permit_save(
        product=variant.product,
        permit=permit,
        type="pirt",
        number="2063503019999-28",
        expires_on=in_days(700),
        user=vendor.owner,
    )
    assert Product.objects.get(pk=variant.product_id).status == ProductStatus.SUBMITTED


def test_suspend_needs_a_reason_and_an_approved_product(variant, curator):
    with pytest.raises(DomainError) as exc:
        product_suspend(product=variant.product, user=curator, reason=" ")
    assert exc.value.code == "reason_required"
    product_suspend(product=variant.product, user=curator, reason="Keluhan pembeli")
    assert Product.objects.get(pk=variant.product_id).status == ProductStatus.SUSPENDED
    with pytest.raises(InvalidTransition):
        product_suspend(product=variant.product, user=curator, reason="lagi")


def test_expired_permit_suspends_the_product_once_and_tells_the_owner(
    variant, make_product, vendor, django_capture_on_commit_callbacks, settings
):
    from core.messaging import ConsoleProvider

    settings.MESSAGE_CHANNEL = "console"
    keep = make_product(vendor, name="Tetap Aktif")
    Permit.objects.filter(product=variant.product).update(expires_on=in_days(-1))
    ConsoleProvider.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert products_suspend_expired_permits() == 1
    assert [m.subject for m in ConsoleProvider.sent] == ["Produk dinonaktifkan: Keripik Tempe"]
    assert products_suspend_expired_permits() == 0
    product = Product.objects.get(pk=variant.product_id)
    assert product.status == ProductStatus.SUSPENDED
    assert ProductAuditEntry.objects.filter(product=product, action=AuditAction.AUTO_SUSPENDED, user=None).exists()
    assert Product.objects.get(pk=keep.pk).status == ProductStatus.APPROVED
    assert not variants_sellable().filter(pk=variant.pk).exists()


def test_expired_permit_hides_the_product_even_before_the_task_runs(variant):
    Permit.objects.filter(product=variant.product).update(expires_on=in_days(-1))
    assert not variants_sellable().filter(pk=variant.pk).exists()


def test_management_command_suspends_expired(variant):
    Permit.objects.filter(product=variant.product).update(expires_on=in_days(-3))
    out = io.StringIO()
    call_command("catalog_suspend_expired", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert Product.objects.get(pk=variant.product_id).status == ProductStatus.SUSPENDED


def test_expiring_permits_list_is_scoped_to_the_owner(variant, make_product, other_vendor, curator, vendor):
    other = make_product(other_vendor, name="Batik")
    Permit.objects.filter(product=variant.product).update(expires_on=in_days(10))
    Permit.objects.filter(product=other).update(expires_on=in_days(20))
    assert permits_expiring(user=curator).count() == 2
    assert [p.product_id for p in permits_expiring(user=vendor.owner)] == [variant.product_id]
    assert permits_expiring(user=vendor.owner, within_days=5).count() == 0
