"""Types shared by every domain schema."""

import graphene
from graphene import relay

from core.money import CURRENCY, format_rupiah


class Error(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about, or null for the whole operation.")
    code = graphene.String(required=True, description="A stable machine-readable code from the domain's error enum.")
    message = graphene.String(required=True, description="A translated message for people.")


class Money(graphene.ObjectType):
    amount = graphene.Int(required=True, description="Whole rupiah.")
    currency = graphene.String(required=True)
    formatted = graphene.String(required=True, description="As printed, e.g. Rp15.000.")

    @staticmethod
    def of(amount):
        if amount is None:
            return None
        return Money(amount=int(amount), currency=CURRENCY, formatted=format_rupiah(int(amount)))


class CountableConnection(relay.Connection):
    """A relay connection that also tells the total number of items."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True)

    def resolve_total_count(root, info, **kwargs):
        if getattr(root, "length", None) is not None:
            return root.length  # counted already by the connection field, to slice the page
        iterable = root.iterable
        if hasattr(iterable, "count") and not isinstance(iterable, list):
            return iterable.count()
        return len(iterable)
