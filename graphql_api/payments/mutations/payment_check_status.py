import graphene

from commerce.payments.error_codes import PaymentErrorCode
from commerce.payments.selectors import payments_all
from commerce.payments.services import payment_check_status, payment_flag_resolve

from ...core.ids import get_node_or_error
from ...core.mutations import BaseMutation
from ..types import PaymentType


class PaymentCheckStatus(BaseMutation):
    """Ask Midtrans for the payment's status now and apply the answer (e.g. a QRIS the customer says is paid)."""

    payment = graphene.Field(PaymentType)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        permissions = ("payments.check_payment_status",)
        error_type_class = PaymentErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id):
        payment = get_node_or_error(id, queryset=payments_all(), expected_type="Payment", field="id")
        return cls(payment=payment_check_status(payment=payment))


class PaymentFlagResolve(BaseMutation):
    """Record what staff did about a flagged payment."""

    payment = graphene.Field(PaymentType)

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String(required=True)

    class Meta:
        permissions = ("payments.review_flagged_payment",)
        error_type_class = PaymentErrorCode

    @classmethod
    def perform_mutation(cls, root, info, id, note):
        payment = get_node_or_error(id, queryset=payments_all(), expected_type="Payment", field="id")
        return cls(payment=payment_flag_resolve(payment=payment, user=info.context.user, note=note))
