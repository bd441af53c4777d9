"""The GraphQL API (graphene-django): one sub-package per domain, mirroring the apps."""
