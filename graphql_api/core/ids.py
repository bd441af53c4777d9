"""Global IDs: decode a relay id into a model instance, or raise a domain error."""

from __future__ import annotations

from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from core.exceptions import NotFoundError


def decode_id(global_id: str, *, expected_type: str, field: str) -> int:
    try:
        type_name, pk = from_global_id(global_id)
        if type_name != expected_type:
            raise ValueError
        return int(pk)
    except Exception:
        raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": global_id}, field=field) from None


def get_node_or_error(global_id: str, *, queryset, expected_type: str, field: str):
    """Return the object for a global id from the (already permission-scoped) queryset."""
    pk = decode_id(global_id, expected_type=expected_type, field=field)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFoundError(_("Couldn't resolve id: %(id)s.") % {"id": global_id}, field=field)
    return obj
