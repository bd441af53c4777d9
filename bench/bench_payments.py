"""Benchmark: Midtrans notification handling on PostgreSQL.

Measures, for settlement notifications of distinct pending payments:
- the notification endpoint through Django's full request path (signature check, raw body
  stored, payment locked and moved to paid, status history, handler call): p50/p95 server
  time and throughput, queries per notification;
- duplicates of an already-applied notification (the common retry case);
- 4 threads handling distinct notifications at once (each with its own connection).

The Status API confirmation that follows an applied notification runs in a Celery task in
production; it is counted here as "queued", not timed.

Usage: python bench/bench_payments.py  (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/gemilang_bench_payments). Writes bench/results/payments.md and .json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemilang_bench_payments")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")  # as deployed: no SQL recording
os.environ["DJANGO_READ_DOT_ENV"] = "0"
# As behind gunicorn in production (.env.example): keep connections between requests.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

N_SEQUENTIAL = int(os.environ.get("BENCH_PAYMENTS_N", "300"))
N_DUPLICATES = 200
N_THREADS = 4
N_PER_THREAD = 75


def _ensure_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(DB_URL)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def main() -> int:
    _ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0, interactive=False)

    from commerce.payments import handlers
    from commerce.payments.models import Payment, PaymentNotification, PaymentStatusChange
    from commerce.payments.services import notifications
    from commerce.payments.testing import FakeMidtrans, FakeMidtransServer

    queued = []
    notifications._status_confirm_later = queued.append  # the Celery task, not timed here
    handled = []
    handlers.register_payment_handler("order", lambda payment, previous: handled.append(payment.pk))

    with FakeMidtransServer(FakeMidtrans()) as fake:
        settings.MIDTRANS_SIMULATOR = False
        settings.MIDTRANS_SERVER_KEY = fake.server_key
        settings.MIDTRANS_CORE_BASE_URL = fake.url
        settings.MIDTRANS_SNAP_BASE_URL = f"{fake.url}/snap/v1"
        settings.ALLOWED_HOSTS = ["*"]

        run_tag = f"B{int(time.time())}"
        total = N_SEQUENTIAL + N_THREADS * N_PER_THREAD
        payments = Payment.objects.bulk_create(
            [
                Payment(
                    purpose="order",
                    reference=f"{run_tag}-{i}",
                    midtrans_order_id=f"{run_tag}-{i}",
                    method="snap",
                    gross_amount=145000,
                )
                for i in range(total)
            ]
        )
        bodies = []
        for payment in payments:
            fake.set_status(
                payment.midtrans_order_id, "settlement", gross_amount=payment.gross_amount, payment_type="qris"
            )
            bodies.append(json.dumps(fake.notification(payment.midtrans_order_id, "settlement")))

        client = Client()
        url = "/payments/midtrans/notification/"

        # 1. Distinct settlements through the HTTP endpoint, one after another.
        times, queries = [], []
        started = time.perf_counter()
        for body in bodies[:N_SEQUENTIAL]:
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.post(url, data=body, content_type="application/json")
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.content
            queries.append(len(ctx.captured_queries))
        sequential_elapsed = time.perf_counter() - started

        # 2. Duplicates of applied notifications.
        dup_times = []
        for i in range(N_DUPLICATES):
            t0 = time.perf_counter()
            response = client.post(url, data=bodies[i % N_SEQUENTIAL], content_type="application/json")
            dup_times.append(time.perf_counter() - t0)
            assert response.status_code == 200

        # 3. Threads, each with its own connection.
        chunks = [
            bodies[N_SEQUENTIAL + t * N_PER_THREAD : N_SEQUENTIAL + (t + 1) * N_PER_THREAD] for t in range(N_THREADS)
        ]
        barrier = threading.Barrier(N_THREADS)
        errors = []

        def worker(chunk):
            own = Client()
            try:
                barrier.wait()
                for body in chunk:
                    if own.post(url, data=body, content_type="application/json").status_code != 200:
                        errors.append(body)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        parallel_elapsed = time.perf_counter() - started

    paid = Payment.objects.filter(reference__startswith=f"{run_tag}-", status="paid").count()
    changes = PaymentStatusChange.objects.filter(payment__reference__startswith=f"{run_tag}-", to_status="paid").count()
    stored = PaymentNotification.objects.filter(order_id__startswith=f"{run_tag}-").count()
    assert not errors and paid == total and changes == total and len(handled) == total, (
        errors,
        paid,
        changes,
        len(handled),
    )

    results = {
        "database": "PostgreSQL " + connection.cursor().connection.info.parameter_status("server_version"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "sequential": {
            "notifications": N_SEQUENTIAL,
            "per_second": round(N_SEQUENTIAL / sequential_elapsed, 1),
            "p50_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(_percentile(times, 95) * 1000, 2),
            "max_ms": round(max(times) * 1000, 2),
            "queries_per_notification": max(queries),
        },
        "duplicates": {
            "notifications": N_DUPLICATES,
            "p50_ms": round(statistics.median(dup_times) * 1000, 2),
            "p95_ms": round(_percentile(dup_times, 95) * 1000, 2),
        },
        "parallel": {
            "threads": N_THREADS,
            "notifications": N_THREADS * N_PER_THREAD,
            "per_second": round(N_THREADS * N_PER_THREAD / parallel_elapsed, 1),
        },
        "check": {
            "paid": paid,
            "status_changes_to_paid": changes,
            "handler_calls": len(handled),
            "stored_notifications": stored,
            "status_checks_queued": len(queued),
        },
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "payments.json").write_text(json.dumps(results, indent=2) + "\n")
    s, d, p = results["sequential"], results["duplicates"], results["parallel"]
    (out / "payments.md").write_text(
        "# Midtrans notification handling\n\n"
        f"{results['database']}; {results['machine']}; load average {results['load_average_1m_at_end']} at the end. Full Django request path (test client), signature check, raw body kept, "
        "payment row locked, status history, one handler.\n\n"
        "| run | notifications | throughput | p50 | p95 | queries |\n|---|---|---|---|---|---|\n"
        f"| distinct settlements, sequential | {s['notifications']} | {s['per_second']}/s | {s['p50_ms']} ms | {s['p95_ms']} ms | {s['queries_per_notification']} |\n"
        f"| duplicates (already applied) | {d['notifications']} | – | {d['p50_ms']} ms | {d['p95_ms']} ms | – |\n"
        f"| distinct settlements, {p['threads']} threads | {p['notifications']} | {p['per_second']}/s | – | – | – |\n\n"
        f"Check: {paid} paid, {changes} status changes to paid, {len(handled)} handler calls, {stored} notifications stored "
        "(every payment counted exactly once).\n"
    )
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
