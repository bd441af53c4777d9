from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("kafe/", views.outlet_list, name="outlets"),
    path("kafe/<slug:slug>/", views.outlet_detail, name="outlet-detail"),
]
