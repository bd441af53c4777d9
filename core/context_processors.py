"""Template context shared by every page: the site name and the menu for the user's roles."""

from django.conf import settings

from core.registry import navigation_for


def site(request):
    return {
        "SITE_NAME": "Gemilang",
        "SITE_URL": settings.SITE_URL,
        "MIDTRANS_SIMULATOR": settings.MIDTRANS_SIMULATOR,
        "nav_items": navigation_for(request.user) if hasattr(request, "user") else [],
    }
