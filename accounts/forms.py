from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .login_security import locked_out, lockout_minutes


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or phone number"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("Please enter a correct username (or phone) and password."),
        "inactive": _("This account is inactive."),
        "locked_out": _("Too many failed attempts. Wait %(minutes)d minutes, then try again."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if locked_out(self.request):
                raise forms.ValidationError(
                    self.error_messages["locked_out"] % {"minutes": lockout_minutes()}, code="locked_out"
                ) from None
            raise
