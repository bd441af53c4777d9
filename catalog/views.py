"""Catalogue screens: the public storefront, the UMKM owner's back office, curation, café stock, labels, imports.

Views parse input, call one service and render; refusals come back as form errors with the service's message.
Another owner's object is a 404, never a 403, so ids cannot be probed.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Outlet, PersonalDataAccess
from accounts.selectors import outlets_for_user, user_can_act_at_outlet
from core.exceptions import DomainError

from .curation import CHECKLIST_ITEMS
from .forms import (
    AdjustForm,
    DeliveryLineForm,
    ImportForm,
    PermitForm,
    PhotoForm,
    ProductForm,
    ReviewForm,
    SuspendForm,
    TransferForm,
    VariantFormSet,
    VendorForm,
)
from .imports import products_import, stock_counts_import
from .labels import label_barcode_svg
from .models import (
    Category,
    DeliveryStatus,
    Permit,
    Product,
    ProductStatus,
    ProductVariant,
    StockDelivery,
    StockTransfer,
    Vendor,
)
from .selectors import (
    batches_expiring,
    curation_queue,
    permits_expiring,
    product_availability,
    product_page_queryset,
    products_for_owner,
    products_search,
    stock_for_outlet,
    stock_for_vendor,
    transfers_in_transit,
    user_sees_product_internals,
    variant_find_by_code,
    vendors_for_user,
)
from .services.deliveries import DeliveryLineInput, stock_delivery_create, stock_delivery_receive
from .services.images import product_image_add
from .services.products import (
    VariantInput,
    permit_save,
    product_create,
    product_review,
    product_submit_for_review,
    product_suspend,
    product_update,
)
from .services.stock import StockLine, stock_adjust
from .services.transfers import stock_transfer_cancel, stock_transfer_receive, stock_transfer_send
from .services.vendors import vendor_create, vendor_update

logger = logging.getLogger(__name__)
PAGE_SIZE = 24


def _form_errors(form, exc: DomainError) -> None:
    """Show a service refusal on the form: on its field when the form has one, else on the whole form."""
    for error in exc.as_errors():
        field = error["field"] if error["field"] in form.fields else None
        form.add_error(field, error["message"])


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- storefront ----------------------------------------------------------------------------------


EXPIRY_WARNING_DAYS = 30  # the stock page flags batches whose best-before date is this close


def product_list(request):
    q = request.GET.get("q", "")
    # Filters named by slug; an empty one costs no query.
    category = Category.objects.filter(slug=request.GET["kategori"]).first() if request.GET.get("kategori") else None
    vendor = (
        Vendor.objects.filter(slug=request.GET["umkm"], is_active=True).first() if request.GET.get("umkm") else None
    )
    outlet = (
        Outlet.objects.filter(slug=request.GET["kafe"], is_active=True).first() if request.GET.get("kafe") else None
    )
    sort = request.GET.get("urut", "rank" if q else "name")
    products = (
        products_search(
            search=q,
            category_id=category.pk if category else None,
            vendor_id=vendor.pk if vendor else None,
            outlet_id=outlet.pk if outlet else None,
            price_gte=_int_or_none(request.GET.get("harga_min")),
            price_lte=_int_or_none(request.GET.get("harga_maks")),
            sort=sort.removeprefix("-"),
            descending=sort.startswith("-"),
        )
        .select_related("vendor", "category")
        .prefetch_related("images")
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "category": category,
        "vendor": vendor,
        "outlet": outlet,
        "sort": sort,
        "categories": Category.objects.all(),
        "outlets": Outlet.objects.filter(is_active=True, offers_sales=True).order_by("name"),
        "vendors": Vendor.objects.filter(is_active=True).order_by("name"),
        "harga_min": request.GET.get("harga_min", ""),
        "harga_maks": request.GET.get("harga_maks", ""),
    }
    return render(request, "catalog/product_list.html", context)


def product_detail(request, slug):
    product = get_object_or_404(product_page_queryset(), slug=slug)
    listable = product.status == ProductStatus.APPROVED and product.vendor.is_active
    if not listable and not user_sees_product_internals(request.user, product):
        raise Http404
    availability = product_availability(product)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "variants": list(product.variants.all()),
            "images": list(product.images.all()),
            "permits": list(product.permits.all()),
            "availability": availability,
            "listable": listable,
            "next": request.get_full_path(),
        },
    )


# --- the UMKM owner -------------------------------------------------------------------------------


@login_required
@permission_required("catalog.change_product", raise_exception=True)
def owner_dashboard(request):
    vendors = list(vendors_for_user(request.user).filter(owner=request.user))
    products = products_for_owner(request.user).filter(vendor__owner=request.user).select_related("vendor", "category")
    deliveries = StockDelivery.objects.filter(vendor__owner=request.user).select_related("outlet")[:20]
    stock = [row for vendor in vendors for row in stock_for_vendor(vendor)]
    return render(
        request,
        "catalog/owner_dashboard.html",
        {
            "vendors": vendors,
            "products": products,
            "deliveries": deliveries,
            "stock": stock,
            "expiring": permits_expiring(user=request.user),
        },
    )


@login_required
@permission_required("catalog.add_vendor", raise_exception=True)
@require_http_methods(["GET", "POST"])
def vendor_edit(request, pk=None):
    vendor = get_object_or_404(vendors_for_user(request.user), pk=pk) if pk else None
    if vendor is not None and not request.user.has_perm("catalog.change_vendor"):
        raise PermissionDenied
    form = VendorForm(request.POST or None, instance=vendor)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "nib"}
        try:
            if vendor is None:
                vendor = vendor_create(owner=request.user, nib=form.cleaned_data["nib"], **data)
            else:
                vendor_update(vendor=vendor, **data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("UMKM details saved."))
            return redirect("catalog:owner-dashboard")
    return render(request, "catalog/vendor_form.html", {"form": form, "vendor": vendor})


@login_required
@permission_required("catalog.change_product", raise_exception=True)
@require_http_methods(["GET", "POST"])
def product_edit(request, pk=None):
    product = get_object_or_404(products_for_owner(request.user).select_related("vendor"), pk=pk) if pk else None
    vendors = vendors_for_user(request.user).filter(is_active=True)
    if product is None and not request.user.has_perm("catalog.add_product"):
        raise PermissionDenied
    vendor = (
        product.vendor
        if product
        else vendors.filter(pk=_int_or_none(request.GET.get("umkm") or request.POST.get("umkm"))).first()
        or vendors.first()
    )
    if vendor is None:
        messages.info(request, _("Register your UMKM first."))
        return redirect("catalog:vendor-create")
    initial = {}
    variants_initial = []
    if product:
        initial = {
            f: getattr(product, f) for f in ("name", "description", "net_weight", "ingredients", "shelf_life_days")
        }
        initial["category"] = product.category_id
        variants_initial = [
            {"id": v.pk, "name": v.name, "price": v.price, "sku": v.sku, "barcode": v.barcode, "is_active": v.is_active}
            for v in product.variants.all()
        ]
    form = ProductForm(request.POST or None, initial=initial)
    formset = VariantFormSet(request.POST or None, initial=variants_initial, prefix="variant")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        variants = [
            VariantInput(
                id=f.cleaned_data.get("id"),
                name=f.cleaned_data["name"],
                price=f.cleaned_data["price"],
                sku=f.cleaned_data.get("sku") or "",
                barcode=f.cleaned_data.get("barcode") or "",
                is_active=f.cleaned_data.get("is_active", False),
            )
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("name")
        ]
        try:
            if product is None:
                product = product_create(vendor=vendor, variants=variants, user=request.user, **form.cleaned_data)
            else:
                product = product_update(product=product, variants=variants, user=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("catalog:product-manage", pk=product.pk)
    return render(
        request, "catalog/product_form.html", {"form": form, "formset": formset, "product": product, "vendor": vendor}
    )


@login_required
@permission_required("catalog.change_product", raise_exception=True)
@require_http_methods(["GET", "POST"])
def product_manage(request, pk):
    """The owner's page of one product: status and verdict, permits, photos, submit for review, audit trail."""
    product = get_object_or_404(
        products_for_owner(request.user)
        .select_related("vendor", "category")
        .prefetch_related("variants", "permits", "images"),
        pk=pk,
    )
    permit_form = PermitForm(prefix="permit")
    photo_form = PhotoForm(prefix="photo")
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "permit":
                permit_form = PermitForm(request.POST, request.FILES, prefix="permit")
                if permit_form.is_valid():
                    data = permit_form.cleaned_data
                    permit_save(
                        product=product,
                        type=data["type"],
                        number=data["number"],
                        issued_on=data["issued_on"],
                        expires_on=data["expires_on"],
                        scan=data["scan"],
                        user=request.user,
                    )
                    messages.success(request, _("Permit saved."))
                    return redirect("catalog:product-manage", pk=product.pk)
            elif action == "photo":
                photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
                if photo_form.is_valid():
                    product_image_add(
                        product=product,
                        upload=photo_form.cleaned_data["image"],
                        alt=photo_form.cleaned_data["alt"],
                        user=request.user,
                    )
                    messages.success(request, _("Photo added."))
                    return redirect("catalog:product-manage", pk=product.pk)
            elif action == "submit":
                product_submit_for_review(product=product, user=request.user)
                messages.success(request, _("Sent to the curators."))
                return redirect("catalog:product-manage", pk=product.pk)
        except DomainError as exc:
            target = photo_form if action == "photo" else permit_form
            if action == "submit":
                for error in exc.as_errors():
                    messages.error(request, error["message"])
                return redirect("catalog:product-manage", pk=product.pk)
            _form_errors(target, exc)
    return render(
        request,
        "catalog/product_manage.html",
        {
            "product": product,
            "permit_form": permit_form,
            "photo_form": photo_form,
            "audit": product.audit_entries.select_related("user")[:50],
            "reviews": product.reviews.select_related("reviewer")[:10],
        },
    )


@login_required
def permit_scan(request, pk):
    """Serve a permit scan to its owner and to curators only; every access is logged."""
    permit = get_object_or_404(Permit.objects.select_related("product__vendor"), pk=pk)
    if not permit.scan or not user_sees_product_internals(request.user, permit.product):
        PersonalDataAccess.objects.create(
            user=request.user, subject=f"permit:{pk}:scan", action="denied", ip_address=request.META.get("REMOTE_ADDR")
        )
        raise Http404
    PersonalDataAccess.objects.create(
        user=request.user, subject=f"permit:{pk}:scan", action="download", ip_address=request.META.get("REMOTE_ADDR")
    )
    return FileResponse(permit.scan.open("rb"), as_attachment=True, filename=permit.scan.name.rsplit("/", 1)[-1])


@login_required
@permission_required("catalog.deliver_stock", raise_exception=True)
@require_http_methods(["GET", "POST"])
def delivery_create(request):
    vendors = vendors_for_user(request.user).filter(is_active=True)
    vendor = (
        vendors.filter(pk=_int_or_none(request.GET.get("umkm") or request.POST.get("umkm"))).first() or vendors.first()
    )
    if vendor is None:
        raise Http404
    variants = list(
        ProductVariant.objects.filter(product__vendor=vendor, product__status=ProductStatus.APPROVED, is_active=True)
        .select_related("product")
        .order_by("product__name", "position")
    )
    outlets = Outlet.objects.filter(is_active=True, offers_sales=True).order_by("name")
    lines = [DeliveryLineForm(request.POST or None, prefix=f"line-{v.pk}", initial={"variant": v.pk}) for v in variants]
    error = None
    if request.method == "POST" and all(f.is_valid() for f in lines):
        outlet = outlets.filter(pk=_int_or_none(request.POST.get("outlet"))).first()
        inputs = [
            DeliveryLineInput(
                variant_id=f.cleaned_data["variant"],
                quantity=f.cleaned_data["quantity"],
                batch_code=f.cleaned_data["batch_code"] or "",
                expires_on=f.cleaned_data["expires_on"],
            )
            for f in lines
            if f.cleaned_data.get("quantity")
        ]
        try:
            if outlet is None:
                raise DomainError(_("Choose the café."), field="outlet")
            delivery = stock_delivery_create(
                vendor=vendor, outlet=outlet, lines=inputs, user=request.user, note=request.POST.get("note", "")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Delivery %(number)s recorded: the café confirms it on receipt.") % {"number": delivery.number},
            )
            return redirect("catalog:owner-dashboard")
    return render(
        request,
        "catalog/delivery_form.html",
        {
            "vendor": vendor,
            "vendors": vendors,
            "rows": list(zip(variants, lines, strict=True)),
            "outlets": outlets,
            "error": error,
        },
    )


@login_required
@permission_required("catalog.add_product", raise_exception=True)
@require_http_methods(["GET", "POST"])
def product_import(request):
    vendor = (
        vendors_for_user(request.user).filter(is_active=True, owner=request.user).first()
        or vendors_for_user(request.user).filter(is_active=True).first()
    )
    if vendor is None:
        raise Http404
    return _import(
        request,
        lambda data, name, dry: products_import(
            vendor=vendor, data=data, filename=name, user=request.user, dry_run=dry
        ),
        title=_("Import products"),
        columns="product, category, variant, price, sku, barcode, net_weight, description",
        done_url=reverse("catalog:owner-dashboard"),
    )


def _import(request, run, *, title, columns, done_url):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        confirm = request.POST.get("confirm") == "1"
        try:
            result = run(data, upload.name, not confirm)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if result.written:
                messages.success(request, _("%(n)d rows imported.") % {"n": len(result.rows)})
                return redirect(done_url)
    return render(request, "catalog/import.html", {"form": form, "result": result, "title": title, "columns": columns})


# --- curation ------------------------------------------------------------------------------------


@login_required
@permission_required("catalog.review_product", raise_exception=True)
def curation_queue_view(request):
    return render(
        request,
        "catalog/curation_queue.html",
        {
            "products": curation_queue().prefetch_related("permits", "images"),
            "expiring": permits_expiring(),
            "suspendable": Product.objects.filter(status=ProductStatus.APPROVED)
            .select_related("vendor")
            .order_by("name")[:200],
        },
    )


@login_required
@permission_required("catalog.review_product", raise_exception=True)
@require_http_methods(["GET", "POST"])
def product_review_view(request, pk):
    product = get_object_or_404(product_page_queryset(), pk=pk)
    form = ReviewForm(request.POST or None)
    suspend_form = SuspendForm(request.POST if request.POST.get("action") == "suspend" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "suspend":
                if not request.user.has_perm("catalog.suspend_product"):
                    raise PermissionDenied
                if suspend_form.is_valid():
                    product_suspend(product=product, user=request.user, reason=suspend_form.cleaned_data["reason"])
                    messages.success(request, _("Product suspended."))
                    return redirect("catalog:curation")
            elif form.is_valid():
                product_review(
                    product=product,
                    user=request.user,
                    decision=form.cleaned_data["decision"],
                    checklist=form.checklist(),
                    reason=form.cleaned_data["reason"],
                    allow_price_changes=form.cleaned_data["allow_price_changes"],
                )
                messages.success(request, _("Verdict recorded."))
                return redirect("catalog:curation")
        except DomainError as exc:
            _form_errors(suspend_form if request.POST.get("action") == "suspend" else form, exc)
    checklist_rows = [(form[f"check_{item}"], form[f"note_{item}"]) for item in CHECKLIST_ITEMS]
    return render(
        request,
        "catalog/product_review.html",
        {
            "product": product,
            "form": form,
            "suspend_form": suspend_form,
            "checklist_rows": checklist_rows,
            "audit": product.audit_entries.select_related("user")[:50],
        },
    )


# --- café stock (outlet manager) -------------------------------------------------------------------


def _manager_outlet(request):
    outlets = outlets_for_user(request.user).filter(is_active=True, offers_sales=True).order_by("name")
    outlet = (
        outlets.filter(pk=_int_or_none(request.GET.get("kafe") or request.POST.get("kafe"))).first() or outlets.first()
    )
    if outlet is None or not user_can_act_at_outlet(request.user, outlet):
        raise Http404
    return outlet, outlets


@login_required
@permission_required("catalog.view_stock", raise_exception=True)
@require_http_methods(["GET", "POST"])
def outlet_stock(request):
    outlet, outlets = _manager_outlet(request)
    adjust_form = AdjustForm(request.POST if request.POST.get("action") == "adjust" else None, prefix="adj")
    transfer_form = TransferForm(
        request.POST if request.POST.get("action") == "transfer" else None,
        prefix="trf",
        destinations=Outlet.objects.filter(is_active=True, offers_sales=True).exclude(pk=outlet.pk),
    )
    if request.method == "POST" and request.POST.get("action") in ("transfer_receive", "transfer_cancel"):
        return _transfer_close(request, outlet)
    if request.method == "POST":
        action = request.POST.get("action")
        form = adjust_form if action == "adjust" else transfer_form
        needed = "catalog.adjust_stock" if action == "adjust" else "catalog.transfer_stock"
        if not request.user.has_perm(needed):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            variant = variant_find_by_code(data["code"])
            try:
                if variant is None:
                    raise DomainError(_("No product has this code: %(value)s.") % {"value": data["code"]}, field="code")
                if action == "adjust":
                    stock_adjust(
                        outlet=outlet,
                        variant=variant,
                        reason=data["reason"],
                        delta=data.get("delta"),
                        counted=data.get("counted"),
                        note=data.get("note") or "",
                        user=request.user,
                    )
                else:
                    stock_transfer_send(
                        source=outlet,
                        destination=data["destination"],
                        lines=[StockLine(variant.pk, data["quantity"])],
                        user=request.user,
                        note=data.get("note") or "",
                    )
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Stock updated."))
                return redirect(f"{reverse('catalog:outlet-stock')}?kafe={outlet.pk}")
    deliveries = (
        StockDelivery.objects.filter(outlet=outlet, status=DeliveryStatus.SENT)
        .select_related("vendor")
        .prefetch_related("lines__variant__product")
    )
    return render(
        request,
        "catalog/outlet_stock.html",
        {
            "outlet": outlet,
            "outlets": outlets,
            "stock": stock_for_outlet(outlet),
            "deliveries": deliveries,
            "adjust_form": adjust_form,
            "transfer_form": transfer_form,
            "expiring": batches_expiring(outlet=outlet, within_days=EXPIRY_WARNING_DAYS),
            "expiry_days": EXPIRY_WARNING_DAYS,
            "incoming": transfers_in_transit(destination=outlet),
            "outgoing": transfers_in_transit(source=outlet),
        },
    )


def _transfer_close(request, outlet):
    """Receive a transfer at this café, or call one of its own back."""
    receiving = request.POST.get("action") == "transfer_receive"
    if not request.user.has_perm("catalog.receive_stock" if receiving else "catalog.transfer_stock"):
        raise PermissionDenied
    mine = {"destination": outlet} if receiving else {"source": outlet}
    transfer = get_object_or_404(StockTransfer.objects.filter(**mine), pk=_int_or_none(request.POST.get("transfer")))
    try:
        if receiving:
            stock_transfer_receive(transfer=transfer, user=request.user)
            messages.success(request, _("Transfer %(number)s received.") % {"number": transfer.number})
        else:
            stock_transfer_cancel(transfer=transfer, user=request.user)
            messages.success(request, _("Transfer %(number)s cancelled.") % {"number": transfer.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('catalog:outlet-stock')}?kafe={outlet.pk}")


@login_required
@permission_required("catalog.receive_stock", raise_exception=True)
@require_http_methods(["GET", "POST"])
def delivery_receive(request, pk):
    delivery = get_object_or_404(
        StockDelivery.objects.filter(outlet__in=outlets_for_user(request.user)).select_related("vendor", "outlet"),
        pk=pk,
    )
    lines = list(delivery.lines.select_related("variant__product"))
    error = None
    if request.method == "POST":
        received = {}
        for line in lines:
            raw = request.POST.get(f"line-{line.pk}", "").strip()
            if raw:  # blank = received as sent
                value = _int_or_none(raw)
                received[line.pk] = value if value is not None else -1
        try:
            stock_delivery_receive(
                delivery=delivery, received=received, user=request.user, note=request.POST.get("note", "")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Delivery %(number)s received.") % {"number": delivery.number})
            return redirect(f"{reverse('catalog:outlet-stock')}?kafe={delivery.outlet_id}")
    return render(request, "catalog/delivery_receive.html", {"delivery": delivery, "lines": lines, "error": error})


@login_required
@permission_required("catalog.adjust_stock", raise_exception=True)
@require_http_methods(["GET", "POST"])
def stock_import(request):
    outlet, _outlets = _manager_outlet(request)
    return _import(
        request,
        lambda data, name, dry: stock_counts_import(
            outlet=outlet, data=data, filename=name, user=request.user, dry_run=dry
        ),
        title=_("Import a stock count for %(outlet)s") % {"outlet": outlet.name},
        columns="code, counted, note",
        done_url=f"{reverse('catalog:outlet-stock')}?kafe={outlet.pk}",
    )


# --- labels --------------------------------------------------------------------------------------


@login_required
def shelf_labels(request, pk):
    """Printable shelf labels (price and barcode) for a product: its owner, café staff and curators."""
    product = get_object_or_404(Product.objects.select_related("vendor"), pk=pk)
    allowed = user_sees_product_internals(request.user, product) or request.user.has_perm("catalog.view_stock")
    if not allowed:
        raise Http404
    copies = min(max(_int_or_none(request.GET.get("salinan")) or 1, 1), 50)
    labels = [{"variant": v, "svg": label_barcode_svg(v)} for v in product.variants.filter(is_active=True)]
    return render(request, "catalog/labels.html", {"product": product, "labels": labels, "copies": range(copies)})
