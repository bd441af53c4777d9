"""Home, cafés and login pages."""

from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, render

from .forms import LoginForm
from .selectors import outlets_active


def home(request):
    outlets = outlets_active()
    return render(request, "accounts/home.html", {"outlets": outlets})


def outlet_list(request):
    return render(request, "accounts/outlet_list.html", {"outlets": outlets_active()})


def outlet_detail(request, slug):
    outlet = get_object_or_404(outlets_active(), slug=slug)
    return render(request, "accounts/outlet_detail.html", {"outlet": outlet})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
