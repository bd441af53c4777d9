from django.apps import AppConfig


class PosConfig(AppConfig):
    name = "pos"
    verbose_name = "Point of sale"

    def ready(self):
        # QRIS sales complete when their Midtrans payment says paid (notification or status check).
        from commerce.payments.handlers import register_payment_handler

        from .services.sales import pos_sale_payment_handler

        register_payment_handler("pos_sale", pos_sale_payment_handler)
