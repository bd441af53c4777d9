import graphene

from accounts.error_codes import AccountErrorCode
from accounts.services.tokens import token_create

from ...core.mutations import BaseMutation
from ..types import UserType


class TokenCreate(BaseMutation):
    """Exchange a username (or phone) and password for a bearer token."""

    token = graphene.String()
    user = graphene.Field(UserType)

    class Arguments:
        username = graphene.String(required=True)
        password = graphene.String(required=True)

    class Meta:
        error_type_class = AccountErrorCode

    @classmethod
    def perform_mutation(cls, root, info, username, password):
        token, user = token_create(username=username, password=password, request=info.context)
        return cls(token=token, user=user)
