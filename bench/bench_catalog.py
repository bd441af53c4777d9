"""Catalogue at regency scale on PostgreSQL: search, the list page and `products(first: 20)`.

Generates (once, with bulk inserts) 1,000 UMKM, 20,000 products, 60,000 variants, stock at 15 cafés and
500,000 ledger rows whose sums equal the balances, then measures p50/p95 latency and queries per request
through Django's test client (in process: no network in the figures). Results: bench/results/catalog.{md,json}.

    python bench/bench_catalog.py            # BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gemilang_bench_catalog
    BENCH_SCALE=0.1 python bench/bench_catalog.py   # a tenth of the data, for a quick look
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemilang_bench_catalog")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_READ_DOT_ENV", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")  # as deployed: no SQL recording

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
VENDORS = int(1000 * SCALE)
PRODUCTS = int(20_000 * SCALE)
VARIANTS_PER_PRODUCT = 3
LEDGER_ROWS = int(500_000 * SCALE)
CAFES_PER_VARIANT = 5
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
RESULTS = ROOT / "bench" / "results"

WORDS = [
    "keripik",
    "tempe",
    "alen-alen",
    "kopi",
    "robusta",
    "gula",
    "aren",
    "madu",
    "hutan",
    "batik",
    "tulis",
    "cap",
    "manisan",
    "pepaya",
    "abon",
    "tongkol",
    "kerupuk",
    "ikan",
    "sambal",
    "pecel",
    "jahe",
    "wedang",
    "uwuh",
    "tas",
    "kemeja",
    "pisang",
    "sale",
    "emping",
    "melinjo",
    "rengginang",
    "dodol",
    "durian",
    "cengkeh",
    "serbuk",
]
PLACES = [
    "Trenggalek",
    "Durenan",
    "Watulimo",
    "Prigi",
    "Dongko",
    "Bendungan",
    "Pule",
    "Panggul",
    "Karangan",
    "Pogalan",
    "Kampak",
    "Gandusari",
    "Munjungan",
    "Suruh",
    "Tugu",
]


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import OutletLevel, User
    from accounts.services.outlets import outlet_upsert
    from catalog.barcodes import INTERNAL_CODE_ALPHABET, ean13_complete
    from catalog.models import (
        Category,
        MovementKind,
        Permit,
        Product,
        ProductStatus,
        ProductVariant,
        Stock,
        StockMovement,
        Vendor,
    )
    from catalog.services.search_index import products_search_reindex

    if Product.objects.count() >= PRODUCTS and StockMovement.objects.count() >= LEDGER_ROWS:
        return {"generated": False}
    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        StockMovement.objects.all().delete()
        Stock.objects.all().delete()
        Permit.objects.all().delete()
        ProductVariant.objects.all().delete()
        Product.objects.all().delete()
        Vendor.objects.all().delete()
        User.objects.filter(username__startswith="bench_").delete()
        galeri = outlet_upsert(code="GLR", name="Galeri Gemilang", level=OutletLevel.REGENCY, kecamatan="Trenggalek")
        cafes = [galeri] + [
            outlet_upsert(
                code=f"K{i:02d}", name=f"Kafe {place}", level=OutletLevel.KECAMATAN, kecamatan=place, parent=galeri
            )
            for i, place in enumerate(PLACES[:14])
        ]
        categories = []
        for i, (slug, food) in enumerate(
            [("makanan", True), ("minuman", True), ("gula-madu", True), ("kerajinan", False), ("kain", False)]
        ):
            categories.append(
                Category.objects.update_or_create(
                    slug=slug, defaults={"name": slug.title(), "requires_food_permit": food, "position": i}
                )[0]
            )
        password = make_password(None)
        owners = User.objects.bulk_create(
            [User(username=f"bench_{i}", password=password) for i in range(VENDORS)], batch_size=5000
        )
        vendors = Vendor.objects.bulk_create(
            [
                Vendor(
                    name=f"UMKM {rng.choice(WORDS).title()} {PLACES[i % len(PLACES)]} {i}",
                    slug=f"umkm-{i}",
                    nib=f"{9100000000000 + i}",
                    owner=owners[i],
                    kecamatan=PLACES[i % len(PLACES)],
                    story="Usaha keluarga di Trenggalek.",
                )
                for i in range(VENDORS)
            ],
            batch_size=5000,
        )
        now = timezone.now()
        products = Product.objects.bulk_create(
            [
                Product(
                    vendor=vendors[i % VENDORS],
                    category=categories[i % len(categories)],
                    name=" ".join(rng.sample(WORDS, 3)).title() + f" {i}",
                    slug=f"produk-{i}",
                    description=" ".join(rng.choices(WORDS, k=12)),
                    net_weight="250 g",
                    status=ProductStatus.APPROVED,
                    status_changed_at=now,
                    approved_at=now,
                )
                for i in range(PRODUCTS)
            ],
            batch_size=5000,
        )
        expires = timezone.localdate().replace(year=timezone.localdate().year + 3)
        Permit.objects.bulk_create(
            [
                Permit(product=p, type="pirt", number=f"2063503{i:08d}", expires_on=expires)
                for i, p in enumerate(products)
            ],
            batch_size=5000,
        )
        base = len(INTERNAL_CODE_ALPHABET)
        variants = []
        n = 0
        for p in products:
            for k in range(VARIANTS_PER_PRODUCT):
                code, x = "", n + base**5
                while x:
                    x, r = divmod(x, base)
                    code = INTERNAL_CODE_ALPHABET[r] + code
                variants.append(
                    ProductVariant(
                        product=p,
                        name=f"{(k + 1) * 100} g",
                        sku=f"B-{n}",
                        internal_code=code[-6:],
                        barcode=ean13_complete(f"89{n:010d}"),
                        price=rng.randrange(5, 300) * 1000,
                        position=k,
                    )
                )
                n += 1
        variants = ProductVariant.objects.bulk_create(variants, batch_size=5000)
        vendor_of = {p.pk: p.vendor_id for p in products}
        # Stock at CAFES_PER_VARIANT cafés per variant; the ledger: one receipt each, then sales up to LEDGER_ROWS.
        pairs = [(rng.sample(cafes, CAFES_PER_VARIANT), v) for v in variants]
        balances: dict[tuple[int, int], int] = {}
        movements = []
        for cafes_of_variant, v in pairs:
            for cafe in cafes_of_variant:
                qty = rng.randrange(10, 60)
                balances[(cafe.pk, v.pk)] = qty
                movements.append(
                    StockMovement(
                        outlet_id=cafe.pk,
                        variant_id=v.pk,
                        vendor_id=vendor_of[v.product_id],
                        kind=MovementKind.RECEIPT,
                        quantity=qty,
                        balance_after=qty,
                        reference="BENCH-RCV",
                    )
                )
        keys = list(balances)
        sale_no = 0
        while len(movements) < LEDGER_ROWS:
            key = keys[rng.randrange(len(keys))]
            if balances[key] <= 1:
                continue
            qty = rng.randrange(1, min(balances[key], 4))
            balances[key] -= qty
            sale_no += 1
            outlet_id, variant_id = key
            movements.append(
                StockMovement(
                    outlet_id=outlet_id,
                    variant_id=variant_id,
                    vendor_id=0,
                    kind=MovementKind.SALE,
                    quantity=-qty,
                    balance_after=balances[key],
                    unit_price=10000,
                    commission_rate_bp=1500,
                    reference=f"BENCH-S{sale_no}",
                )
            )
        variant_vendor = {v.pk: vendor_of[v.product_id] for v in variants}
        for m in movements:
            if not m.vendor_id:
                m.vendor_id = variant_vendor[m.variant_id]
        Stock.objects.bulk_create(
            [Stock(outlet_id=o, variant_id=v, quantity=q) for (o, v), q in balances.items()], batch_size=10000
        )
        StockMovement.objects.bulk_create(movements, batch_size=10000)
        products_search_reindex()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "generated": True,
        "seconds": round(time.perf_counter() - started, 1),
        "stock_rows": len(balances),
        "ledger_rows": len(movements),
        "cafes": len(cafes),
    }


def check_ledger() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FROM catalog_stock s
            LEFT JOIN (SELECT outlet_id, variant_id, sum(quantity) AS total FROM catalog_stockmovement GROUP BY 1, 2) m
              ON m.outlet_id = s.outlet_id AND m.variant_id = s.variant_id
            WHERE s.quantity <> coalesce(m.total, 0)""")
        return cursor.fetchone()[0] == 0


def measure(name: str, call) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call()  # warm up
    times, queries = [], []
    for _ in range(RUNS):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    return {
        "name": name,
        "runs": RUNS,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(int(len(times) * 0.95) - 1, 0)], 1),
        "queries": max(queries),
    }


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from graphql_relay import to_global_id

    from accounts.models import Outlet
    from catalog.models import Product, ProductVariant, Stock, StockMovement, Vendor

    call_command("migrate", verbosity=0)
    info = generate()
    counts = {
        "vendors": Vendor.objects.count(),
        "products": Product.objects.count(),
        "variants": ProductVariant.objects.count(),
        "cafes_with_stock": Stock.objects.values("outlet").distinct().count(),
        "stock_rows": Stock.objects.count(),
        "ledger_rows": StockMovement.objects.count(),
    }
    ledger_ok = check_ledger()
    client = Client()
    galeri = Outlet.objects.get(code="GLR")
    query = """query($f: ProductFilterInput, $o: ID) { products(first: 20, filter: $f) { totalCount edges { node {
      id name slug vendor { name } category { name } price { amount currency } thumbnail(size: 320)
      variants { id sku barcode name price { amount } quantityAvailable(outlet: $o) } permits { type number expiresOn } } } } }"""

    def gql(variables):
        def run():
            response = client.post(
                "/graphql/", data=json.dumps({"query": query, "variables": variables}), content_type="application/json"
            )
            body = response.json()
            assert response.status_code == 200 and "errors" not in body, body

        return run

    def page(params):
        def run():
            response = client.get("/produk/", params)
            assert response.status_code == 200

        return run

    outlet_id = to_global_id("Outlet", galeri.pk)
    results = [
        measure("list page /produk/ (first page, 24 products)", page({})),
        measure("list page search ?q=keripik tempe", page({"q": "keripik tempe"})),
        measure(
            "list page search ?q=madu hutan + price range",
            page({"q": "madu hutan", "harga_min": "20000", "harga_maks": "150000"}),
        ),
        measure("GraphQL products(first: 20)", gql({})),
        measure("GraphQL products(first: 20) + quantityAvailable(outlet)", gql({"o": outlet_id})),
        measure(
            'GraphQL products(first: 20, search: "kopi robusta")',
            gql({"f": {"search": "kopi robusta"}, "o": outlet_id}),
        ),
        measure(
            "GraphQL products(first: 20, outlet: GLR, price 10k-50k)",
            gql({"f": {"outlet": outlet_id, "priceGte": 10000, "priceLte": 50000}, "o": outlet_id}),
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0].split(",")[0]
    report = {
        "scale": SCALE,
        "counts": counts,
        "ledger_equals_balances": ledger_ok,
        "generation": info,
        "postgres": pg_version,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "catalog.json").write_text(json.dumps(report, indent=2, default=str))
    lines = [
        "# Catalogue benchmark",
        "",
        f"Data: {counts['vendors']:,} UMKM, {counts['products']:,} products, {counts['variants']:,} variants, "
        f"{counts['cafes_with_stock']} cafés, {counts['stock_rows']:,} stock rows, {counts['ledger_rows']:,} ledger rows "
        f"(balance == sum of ledger: {'yes' if ledger_ok else 'NO'}). {pg_version}, {os.cpu_count()} CPUs, "
        f"Django test client in process, {RUNS} runs after one warm-up; load average during the run "
        f"{os.getloadavg()[0]:.1f} (other work on the machine inflates the figures).",
        "",
        "| request | p50 ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
        *[f"| {r['name']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} |" for r in results],
        "",
    ]
    (RESULTS / "catalog.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if ledger_ok else 1


if __name__ == "__main__":
    sys.exit(main())
