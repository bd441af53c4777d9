"""Log in with a username or, for customers, with the phone number they remember."""

from django.contrib.auth.backends import ModelBackend

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
