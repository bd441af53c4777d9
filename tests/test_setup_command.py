"""The run command's set-up path: migrate + demo data on an empty database, twice (idempotent)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_setup_on_empty_database_twice(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_READ_DOT_ENV="0", DEFAULT_PRINTER_URL="dummy:")
    first = subprocess.run(
        [sys.executable, "manage.py", "setup_if_empty"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 0, first.stderr
    assert "gemilang123" in first.stdout
    counts_first = _counts(db)
    assert counts_first["accounts_outlet"] == 15
    forced = subprocess.run(
        [sys.executable, "manage.py", "setup_if_empty", "--force-demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert forced.returncode == 0, forced.stderr
    assert _counts(db) == counts_first


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select name from sqlite_master where type='table' and name not like 'sqlite_%' and name not like 'django_%'"
            )
        ]
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables if t != "auth_permission"}
    finally:
        con.close()
