import graphene


class PosQueries(graphene.ObjectType):
    pass


class PosMutations(graphene.ObjectType):
    pass
