from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "commerce.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
