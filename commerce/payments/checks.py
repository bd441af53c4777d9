"""System checks of the payments settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def midtrans_simulator_in_production(app_configs, **kwargs):
    if getattr(settings, "IS_PRODUCTION", False) and settings.MIDTRANS_SIMULATOR:
        return [
            Warning(
                "The Midtrans simulator is on in production: anyone can mark a payment as paid.",
                hint="Set MIDTRANS_SERVER_KEY and MIDTRANS_CLIENT_KEY (and MIDTRANS_IS_PRODUCTION=true), or MIDTRANS_SIMULATOR=false.",
                id="payments.W001",
            )
        ]
    return []
