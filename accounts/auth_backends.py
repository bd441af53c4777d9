"""Log in with a username or, for customers, with the phone number they remember."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from .exceptions import InvalidPhone
from .models import User
from .phone_numbers import phone_looks_like, phone_normalize


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and phone_looks_like(username) and not User.objects.filter(username=username).exists():
            try:
                phone = phone_normalize(username)
            except InvalidPhone:
                return None
            user = User.objects.filter(phone=phone).first()
            if user is None:
                User().set_password(password)  # same work as a real check: no timing oracle
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and role permissions, read in one query (Django's backend needs two) and cached on the user."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            fields = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                rows = Permission.objects.order_by().values_list(*fields)
            else:
                own = Permission.objects.filter(user=user_obj).order_by().values_list(*fields)
                rows = own.union(Permission.objects.filter(group__user=user_obj).order_by().values_list(*fields))
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
