"""Demo catalogue of Trenggalek UMKM: curated products with EAN-13 barcodes and permits, consigned to cafés.

Built through the services (product creation, curation, delivery and receipt), so the demo ledger is a real one.
Idempotent: a UMKM found by its NIB and a product found by its name are left as they are.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Outlet, User
from accounts.services.users import user_upsert

from .barcodes import ean13_complete
from .models import Category, Product, ProductStatus, Vendor
from .services.deliveries import DeliveryLineInput, stock_delivery_create, stock_delivery_receive
from .services.products import VariantInput, permit_save, product_create, product_review, product_submit_for_review
from .services.stock import StockLine
from .services.transfers import stock_transfer_send
from .services.vendors import vendor_create

DEMO_PASSWORD = "gemilang123"

CATEGORIES = [
    # slug, name, needs food permit, needs BPOM MD, halal relevant
    ("makanan-ringan", "Makanan Ringan", True, False, True),
    ("minuman", "Minuman & Kopi", True, False, True),
    ("gula-madu", "Gula Aren & Madu", True, False, True),
    ("olahan-ikan", "Olahan Ikan", True, True, True),
    ("batik-kain", "Batik & Kain", False, False, False),
]

# owner username, business, NIB, kecamatan, story, [(product, category, net weight, description, [(variant, price)])]
VENDORS = [
    (
        "pemilik",
        "Keripik Tempe Bu Sri",
        "9120001000001",
        "Trenggalek",
        "Sejak 1998 Bu Sri mengiris tempe setipis kertas di dapurnya di Kelurahan Sumbergedong.",
        [
            (
                "Keripik Tempe Original",
                "makanan-ringan",
                "250 g",
                "Keripik tempe tipis renyah, bumbu bawang dan ketumbar.",
                [("250 g", 15000), ("500 g", 28000)],
            ),
            (
                "Keripik Tempe Pedas",
                "makanan-ringan",
                "250 g",
                "Keripik tempe dengan cabai rawit Trenggalek.",
                [("250 g", 16000)],
            ),
            (
                "Keripik Tempe Daun Jeruk",
                "makanan-ringan",
                "200 g",
                "Keripik tempe dengan daun jeruk purut.",
                [("200 g", 15000)],
            ),
            (
                "Tempe Kripik Sagu",
                "makanan-ringan",
                "250 g",
                "Kripik tempe bertepung sagu, lebih garing.",
                [("250 g", 17000)],
            ),
        ],
    ),
    (
        "umkm_alen",
        "Alen-Alen Mbak Yuli",
        "9120001000002",
        "Durenan",
        "Alen-alen, cemilan cincin khas Trenggalek, digoreng tiap pagi di Durenan.",
        [
            (
                "Alen-Alen Original",
                "makanan-ringan",
                "200 g",
                "Cemilan berbentuk cincin dari tepung singkong.",
                [("200 g", 12000), ("500 g", 27000)],
            ),
            ("Alen-Alen Bawang", "makanan-ringan", "200 g", "Alen-alen gurih bawang putih.", [("200 g", 13000)]),
            ("Alen-Alen Balado", "makanan-ringan", "200 g", "Alen-alen pedas manis balado.", [("200 g", 13000)]),
            ("Manisan Pepaya", "makanan-ringan", "150 g", "Manisan pepaya kering warna-warni.", [("150 g", 10000)]),
        ],
    ),
    (
        "umkm_kopi",
        "Kopi Dilem Wilis",
        "9120001000003",
        "Bendungan",
        "Kopi robusta dan arabika dari lereng Gunung Wilis, dipetik merah dan disangrai di Bendungan.",
        [
            (
                "Kopi Robusta Dilem Wilis Bubuk",
                "minuman",
                "200 g",
                "Robusta sangrai sedang, digiling halus.",
                [("200 g", 35000), ("500 g", 80000)],
            ),
            ("Kopi Arabika Wilis Biji", "minuman", "250 g", "Arabika petik merah, proses natural.", [("250 g", 65000)]),
            (
                "Wedang Uwuh Celup",
                "minuman",
                "10 sachet",
                "Rempah wedang uwuh dalam kantong celup.",
                [("10 sachet", 20000)],
            ),
        ],
    ),
    (
        "umkm_aren",
        "Gula Aren & Madu Watulimo",
        "9120001000004",
        "Watulimo",
        "Nira aren dari hutan Watulimo dimasak dengan kayu bakar; madu dari lebah hutan.",
        [
            ("Gula Aren Cetak", "gula-madu", "500 g", "Gula aren cetak batok kelapa.", [("500 g", 25000)]),
            ("Gula Semut Aren", "gula-madu", "250 g", "Gula aren kristal, mudah larut.", [("250 g", 22000)]),
            (
                "Madu Hutan Trenggalek",
                "gula-madu",
                "250 ml",
                "Madu hutan murni, panen musim kemarau.",
                [("250 ml", 60000), ("500 ml", 110000)],
            ),
        ],
    ),
    (
        "umkm_ikan",
        "Olahan Ikan Prigi",
        "9120001000005",
        "Watulimo",
        "Hasil tangkapan nelayan Pantai Prigi diolah istri-istri nelayan.",
        [
            ("Abon Tongkol Prigi", "olahan-ikan", "100 g", "Abon ikan tongkol gurih manis.", [("100 g", 30000)]),
            ("Kerupuk Ikan Prigi", "olahan-ikan", "250 g", "Kerupuk ikan mentah siap goreng.", [("250 g", 18000)]),
        ],
    ),
    (
        "umkm_batik",
        "Batik Trenggalek Turonggo Yakso",
        "9120001000006",
        "Dongko",
        "Batik tulis dan cap bermotif Turonggo Yakso, tari khas Dongko.",
        [
            (
                "Batik Tulis Turonggo Yakso",
                "batik-kain",
                "",
                "Kain batik tulis 2 x 1,15 m, pewarna alam.",
                [("Kain 2 m", 450000)],
            ),
            ("Batik Cap Manggar", "batik-kain", "", "Kain batik cap motif manggar kelapa.", [("Kain 2 m", 175000)]),
            (
                "Kemeja Batik Cap",
                "batik-kain",
                "",
                "Kemeja lengan pendek batik cap.",
                [("M", 185000), ("L", 185000), ("XL", 195000)],
            ),
            ("Tas Batik Kecil", "batik-kain", "", "Tas jinjing kecil dari sisa kain batik.", [("Tas", 65000)]),
        ],
    ),
]

# Cafés that receive consigned stock, with how many units of each variant.
CONSIGNMENT = [("GLR", 24), ("TGX", 10), ("DRN", 8), ("WTL", 6)]

CHECKLIST_PASS = {
    "nib": {"passed": True},
    "food_permit": {"passed": True},
    "halal": {"passed": True},
    "label": {"passed": True},
    "packaging": {"passed": True},
    "price": {"passed": True},
}


def _categories() -> dict[str, Category]:
    result = {}
    for position, (slug, name, food, bpom, halal) in enumerate(CATEGORIES):
        result[slug], _created = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "requires_food_permit": food,
                "requires_bpom": bpom,
                "halal_relevant": halal,
                "position": position,
            },
        )
    return result


@transaction.atomic
def populate(*, stdout) -> None:
    categories = _categories()
    curator = User.objects.filter(username="kurator").first()
    manager = User.objects.filter(username="manajer").first()
    outlets = {o.code: o for o in Outlet.objects.filter(code__in=[code for code, _q in CONSIGNMENT])}
    today = timezone.localdate()
    barcode_seq = 0
    created_products = 0
    for v_index, (username, business, nib, kecamatan, story, products) in enumerate(VENDORS, start=1):
        owner = User.objects.filter(username=username).first()
        if owner is None:
            owner = user_upsert(
                username=username,
                password=DEMO_PASSWORD,
                roles=["umkm_owner"],
                first_name="Pemilik",
                last_name=business,
                validate=False,
            )
        vendor = Vendor.objects.filter(nib=nib).first() or vendor_create(
            owner=owner,
            name=business,
            nib=nib,
            kecamatan=kecamatan,
            story=story,
            phone=f"08123460000{v_index}",
            bank_name="Bank Jatim",
            bank_account_number=f"00{nib[-8:]}",
            bank_account_name=business,
        )
        for p_index, (name, category_slug, net_weight, description, variants) in enumerate(products, start=1):
            variant_inputs = []
            for variant_name, price in variants:
                barcode_seq += 1
                variant_inputs.append(
                    VariantInput(
                        name=variant_name,
                        price=price,
                        sku=f"{nib[-3:]}-{p_index:02d}-{len(variant_inputs) + 1}",
                        barcode=ean13_complete(f"8991{v_index:02d}{p_index:02d}{barcode_seq:04d}"),
                    )
                )
            if Product.objects.filter(vendor=vendor, name=name).exists():
                continue
            category = categories[category_slug]
            product = product_create(
                vendor=vendor,
                category=category,
                name=name,
                description=description,
                net_weight=net_weight,
                ingredients="" if not category.requires_food_permit else "lihat label",
                variants=variant_inputs,
                user=owner,
            )
            if category.requires_bpom:
                permit_save(
                    product=product,
                    type="bpom_md",
                    number=f"MD 2{v_index:02d}{p_index:02d}13001{p_index:03d}",
                    issued_on=today - datetime.timedelta(days=200),
                    expires_on=today + datetime.timedelta(days=4 * 365),
                    user=owner,
                )
            elif category.requires_food_permit:
                # The first product of the first UMKM has a PIRT expiring soon: it shows on the expiring-permits list.
                days = 20 if (v_index, p_index) == (1, 1) else 3 * 365
                permit_save(
                    product=product,
                    type="pirt",
                    number=f"20635030{v_index:02d}{p_index:03d}-{today.year % 100 + 5}",
                    issued_on=today - datetime.timedelta(days=400),
                    expires_on=today + datetime.timedelta(days=days),
                    user=owner,
                )
            if category.halal_relevant:
                permit_save(
                    product=product,
                    type="halal",
                    number=f"ID35110000{v_index:02d}{p_index:03d}0924",
                    issued_on=today - datetime.timedelta(days=300),
                    expires_on=None,
                    user=owner,
                )
            if curator is None:
                continue
            product_submit_for_review(product=product, user=owner)
            checklist = dict(CHECKLIST_PASS)
            if not category.requires_food_permit:
                checklist.update(
                    {
                        "food_permit": {"passed": None, "note": "bukan pangan"},
                        "halal": {"passed": None, "note": "bukan pangan"},
                    }
                )
            product_review(product=product, user=curator, decision="approve", checklist=checklist)
            product.refresh_from_db()
            created_products += 1
            if product.status != ProductStatus.APPROVED:
                continue
            # The first food product's batch at the gallery is close to its date: the stock page flags it.
            shelf_days = 12 if created_products == 1 and category.requires_food_permit else 180
            for code, quantity in CONSIGNMENT:
                outlet = outlets.get(code)
                if outlet is None:
                    continue
                lines = [
                    DeliveryLineInput(
                        variant_id=v.pk,
                        quantity=quantity,
                        batch_code=f"B{today:%y%m}",
                        expires_on=today + datetime.timedelta(days=shelf_days if code == "GLR" else 180)
                        if category.requires_food_permit
                        else None,
                    )
                    for v in product.variants.all()
                ]
                delivery = stock_delivery_create(
                    vendor=vendor, outlet=outlet, lines=lines, user=owner, note="Titip jual demo"
                )
                stock_delivery_receive(delivery=delivery, user=manager)
            if created_products == 1 and "GLR" in outlets and "DRN" in outlets:
                # Goods on their way from the gallery to Durenan, for Durenan's manager to receive.
                stock_transfer_send(
                    source=outlets["GLR"],
                    destination=outlets["DRN"],
                    lines=[StockLine(product.variants.first().pk, 4)],
                    user=manager,
                    note="Tambahan stok untuk akhir pekan",
                )
    stdout.write(
        f"  catalog: {Vendor.objects.count()} UMKM, {Product.objects.filter(status=ProductStatus.APPROVED).count()} approved products"
        f" ({created_products} new)"
    )
