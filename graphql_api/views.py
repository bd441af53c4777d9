"""The /graphql/ endpoint.

Bearer-token and anonymous requests need no CSRF token (a token is not ambient
authority); a request authenticated by the session cookie must carry one.
GraphiQL is served only with DEBUG on.

Registers, kiosks and the storefront send the same few operations over and over, so a
parsed and validated document is kept per query text: a repeated operation goes
straight to execution. Anything else (a new, invalid or very long query, GET) takes
graphene-django's own path, which reports the errors. Both validate with the same rules,
including a depth limit: a nested query (an outlet's parent's parent's …) cannot make the
server walk without end.
"""

from functools import lru_cache

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView
from graphql import DocumentNode, ExecutionResult, GraphQLError, execute, parse, specified_rules, validate

from .schema import schema

CACHED_QUERY_MAX_LENGTH = 10_000
CACHED_QUERIES = 256


def _csrf_reject_reason(request):
    middleware = CsrfViewMiddleware(lambda req: None)
    return middleware.process_view(request, None, (), {})


def validation_rules() -> tuple:
    """GraphQL's own rules plus a depth limit (`GRAPHQL_MAX_DEPTH`; introspection is not counted)."""
    return (*specified_rules, depth_limit_validator(max_depth=settings.GRAPHQL_MAX_DEPTH))


@lru_cache(maxsize=CACHED_QUERIES)
def validated_document(query: str) -> DocumentNode | None:
    """The parsed document of a valid query, or None when it does not parse or validate."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    if validate(
        schema.graphql_schema, document, validation_rules(), max_errors=graphene_settings.MAX_VALIDATION_ERRORS
    ):
        return None
    return document


class GemilangGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not getattr(request, "auth_via_token", False) and request.user.is_authenticated:
            rejection = _csrf_reject_reason(request)
            if rejection is not None:
                return rejection
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        document = None
        if (
            request.method == "POST"
            and isinstance(query, str)
            and len(query) <= CACHED_QUERY_MAX_LENGTH
            and self.schema is schema
            and not graphene_settings.ATOMIC_MUTATIONS
        ):
            document = validated_document(query)
        if document is None:
            return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        try:
            return execute(
                schema.graphql_schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as exc:  # as graphene-django does: the error goes back in the response
            return ExecutionResult(errors=[exc])


def graphql_view(request, *args, **kwargs):
    view = GemilangGraphQLView.as_view(graphiql=settings.DEBUG, validation_rules=validation_rules())
    return csrf_exempt(view)(request, *args, **kwargs)


graphql_view.csrf_exempt = True
