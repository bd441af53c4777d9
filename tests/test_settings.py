"""Settings come from the environment with safe zero-setup defaults; production fails loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER, s.MIDTRANS_SIMULATOR, s.ALLOWED_HOSTS)"


def _run(code: str, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY", "DEBUG"}
    }
    base.update(env, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_READ_DOT_ENV="0")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_need_no_environment():
    result = _run(PRINT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["django.db.backends.sqlite3", "True", "True", "True"]


def test_environment_overrides_defaults():
    result = _run(
        PRINT,
        DATABASE_URL="postgres://u:p@db.example:5432/gemilang",
        REDIS_URL="redis://127.0.0.1:6379/3",
        DEBUG="false",
        MIDTRANS_SERVER_KEY="SB-Mid-server-x",
        ALLOWED_HOSTS="a.example,b.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql False False False ['a.example', 'b.example']"


def test_production_without_secret_key_fails_loudly():
    result = _run(PRINT, DJANGO_ENV="production", PII_ENCRYPTION_KEYS="x", PII_HASH_KEY="y")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_pii_keys_fails_loudly():
    result = _run(PRINT, DJANGO_ENV="production", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "PII_ENCRYPTION_KEYS" in result.stderr


def test_production_deploy_check_passes():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_ENV="production",
        DJANGO_READ_DOT_ENV="0",
        SECRET_KEY="x9!" * 20 + "a-long-random-production-secret-key",
        ALLOWED_HOSTS="gemilang.trenggalekkab.go.id",
        PII_ENCRYPTION_KEYS="ZGV2LW9ubHktcGlpLWtleS1nZW1pbGFuZy0wMDAwMDA=",
        PII_HASH_KEY="another-long-secret",
        SECURE_HSTS_PRELOAD="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
