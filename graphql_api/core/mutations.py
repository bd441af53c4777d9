"""The base mutation: declared permissions, one service call, errors as data.

Subclasses declare `Meta.permissions` (all required) and `Meta.error_type_class`
(the domain's error-code enum, used for documentation), and implement
`perform_mutation(cls, root, info, **data)` which parses input, calls one
service and returns the payload. Every `DomainError` and `ValidationError`
becomes an entry of `errors`; permission refusals do too, with code
`PERMISSION_DENIED`, and nothing is written.
"""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from graphene.types.mutation import MutationOptions

from core.exceptions import DomainError, domain_error_from_validation

from .permissions import user_has_all
from .types import Error


class BaseMutationOptions(MutationOptions):
    permissions = None
    login_required = False
    error_type_class = None


class BaseMutation(graphene.Mutation):
    errors = graphene.List(graphene.NonNull(Error), required=True)

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls, permissions=None, login_required=False, error_type_class=None, _meta=None, **options
    ):
        if not _meta:
            _meta = BaseMutationOptions(cls)
        _meta.permissions = tuple(permissions or ())
        _meta.login_required = login_required
        _meta.error_type_class = error_type_class
        if permissions:
            doc = (cls.__doc__ or "").strip()
            cls.__doc__ = f"{doc}\n\nRequires permissions: {', '.join(permissions)}.".strip()
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    @classmethod
    def check_permissions(cls, info) -> bool:
        user = info.context.user
        if cls._meta.login_required and not user.is_authenticated:
            return False
        return user_has_all(user, cls._meta.permissions)

    @classmethod
    def error_payload(cls, errors: list[dict]):
        return cls(errors=[Error(**{k: (v if k != "code" else str(v).upper()) for k, v in e.items()}) for e in errors])

    @classmethod
    def mutate(cls, root, info, **data):
        if not cls.check_permissions(info):
            return cls.error_payload(
                [
                    {
                        "field": None,
                        "code": "permission_denied",
                        "message": _("You do not have permission to perform this action."),
                    }
                ]
            )
        try:
            payload = cls.perform_mutation(root, info, **data)
        except DomainError as exc:
            return cls.error_payload(exc.as_errors())
        except ValidationError as exc:
            return cls.error_payload(domain_error_from_validation(exc).as_errors())
        except PermissionDenied as exc:
            return cls.error_payload(
                [
                    {
                        "field": None,
                        "code": "permission_denied",
                        "message": str(exc) or _("You do not have permission to perform this action."),
                    }
                ]
            )
        if payload.errors is None:
            payload.errors = []
        return payload

    @classmethod
    def perform_mutation(cls, root, info, **data):
        raise NotImplementedError
