from django.apps import AppConfig


class GraphqlApiConfig(AppConfig):
    name = "graphql_api"
    verbose_name = "GraphQL API"

    def ready(self):
        # graphene-django only turns the `id` filter into a relay global-id filter for AutoField;
        # our models use BigAutoField, so register the same filter for the big/small variants.
        from django.db import models
        from graphene_django.filter.filters import GlobalIDFilter
        from graphene_django.filter.filterset import GrapheneFilterSetMixin

        for field_class in (models.BigAutoField, models.SmallAutoField):
            GrapheneFilterSetMixin.FILTER_DEFAULTS[field_class] = {"filter_class": GlobalIDFilter}
