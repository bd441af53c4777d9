"""Benchmark of the storefront on PostgreSQL: checkout-to-paid for 3-line orders, queries per checkoutComplete,
and 50 buyers racing for 10 hot products (oversell count must be 0).

Run: `python bench/bench_commerce.py` (or `make bench`). Uses BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/gemilang_bench_commerce), recreates that database,
plays Midtrans with the payments app's local HTTP stand-in (the real midtransclient code runs),
and writes bench/results/commerce.md and .json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemilang_bench_commerce")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")  # as deployed: no SQL recording
os.environ.setdefault("DEFAULT_PRINTER_URL", "dummy:")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.setdefault("LOG_LEVEL", "WARNING")

ORDERS = int(os.environ.get("BENCH_ORDERS", 120))
THREADS = int(os.environ.get("BENCH_THREADS", 4))
BUYERS = int(os.environ.get("BENCH_BUYERS", 50))
HOT_PRODUCTS = int(os.environ.get("BENCH_HOT_PRODUCTS", 10))
HOT_UNITS = int(os.environ.get("BENCH_HOT_UNITS", 3))


def recreate_database() -> None:
    import psycopg

    parsed = urlparse(DB_URL)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(pct / 100 * len(ordered))) - 1)]


def run_threads(n: int, target) -> tuple[list, list[str], float]:
    from django.db import connection

    results: list = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            for item in target(i):
                with lock:
                    results.append(item)
        except Exception as exc:  # reported in the results
            with lock:
                errors.append(repr(exc)[:200])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.perf_counter() - started


def setup_catalog():
    from accounts.models import OutletLevel
    from accounts.services.outlets import outlet_upsert
    from accounts.services.roles import roles_sync
    from accounts.services.users import user_upsert
    from catalog.models import Category, Product, ProductStatus, ProductVariant, Vendor
    from catalog.services.stock import stock_adjust
    from commerce.services.delivery_fees import delivery_fee_set

    roles_sync()
    outlet = outlet_upsert(code="GLR", name="Galeri Gemilang", level=OutletLevel.REGENCY, kecamatan="Trenggalek")
    owner = user_upsert(username="pemilik", password="bench-only-Pw-1", roles=["umkm_owner"], validate=False)
    manager = user_upsert(
        username="manajer", password="bench-only-Pw-1", roles=["outlet_manager"], outlets=[outlet], validate=False
    )
    delivery_fee_set(kecamatan="Trenggalek", fee=10000)
    category = Category.objects.create(name="Makanan Ringan", slug="makanan-ringan")
    vendor = Vendor.objects.create(
        name="UMKM Bench",
        slug="umkm-bench",
        nib="9120000000001",
        owner=owner,
        commission_rate_bp=1500,
        kecamatan="Trenggalek",
    )

    def variant(n: int, price: int) -> ProductVariant:
        product = Product.objects.create(
            vendor=vendor, category=category, name=f"Produk {n}", slug=f"produk-{n}", status=ProductStatus.APPROVED
        )
        return ProductVariant.objects.create(
            product=product, name="250 g", sku=f"B-{n:04d}", internal_code=f"B{n:05d}", price=10000 + 1000 * n
        )

    regular = [variant(n, 0) for n in range(1, 4)]
    for v in regular:
        stock_adjust(outlet=outlet, variant=v, reason="count", counted=ORDERS * 2 + 50, user=manager)
    hot = [variant(100 + n, 0) for n in range(HOT_PRODUCTS)]
    for v in hot:
        stock_adjust(outlet=outlet, variant=v, reason="count", counted=HOT_UNITS, user=manager)
    return outlet, regular, hot


def buy(outlet, lines, fake, n: int):
    """Cart → pickup → checkoutComplete → Midtrans settlement notification. Return the order."""
    from commerce.payments.services import payment_notification_handle
    from commerce.services.checkout import (
        LineInput,
        checkout_complete,
        checkout_contact_update,
        checkout_create,
        checkout_delivery_method_update,
    )

    checkout = checkout_create(lines=[LineInput(v.pk, q) for v, q in lines])
    checkout_contact_update(checkout=checkout, name=f"Pembeli {n}", phone=f"0813{n:08d}")
    checkout_delivery_method_update(checkout=checkout, pickup_outlet=outlet)
    result = checkout_complete(checkout=checkout)
    oid = result.payment.midtrans_order_id
    fake.set_status(oid, "settlement")
    payment_notification_handle(body=fake.notification(oid, "settlement"))
    return result.order


def main() -> int:
    recreate_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import MovementKind, Stock, StockMovement
    from commerce.models import Order, OrderStatus
    from commerce.payments.testing import FakeMidtrans, FakeMidtransServer
    from commerce.services.checkout import (
        LineInput,
        checkout_complete,
        checkout_contact_update,
        checkout_create,
        checkout_delivery_method_update,
    )
    from core.exceptions import DomainError

    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    outlet, regular, hot = setup_catalog()
    results: dict = {"database": "PostgreSQL", "threads": THREADS, "cpu_count": os.cpu_count()}

    with FakeMidtransServer(FakeMidtrans()) as fake:
        settings.MIDTRANS_SIMULATOR = False
        settings.MIDTRANS_SERVER_KEY = fake.server_key
        settings.MIDTRANS_CORE_BASE_URL = fake.url
        settings.MIDTRANS_SNAP_BASE_URL = f"{fake.url}/snap/v1"
        settings.MIDTRANS_RETRY_BACKOFF_SECONDS = 0

        # 1. Queries of one checkoutComplete (3 lines), measured alone.
        checkout = checkout_create(lines=[LineInput(v.pk, 1) for v in regular])
        checkout_contact_update(checkout=checkout, name="Pembeli", phone="081300000000")
        checkout_delivery_method_update(checkout=checkout, pickup_outlet=outlet)
        with CaptureQueriesContext(connection) as ctx:
            checkout_complete(checkout=checkout)
        results["queries_per_checkout_complete"] = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            checkout_complete(checkout=checkout)
        results["queries_per_repeated_checkout_complete"] = len(ctx.captured_queries)

        # 2. Checkout-to-paid, 3-line orders, THREADS shoppers at a time.
        per_thread = ORDERS // THREADS

        def shopper(i):
            for k in range(per_thread):
                started = time.perf_counter()
                buy(outlet, [(v, 1 + (k % 2)) for v in regular], fake, 10000 + i * 1000 + k)
                yield time.perf_counter() - started

        latencies, errors, wall = run_threads(THREADS, shopper)
        ms = [x * 1000 for x in latencies]
        results["checkout_to_paid"] = {
            "orders": len(ms),
            "errors": errors[:5],
            "error_count": len(errors),
            "wall_seconds": round(wall, 2),
            "orders_per_second": round(len(ms) / wall, 1) if wall else None,
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p95_ms": round(percentile(ms, 95), 1) if ms else None,
            "max_ms": round(max(ms), 1) if ms else None,
        }

        # 3. 50 buyers, 10 hot products with HOT_UNITS units each, each buyer wants 1-3 of them.
        rng = random.Random(42)
        wishes = [[(v, 1) for v in rng.sample(hot, rng.randint(1, 3))] for _ in range(BUYERS)]
        refused: list[str] = []

        def hot_buyer(i):
            started = time.perf_counter()
            try:
                buy(outlet, wishes[i], fake, 90000 + i)
            except DomainError as exc:
                refused.append(exc.code)
            yield time.perf_counter() - started

        latencies, errors, wall = run_threads(BUYERS, hot_buyer)
        hot_ids = [v.pk for v in hot]
        sold = -sum(
            StockMovement.objects.filter(kind=MovementKind.SALE, variant_id__in=hot_ids).values_list(
                "quantity", flat=True
            )
        )
        results["hot_products"] = {
            "buyers": BUYERS,
            "products": HOT_PRODUCTS,
            "units_each": HOT_UNITS,
            "units_total": HOT_PRODUCTS * HOT_UNITS,
            "paid_orders": Order.objects.filter(status=OrderStatus.PAID, lines__variant_id__in=hot_ids)
            .distinct()
            .count(),
            "refused_insufficient_stock": refused.count("insufficient_stock"),
            "other_refusals": len(refused) - refused.count("insufficient_stock"),
            "errors": errors[:5],
            "units_sold": sold,
            "oversold_movements": StockMovement.objects.filter(oversold=True).count(),
            "negative_stock_rows": Stock.objects.filter(quantity__lt=0).count(),
            "wall_seconds": round(wall, 2),
            "p95_ms": round(percentile([x * 1000 for x in latencies], 95), 1) if latencies else None,
        }
        results["hot_products"]["oversell_count"] = (
            max(0, sold - HOT_PRODUCTS * HOT_UNITS)
            + results["hot_products"]["oversold_movements"]
            + results["hot_products"]["negative_stock_rows"]
        )

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "commerce.json").write_text(json.dumps(results, indent=2) + "\n")
    c, h = results["checkout_to_paid"], results["hot_products"]
    lines = [
        "# Storefront benchmark (PostgreSQL)",
        "",
        f"Measured by `python bench/bench_commerce.py` on {results['cpu_count']} CPU cores; Midtrans played by the local HTTP stand-in.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| queries per `checkoutComplete` (3 lines, incl. Snap payment start) | {results['queries_per_checkout_complete']} |",
        f"| queries per repeated `checkoutComplete` (same cart, same order) | {results['queries_per_repeated_checkout_complete']} |",
        f"| checkout-to-paid, 3-line orders, {THREADS} shoppers in parallel | {c['orders']} orders in {c['wall_seconds']} s = {c['orders_per_second']} orders/s |",
        f"| checkout-to-paid server time per order p50 / p95 / max | {c['p50_ms']} / {c['p95_ms']} / {c['max_ms']} ms |",
        f"| errors | {c['error_count']} |",
        f"| {h['buyers']} buyers on {h['products']} hot products ({h['units_each']} units each, {h['units_total']} in all) | "
        f"{h['paid_orders']} paid orders, {h['units_sold']} units sold, {h['refused_insufficient_stock']} refused (insufficient stock) |",
        f"| oversell count | **{h['oversell_count']}** |",
        "",
    ]
    (out / "commerce.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if h["oversell_count"] == 0 and not c["error_count"] and not h["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
