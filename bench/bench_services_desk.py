"""Benchmark of the service desk on PostgreSQL: ticket issuance and call-next with 20 concurrent kiosks/counters.

Run: `python bench/bench_services_desk.py` (or `make bench`). Uses BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/gemilang_bench_services_desk), recreates that
database, and writes bench/results/services_desk.md and .json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gemilang_bench_services_desk")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")  # as deployed: no SQL recording
os.environ.setdefault("DEFAULT_PRINTER_URL", "dummy:")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"

KIOSKS = int(os.environ.get("BENCH_KIOSKS", 20))
TICKETS_PER_KIOSK = int(os.environ.get("BENCH_TICKETS_PER_KIOSK", 25))
COUNTERS = int(os.environ.get("BENCH_COUNTERS", 20))


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


def run_threads(n: int, target) -> tuple[list[float], list[str], float]:
    from django.db import connection

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            for elapsed in target(i):
                with lock:
                    latencies.append(elapsed)
        except Exception as exc:  # reported in the results
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def summary(latencies: list[float], wall: float) -> dict:
    ms = [x * 1000 for x in latencies]
    return {
        "operations": len(ms),
        "wall_seconds": round(wall, 2),
        "throughput_per_second": round(len(ms) / wall, 1) if wall else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
    }


def main() -> int:
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from accounts.models import OutletLevel
    from accounts.services.outlets import outlet_upsert
    from accounts.services.roles import roles_sync
    from accounts.services.users import user_upsert
    from services_desk.models import AgencyKind, QueueTicket
    from services_desk.services.catalogue import agency_staff_add, agency_upsert, counter_upsert, service_upsert
    from services_desk.services.queue import ticket_call_next, ticket_complete, ticket_issue

    roles_sync()
    outlet = outlet_upsert(code="GLR", name="Galeri Gemilang", level=OutletLevel.REGENCY, kecamatan="Trenggalek")
    agency = agency_upsert(
        slug="dukcapil", name="Dukcapil Trenggalek", short_name="Dukcapil", kind=AgencyKind.REGENCY_OFFICE
    )
    ktp = service_upsert(
        agency=agency,
        slug="ktp-el",
        name="KTP-el",
        prefix="A",
        is_adminduk=True,
        outlets=[outlet],
        requirements=["Kartu Keluarga"],
    )
    kk = service_upsert(agency=agency, slug="kk", name="Kartu Keluarga", prefix="A", is_adminduk=True, outlets=[outlet])
    pairs = []
    for i in range(COUNTERS):
        user = user_upsert(
            username=f"bench{i}", password=None, roles=["service_officer"], outlets=[outlet], validate=False
        )
        agency_staff_add(agency=agency, user=user)
        pairs.append((counter_upsert(outlet=outlet, number=i + 1, agency=agency, services=[ktp, kk]), user))

    # Queries of one issuance (with the printed ticket) and of one call, measured alone.
    with CaptureQueriesContext(connection) as issue_q:
        ticket_issue(outlet=outlet, service=ktp, phone="081234567890")
    with CaptureQueriesContext(connection) as call_q:
        first = ticket_call_next(counter=pairs[0][0], officer=pairs[0][1])
    with CaptureQueriesContext(connection) as complete_q:
        ticket_complete(ticket=first, officer=pairs[0][1])

    # One kiosk and one counter alone: the latency without contention.
    solo_issue, solo_call = [], []
    for _ in range(20):
        started = time.perf_counter()
        ticket_issue(outlet=outlet, service=ktp)
        solo_issue.append(time.perf_counter() - started)
    for _ in range(20):
        started = time.perf_counter()
        ticket = ticket_call_next(counter=pairs[0][0], officer=pairs[0][1])
        solo_call.append(time.perf_counter() - started)
        ticket_complete(ticket=ticket, officer=pairs[0][1])
    load_before = os.getloadavg()[0]

    def kiosk(i: int):
        service = ktp if i % 2 == 0 else kk
        for _ in range(TICKETS_PER_KIOSK):
            started = time.perf_counter()
            ticket_issue(outlet=outlet, service=service)
            yield time.perf_counter() - started

    issue_lat, issue_err, issue_wall = run_threads(KIOSKS, kiosk)
    numbers = sorted(QueueTicket.objects.filter(service__prefix="A").values_list("number", flat=True))
    gap_free = numbers == list(range(1, len(numbers) + 1))

    def counter(i: int):
        c, user = pairs[i]
        from services_desk.exceptions import QueueEmpty

        while True:
            started = time.perf_counter()
            try:
                ticket = ticket_call_next(counter=c, officer=user)
            except QueueEmpty:
                return
            yield time.perf_counter() - started
            ticket_complete(ticket=ticket, officer=user)

    call_lat, call_err, call_wall = run_threads(COUNTERS, counter)
    served = QueueTicket.objects.filter(status="done").count()
    results = {
        "database": "PostgreSQL " + ".".join(str(x) for x in divmod(connection.pg_version, 10000)),
        "kiosks": KIOSKS,
        "tickets_per_kiosk": TICKETS_PER_KIOSK,
        "counters": COUNTERS,
        "ticket_issue": summary(issue_lat, issue_wall) | {"errors": issue_err[:5], "gap_free_1_to_n": gap_free},
        "call_next": summary(call_lat, call_wall) | {"errors": call_err[:5], "tickets_served": served},
        "queries": {"ticket_issue_with_print": len(issue_q), "call_next": len(call_q), "complete": len(complete_q)},
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_start": round(load_before, 2),
        "solo": {
            "ticket_issue_p50_ms": round(percentile([x * 1000 for x in solo_issue], 50), 1),
            "call_next_p50_ms": round(percentile([x * 1000 for x in solo_call], 50), 1),
        },
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "services_desk.json").write_text(json.dumps(results, indent=2) + "\n")
    i, c = results["ticket_issue"], results["call_next"]
    md = f"""# Service desk benchmark

Measured by `bench/bench_services_desk.py` on {results["database"]}, {results["cpu_count"]} CPU cores, one process,
{KIOSKS} kiosk threads and {COUNTERS} counter threads (each thread its own database connection).

| operation | concurrent | operations | throughput/s | mean ms | p50 ms | p95 ms | max ms | queries per call |
|---|---|---|---|---|---|---|---|---|
| ticket issuance (incl. ESC/POS ticket with 2 QR codes) | {KIOSKS} kiosks | {i["operations"]} | {i["throughput_per_second"]} | {i["mean_ms"]} | {i["p50_ms"]} | {i["p95_ms"]} | {i["max_ms"]} | {results["queries"]["ticket_issue_with_print"]} |
| call next | {COUNTERS} counters | {c["operations"]} | {c["throughput_per_second"]} | {c["mean_ms"]} | {c["p50_ms"]} | {c["p95_ms"]} | {c["max_ms"]} | {results["queries"]["call_next"]} |

- Ticket numbers gap-free 1..{len(numbers)} after the run: **{gap_free}**; errors: {len(issue_err)} (issuance), {len(call_err)} (call next).
- Alone (one kiosk, one counter, 20 operations each): ticket issuance p50 {results["solo"]["ticket_issue_p50_ms"]} ms, call next p50 {results["solo"]["call_next_p50_ms"]} ms.
- Machine load (1-minute average) when the concurrent phase started: {results["load_average_1min_at_start"]} on {results["cpu_count"]} cores
  (other work shared the machine); the app runs in one Python process here, so the GIL serialises the Python part.
- Tickets served by the counters: {served}; completing a ticket costs {results["queries"]["complete"]} queries.
"""
    (out / "services_desk.md").write_text(md)
    print(md)
    return 0 if gap_free and not issue_err and not call_err else 1


if __name__ == "__main__":
    sys.exit(main())
