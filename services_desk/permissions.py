"""Who may act on what: counters by officers of the café and agency, requests by the agency and the citizen."""

from __future__ import annotations

from accounts.selectors import user_can_act_at_outlet

from .models import AgencyStaff, Counter, ServiceRequest


def user_agency_ids(user) -> set[int]:
    """Return the ids of the agencies this user works for."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_desk_agency_ids", None)
    if cached is None:
        cached = set(AgencyStaff.objects.filter(user=user).values_list("agency_id", flat=True))
        user._desk_agency_ids = cached
    return cached


def user_can_serve_counter(user, counter: Counter) -> bool:
    """An officer serves a counter of a café where they may act, for the counter's agency (if it has one)."""
    if not user.is_authenticated or not user.has_perm("services_desk.serve_queue"):
        return False
    if not user_can_act_at_outlet(user, counter.outlet_id):
        return False
    if user.is_superuser or counter.agency_id is None:
        return True
    return counter.agency_id in user_agency_ids(user)


def user_can_work_request(user, request: ServiceRequest) -> bool:
    """Only staff of the agency the request is assigned to work it."""
    return (
        user.is_authenticated
        and user.has_perm("services_desk.work_servicerequest")
        and request.agency_id in user_agency_ids(user)
    )


def user_can_see_request(user, request: ServiceRequest) -> bool:
    """The citizen who filed it, and the assigned agency's staff."""
    if not user.is_authenticated:
        return False
    return request.user_id == user.pk or user_can_work_request(user, request)
