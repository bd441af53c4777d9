import graphene


class ServicesDeskQueries(graphene.ObjectType):
    pass


class ServicesDeskMutations(graphene.ObjectType):
    pass
