from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from graphql_api.views import graphql_view

urlpatterns = [
    path("", account_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view, name="graphql"),
    path("akun/", include("accounts.urls")),
    path("produk/", include("catalog.urls")),
    path("payments/", include("commerce.payments.urls")),
    path("", include("commerce.urls")),
    path("kasir/", include("pos.urls")),
    path("layanan/", include("services_desk.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
