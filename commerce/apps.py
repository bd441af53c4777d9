from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = _("Storefront and orders")

    def ready(self):
        try:
            from commerce.payments.handlers import register_payment_handler
        except ModuleNotFoundError as exc:  # the payments app without its handler registry: nothing to plug into
            if exc.name != "commerce.payments.handlers":
                raise
            return
        from .services.order_payments import PURPOSE_ORDER, order_payment_changed

        register_payment_handler(PURPOSE_ORDER, order_payment_changed)
