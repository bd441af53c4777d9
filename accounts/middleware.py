"""Authenticate `Authorization: Bearer <token>` requests (API clients, kiosks, agencies)."""

from django.utils.functional import SimpleLazyObject


class BearerTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        request.auth_via_token = False
        if header[:7].lower() == "bearer ":
            from django.contrib.auth.models import AnonymousUser

            from accounts.services.tokens import token_authenticate

            raw = header[7:].strip()
            request.auth_via_token = True
            request.user = SimpleLazyObject(lambda: token_authenticate(raw) or AnonymousUser())
        return self.get_response(request)
