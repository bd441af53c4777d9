"""Benchmark posSaleComplete with 1, 5 and 20 lines on PostgreSQL: p50/p95 server time and query count.

Run: python bench/bench_pos.py   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gemilang_bench_pos)
Writes bench/results/pos.md and bench/results/pos.json. The database is dropped and rebuilt each run.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemilang_bench_pos")
RUNS = int(os.environ.get("BENCH_RUNS", "60"))
WARMUP = 5
LINE_COUNTS = (1, 5, 20)


def _recreate_database() -> None:
    import psycopg

    parsed = urlparse(URL)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    _recreate_database()
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_READ_DOT_ENV"] = "0"
    os.environ["DEFAULT_PRINTER_URL"] = "dummy:"
    # As deployed: DEBUG off, so neither Django nor graphene-django records every SQL statement.
    os.environ["DEBUG"] = "0"
    # As deployed: the receipt is rendered and printed by a Celery worker after commit, outside the request.
    # The in-memory broker queues those tasks and no worker runs them here.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    data = _build()
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {data['token']}"}
    mutation = """mutation($input: PosSaleCompleteInput!) { posSaleComplete(input: $input) {
      sale { id number total { amount } change { amount } receiptUrl } errors { field code message } } }"""
    from graphql_relay import to_global_id

    results = {}

    def sale(variants) -> tuple[float, int]:
        total = sum(v.price for v in variants)
        variables = {
            "input": {
                "clientId": str(uuid.uuid4()),
                "shift": to_global_id("PosShift", data["shift"].pk),
                "lines": [{"variantId": to_global_id("ProductVariant", v.pk), "quantity": 1} for v in variants],
                "payments": [{"method": "CASH", "amount": total, "tendered": total + 5000}],
            }
        }
        body = json.dumps({"query": mutation, "variables": variables})
        statements = []
        # Counting through an execute wrapper costs next to nothing, unlike recording every statement.
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: statements.append(sql) or execute(sql, params, many, context)
        ):
            start = time.perf_counter()
            response = client.post("/graphql/", data=body, content_type="application/json", **headers)
            elapsed = (time.perf_counter() - start) * 1000
        payload = response.json()
        errors = payload.get("errors") or payload["data"]["posSaleComplete"]["errors"]
        if errors:
            raise SystemExit(f"sale failed: {errors}")
        return elapsed, len(statements)

    for count in LINE_COUNTS:
        variants = data["variants"][:count]
        timings, queries = [], []
        for i in range(WARMUP + RUNS):
            elapsed, statements = sale(variants)
            if i >= WARMUP:
                timings.append(elapsed)
                queries.append(statements)
        with CaptureQueriesContext(connection) as ctx:  # once more, to list the statements with BEGIN/COMMIT
            sale(variants)
        timings.sort()
        results[str(count)] = {
            "runs": RUNS,
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "max_ms": round(timings[-1], 2),
            "queries": max(queries),
            "statements_with_transaction_control": len(ctx.captured_queries),
        }
        print(
            f"{count:>2} lines: p50 {results[str(count)]['p50_ms']} ms, p95 {results[str(count)]['p95_ms']} ms, "
            f"{results[str(count)]['queries']} queries",
            flush=True,
        )
    # Context for the figures: a bare round trip to PostgreSQL right now, and the machine's load.
    rtts = []
    with connection.cursor() as cursor:
        for _ in range(200):
            start = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            rtts.append((time.perf_counter() - start) * 1000)
    rtts.sort()
    meta = {
        "select1_p50_ms": round(statistics.median(rtts), 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": "PostgreSQL " + str(connection.cursor().connection.info.server_version),
        "what": "posSaleComplete through /graphql/ (Django test client, bearer token, DEBUG off), cash payment, "
        "one unit per line; the receipt is queued for a Celery worker after commit (not run during the bench)",
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pos.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    lines = [
        "# posSaleComplete benchmark",
        "",
        f"Measured {meta['measured_at']} on {meta['machine']}, {meta['database']}.",
        f"{meta['what']}; {RUNS} runs after {WARMUP} warm-up runs each.",
        f"At the time a bare `SELECT 1` round trip took {meta['select1_p50_ms']} ms (p50) and the 1-minute load "
        f"average was {meta['load_average_1m']} on {os.cpu_count()} cores.",
        "",
        "Queries: SQL statements sent per request; the last column adds BEGIN, COMMIT and savepoints.",
        "",
        "| lines | p50 (ms) | p95 (ms) | max (ms) | queries | with BEGIN/COMMIT |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for count in LINE_COUNTS:
        r = results[str(count)]
        lines.append(
            f"| {count} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['queries']} "
            f"| {r['statements_with_transaction_control']} |"
        )
    (out / "pos.md").write_text("\n".join(lines) + "\n")
    return 0


def _build() -> dict:
    import datetime as dt

    from django.utils import timezone

    from accounts.models import OutletLevel
    from accounts.services.outlets import outlet_upsert
    from accounts.services.roles import roles_sync
    from accounts.services.tokens import token_create_for_user
    from accounts.services.users import user_upsert
    from catalog.models import Category
    from catalog.services.products import (
        VariantInput,
        permit_save,
        product_create,
        product_review,
        product_submit_for_review,
    )
    from catalog.services.stock import stock_adjust
    from catalog.services.vendors import vendor_create
    from pos.services.shifts import shift_open
    from pos.services.terminals import terminal_create

    roles_sync()
    outlet = outlet_upsert(code="GLR", name="Galeri Gemilang", level=OutletLevel.REGENCY, kecamatan="Trenggalek")
    cashier = user_upsert(username="kasir", password="gemilang123", roles=["cashier"], outlets=[outlet], validate=False)
    manager = user_upsert(
        username="manajer", password="gemilang123", roles=["outlet_manager"], outlets=[outlet], validate=False
    )
    curator = user_upsert(username="kurator", password="gemilang123", roles=["curator"], validate=False)
    owner = user_upsert(username="pemilik", password="gemilang123", roles=["umkm_owner"], validate=False)
    vendor = vendor_create(
        owner=owner,
        name="UMKM Bench",
        nib="9120000000001",
        kecamatan="Trenggalek",
        phone="081234567001",
        bank_name="Bank Jatim",
        bank_account_number="0011223344",
        bank_account_name="UMKM Bench",
    )
    category = Category.objects.create(name="Makanan Ringan", slug="makanan-ringan", requires_food_permit=True)
    checklist = {
        "nib": {"passed": True},
        "food_permit": {"passed": True},
        "halal": {"passed": None, "note": "-"},
        "label": {"passed": True},
        "packaging": {"passed": True},
        "price": {"passed": True},
    }
    variants = []
    for i in range(20):
        product = product_create(
            vendor=vendor,
            category=category,
            name=f"Produk Bench {i}",
            net_weight="100 g",
            description="bench",
            ingredients="bench",
            variants=[VariantInput(name="100 g", price=1000 + i * 500)],
            user=owner,
        )
        permit_save(
            product=product,
            type="pirt",
            number=f"20635030100{i:03d}",
            expires_on=timezone.localdate() + dt.timedelta(days=365),
            user=owner,
        )
        product_submit_for_review(product=product, user=owner)
        product_review(product=product, user=curator, decision="approve", checklist=checklist)
        variant = product.variants.get()
        stock_adjust(outlet=outlet, variant=variant, reason="count", counted=100000, user=manager)
        variants.append(variant)
    terminal = terminal_create(outlet=outlet, name="Kasir 1", code="K1", printer_url="dummy:")
    shift = shift_open(terminal=terminal, cashier=cashier, opening_cash=500000)
    return {"variants": variants, "shift": shift, "token": token_create_for_user(user=cashier)}


if __name__ == "__main__":
    sys.exit(main())
