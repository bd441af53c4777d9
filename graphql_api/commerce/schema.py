import graphene


class CommerceQueries(graphene.ObjectType):
    pass


class CommerceMutations(graphene.ObjectType):
    pass
