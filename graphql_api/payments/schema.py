# ruff: noqa: N805  (graphene resolvers take the parent object as `root`)
import graphene
from graphene_django import DjangoConnectionField

from commerce.payments.selectors import payments_all

from ..core.ids import get_node_or_error
from ..core.permissions import require_permissions
from .mutations.payment_check_status import PaymentCheckStatus, PaymentFlagResolve
from .types import PaymentStatusEnum, PaymentType


class PaymentsQueries(graphene.ObjectType):
    payment = graphene.Field(PaymentType, id=graphene.ID(required=True), description="A payment, for staff.")
    payments = DjangoConnectionField(
        PaymentType,
        status=PaymentStatusEnum(),
        flagged=graphene.Boolean(),
        reference=graphene.String(),
        description="Payments, newest first, for staff.",
    )

    def resolve_payment(root, info, id):
        require_permissions(info, ["payments.view_payment"])
        return get_node_or_error(id, queryset=payments_all(), expected_type="Payment", field="id")

    def resolve_payments(root, info, status=None, flagged=None, reference=None, **kwargs):
        require_permissions(info, ["payments.view_payment"])
        qs = payments_all().order_by("-created_at", "-pk")
        if status is not None:
            qs = qs.filter(status=getattr(status, "value", status))
        if flagged is not None:
            qs = qs.filter(flagged=flagged)
        if reference:
            qs = qs.filter(reference=reference)
        return qs


class PaymentsMutations(graphene.ObjectType):
    payment_check_status = PaymentCheckStatus.Field()
    payment_flag_resolve = PaymentFlagResolve.Field()


__all__ = ["PaymentsMutations", "PaymentsQueries"]
