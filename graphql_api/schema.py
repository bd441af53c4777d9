"""The root schema: every domain contributes its queries and mutations."""

import graphene

from .accounts.schema import AccountMutations, AccountQueries
from .catalog.schema import CatalogMutations, CatalogQueries
from .catalog.transfers import TransferMutations, TransferQueries
from .commerce.schema import CommerceMutations, CommerceQueries
from .commerce.settlements import SettlementMutations, SettlementQueries
from .payments.schema import PaymentsMutations, PaymentsQueries
from .pos.schema import PosMutations, PosQueries
from .services_desk.schema import ServicesDeskMutations, ServicesDeskQueries


class Query(
    AccountQueries,
    CatalogQueries,
    TransferQueries,
    CommerceQueries,
    SettlementQueries,
    PaymentsQueries,
    PosQueries,
    ServicesDeskQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    AccountMutations,
    CatalogMutations,
    TransferMutations,
    CommerceMutations,
    SettlementMutations,
    PaymentsMutations,
    PosMutations,
    ServicesDeskMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
