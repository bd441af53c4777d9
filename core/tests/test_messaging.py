import pytest

from core.messaging import ConsoleProvider, message_send


def test_console_channel_keeps_the_message(settings):
    settings.MESSAGE_CHANNEL = "console"
    assert message_send(subject="Pesanan siap", body="Ambil di kafe", phone="+6281234567890")
    assert ConsoleProvider.sent[-1].subject == "Pesanan siap"


@pytest.mark.django_db
def test_email_channel_sends_mail(settings, mailoutbox):
    settings.MESSAGE_CHANNEL = "email"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert message_send(subject="Giliran Anda", body="A-017", email="budi@example.id")
    assert mailoutbox[-1].to == ["budi@example.id"]
