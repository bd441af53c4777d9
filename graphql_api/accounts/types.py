import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from accounts.models import Customer, Outlet, User, Visit
from accounts.phone_numbers import phone_display
from accounts.selectors import user_roles

from ..core.types import CountableConnection


class OutletType(DjangoObjectType):
    address = graphene.String(required=True)
    opening_hours = graphene.JSONString()

    class Meta:
        model = Outlet
        name = "Outlet"
        interfaces = (relay.Node,)
        connection_class = CountableConnection
        fields = (
            "id",
            "name",
            "slug",
            "code",
            "level",
            "parent",
            "region_code",
            "kecamatan",
            "desa",
            "postcode",
            "phone",
            "is_active",
            "offers_sales",
            "offers_services",
        )
        filter_fields = {
            "level": ["exact"],
            "kecamatan": ["exact", "icontains"],
            "offers_sales": ["exact"],
            "offers_services": ["exact"],
        }

    def resolve_address(root, info):
        return root.full_address

    def resolve_opening_hours(root, info):
        return root.opening_hours


class UserType(DjangoObjectType):
    roles = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        model = User
        name = "User"
        interfaces = (relay.Node,)
        fields = ("id", "username", "first_name", "last_name", "email", "phone", "restricted_to_outlets")

    def resolve_roles(root, info):
        return user_roles(root)


class CustomerType(DjangoObjectType):
    phone_display = graphene.String()

    class Meta:
        model = Customer
        name = "Customer"
        interfaces = (relay.Node,)
        fields = ("id", "name", "phone", "email", "nik_masked", "consent_marketing")

    def resolve_phone_display(root, info):
        return phone_display(root.phone)


class VisitType(DjangoObjectType):
    qr_payload = graphene.String(required=True)

    class Meta:
        model = Visit
        name = "Visit"
        interfaces = (relay.Node,)
        fields = ("id", "code", "outlet", "business_date", "channel", "status", "customer", "created_at", "closed_at")

    def resolve_qr_payload(root, info):
        return root.qr_payload
