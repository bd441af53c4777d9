"""The one place that talks to Midtrans, through the official `midtransclient`.

What the wrapper adds to the library:
- request timeouts (the library passes none to `requests`): `MIDTRANS_TIMEOUT_SECONDS`;
- retries only where they are safe: the status GET (and connection attempts that never
  reached Midtrans), never a charge, cancel or refund POST;
- a fresh `custom_headers` dict per client (the library shares one default dict);
- base URLs chosen per client instance through its `api_config` (sandbox/production, the
  built-in simulator on this server, or a test server on 127.0.0.1);
- errors mapped to `GatewayError` subclasses with translated messages.

Signatures of notifications are checked in `midtrans_signature`, not by the library's
`transactions.notification()` (which neither verifies them nor sends the right request).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from contextlib import contextmanager

import midtransclient
import requests
from django.conf import settings
from django.utils.translation import gettext as _
from midtransclient.error_midtrans import JSONDecodeError as MidtransJSONDecodeError
from midtransclient.error_midtrans import MidtransAPIError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .exceptions import GatewayMisconfigured, GatewayRejected, GatewayUnavailable

logger = logging.getLogger(__name__)

SIMULATOR_PATH = "/payments/simulator"


def simulator_enabled() -> bool:
    return bool(settings.MIDTRANS_SIMULATOR)


def midtrans_server_key() -> str:
    """Return the server key: the configured one, or the simulator's own key derived from SECRET_KEY."""
    if settings.MIDTRANS_SERVER_KEY:
        return settings.MIDTRANS_SERVER_KEY
    if simulator_enabled():
        digest = hmac.new(settings.SECRET_KEY.encode(), b"gemilang-midtrans-simulator", hashlib.sha256).hexdigest()
        return f"SB-Mid-server-SIMULATOR-{digest[:24]}"
    return ""


def midtrans_client_key() -> str:
    return settings.MIDTRANS_CLIENT_KEY or ("SB-Mid-client-SIMULATOR" if simulator_enabled() else "")


def core_base_url() -> str:
    if settings.MIDTRANS_CORE_BASE_URL:
        return settings.MIDTRANS_CORE_BASE_URL.rstrip("/")
    if simulator_enabled():
        return f"{settings.SITE_URL}{SIMULATOR_PATH}/core"
    config = midtransclient.config.ApiConfig
    return config.CORE_PRODUCTION_BASE_URL if settings.MIDTRANS_IS_PRODUCTION else config.CORE_SANDBOX_BASE_URL


def snap_base_url() -> str:
    """Return the Snap base URL, ending in `/snap/v1` (the library appends `/transactions`)."""
    if settings.MIDTRANS_SNAP_BASE_URL:
        return settings.MIDTRANS_SNAP_BASE_URL.rstrip("/")
    if simulator_enabled():
        return f"{settings.SITE_URL}{SIMULATOR_PATH}/snap/v1"
    config = midtransclient.config.ApiConfig
    return config.SNAP_PRODUCTION_BASE_URL if settings.MIDTRANS_IS_PRODUCTION else config.SNAP_SANDBOX_BASE_URL


class _TimeoutSession(requests.Session):
    """A requests session that always sets a timeout and retries only idempotent reads."""

    def __init__(self, *, timeout: float, retries: int, backoff: float):
        super().__init__()
        self.timeout = (min(timeout, 5.0), timeout)
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=(500, 502, 503, 504),
            backoff_factor=backoff,
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


class MidtransGateway:
    """Snap, Core API charge (QRIS), status, cancel and refund with timeouts and mapped errors."""

    def __init__(self):
        self.server_key = midtrans_server_key()
        if not self.server_key:
            raise GatewayMisconfigured(
                _("Online payment is not configured: set MIDTRANS_SERVER_KEY or turn the Midtrans simulator on.")
            )
        self.is_production = bool(settings.MIDTRANS_IS_PRODUCTION) and not simulator_enabled()
        self.core_url = core_base_url()
        self.snap_url = snap_base_url()
        self.session = _TimeoutSession(
            timeout=float(settings.MIDTRANS_TIMEOUT_SECONDS),
            retries=int(settings.MIDTRANS_STATUS_RETRIES),
            backoff=float(settings.MIDTRANS_RETRY_BACKOFF_SECONDS),
        )

    def _configure(self, client, headers: dict | None = None):
        config = client.api_config
        config.custom_headers = dict(headers or {})
        if settings.MIDTRANS_NOTIFICATION_URL:
            config.custom_headers["X-Override-Notification"] = settings.MIDTRANS_NOTIFICATION_URL
        # Instance attributes shadow the class defaults for this client only.
        config.CORE_SANDBOX_BASE_URL = config.CORE_PRODUCTION_BASE_URL = self.core_url
        config.SNAP_SANDBOX_BASE_URL = config.SNAP_PRODUCTION_BASE_URL = self.snap_url
        client.http_client.http_client = self.session
        return client

    def _snap(self):
        return self._configure(
            midtransclient.Snap(
                is_production=self.is_production,
                server_key=self.server_key,
                client_key=midtrans_client_key(),
                custom_headers={},
            )
        )

    def _core(self, headers: dict | None = None):
        return self._configure(
            midtransclient.CoreApi(
                is_production=self.is_production,
                server_key=self.server_key,
                client_key=midtrans_client_key(),
                custom_headers={},
            ),
            headers,
        )

    def close(self) -> None:
        self.session.close()

    # --- calls ---------------------------------------------------------------------------------

    def snap_create(self, parameters: dict) -> dict:
        """Create a Snap transaction; return Midtrans' answer with `token` and `redirect_url`."""
        with self._errors_translated():
            answer = self._snap().create_transaction(parameters)
        if not answer.get("token") or not answer.get("redirect_url"):
            raise GatewayUnavailable(_("Midtrans gave an incomplete answer. Please try again."))
        return answer

    def qris_charge(self, parameters: dict) -> dict:
        """Charge with `payment_type: qris` through the Core API; return the answer with `qr_string` and `actions`."""
        order_id = parameters["transaction_details"]["order_id"]
        with self._errors_translated():
            answer = self._core({"Idempotency-Key": order_id}).charge(parameters)
        if not answer.get("qr_string"):
            raise GatewayUnavailable(_("Midtrans gave no QR code. Please try again."))
        return answer

    def status(self, order_id: str) -> dict | None:
        """Return Midtrans' current record of the transaction, or None when Midtrans has none (404)."""
        with self._errors_translated(not_found_ok=True) as outcome:
            return self._core().transactions.status(order_id)
        return outcome.get("answer")

    def cancel(self, order_id: str) -> dict | None:
        """Cancel a transaction not yet paid; None when Midtrans has no transaction (Snap, no method chosen)."""
        with self._errors_translated(not_found_ok=True):
            return self._core().transactions.cancel(order_id)
        return None

    def refund(self, order_id: str, *, amount: int, reason: str, refund_key: str) -> dict:
        """Refund `amount` of a paid transaction; the same `refund_key` never refunds twice."""
        with self._errors_translated():
            return self._core().transactions.refund(
                order_id, {"refund_key": refund_key, "amount": int(amount), "reason": reason[:255]}
            )

    @contextmanager
    def _errors_translated(self, *, not_found_ok: bool = False):
        outcome: dict = {}
        try:
            yield outcome
        except requests.Timeout as exc:
            logger.warning("Midtrans timed out: %s", exc)
            raise GatewayUnavailable(_("Midtrans did not answer in time. Please try again in a moment.")) from exc
        except requests.RequestException as exc:
            logger.warning("Midtrans unreachable: %s", exc)
            raise GatewayUnavailable(_("Midtrans cannot be reached right now. Please try again in a moment.")) from exc
        except MidtransJSONDecodeError as exc:
            logger.warning("Midtrans answered without JSON: %s", str(exc)[:300])
            raise GatewayUnavailable(_("Midtrans gave an unreadable answer. Please try again in a moment.")) from exc
        except MidtransAPIError as exc:
            body = exc.api_response_dict or {}
            code = _status_code_of(body) or exc.http_status_code
            message = _gateway_message(body)
            if code == 404 or exc.http_status_code == 404:
                if not_found_ok:
                    return
                raise GatewayRejected(_("Midtrans does not know this transaction.")) from exc
            if exc.http_status_code == 401 or code == 401:
                logger.error("Midtrans refused the server key")
                raise GatewayMisconfigured(
                    _("Midtrans refused this shop's server key. Ask the administrator to check the Midtrans settings.")
                ) from exc
            if exc.http_status_code >= 500 or code >= 500:
                logger.warning("Midtrans server error %s: %s", code, message)
                raise GatewayUnavailable(
                    _("Midtrans has a problem right now (error %(code)s). Please try again in a moment.")
                    % {"code": code}
                ) from exc
            logger.info("Midtrans refused a request (%s): %s", code, message)
            raise GatewayRejected(
                _("Midtrans refused the request: %(message)s") % {"message": message or code}
            ) from exc


def _status_code_of(body: dict) -> int | None:
    try:
        return int(body.get("status_code"))
    except (TypeError, ValueError):
        return None


def _gateway_message(body: dict) -> str:
    message = body.get("status_message") or ""
    errors = body.get("error_messages")
    if isinstance(errors, list) and errors:
        message = "; ".join(str(e) for e in errors[:3])
    return str(message)[:200]
