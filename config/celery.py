"""The Celery app. Periodic tasks are declared by each app in its `beat.py`."""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gemilang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _collect_beat_schedule() -> dict:
    schedule = {}
    for app_name in ("accounts", "catalog", "commerce", "commerce.payments", "pos", "services_desk"):
        try:
            module = importlib.import_module(f"{app_name}.beat")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_name}.beat":
                raise
            continue
        schedule.update(module.BEAT_SCHEDULE)
    return schedule


app.conf.beat_schedule = _collect_beat_schedule()
