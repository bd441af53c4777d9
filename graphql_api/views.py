"""The /graphql/ endpoint.

Bearer-token and anonymous requests need no CSRF token (a token is not ambient
authority); a request authenticated by the session cookie must carry one.
GraphiQL is served only with DEBUG on.
"""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView


def _csrf_reject_reason(request):
    middleware = CsrfViewMiddleware(lambda req: None)
    return middleware.process_view(request, None, (), {})


class GemilangGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not getattr(request, "auth_via_token", False) and request.user.is_authenticated:
            rejection = _csrf_reject_reason(request)
            if rejection is not None:
                return rejection
        return super().dispatch(request, *args, **kwargs)


def graphql_view(request, *args, **kwargs):
    view = GemilangGraphQLView.as_view(graphiql=settings.DEBUG)
    return csrf_exempt(view)(request, *args, **kwargs)


graphql_view.csrf_exempt = True
