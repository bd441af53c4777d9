"""Outgoing messages to people (order status, "your turn is near", request ready).

A provider interface: `console` (default run) logs the message, `email`
sends it by Django's mail backend when an address is known. A WhatsApp/SMS
provider implements `MessageProvider.send` and is chosen by MESSAGE_CHANNEL.
Send after commit (`transaction.on_commit`) so a rolled-back change never
notifies anybody.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger("gemilang.messages")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    phone: str = ""  # E.164
    email: str = ""


class MessageProvider:
    def send(self, message: Message) -> bool:
        raise NotImplementedError


class ConsoleProvider(MessageProvider):
    sent: list[Message] = []  # the last messages, for the demo and tests

    def send(self, message: Message) -> bool:
        ConsoleProvider.sent.append(message)
        del ConsoleProvider.sent[:-100]
        logger.info("[message to %s] %s: %s", message.phone or message.email, message.subject, message.body)
        return True


class EmailProvider(MessageProvider):
    def send(self, message: Message) -> bool:
        if not message.email:
            return ConsoleProvider().send(message)
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.email])
        return True


PROVIDERS = {"console": ConsoleProvider, "email": EmailProvider}


def message_send(*, subject: str, body: str, phone: str = "", email: str = "") -> bool:
    """Send a message through the configured channel; return whether it was handed over."""
    provider = PROVIDERS.get(settings.MESSAGE_CHANNEL, ConsoleProvider)()
    try:
        return provider.send(Message(subject=subject, body=body, phone=phone, email=email))
    except Exception:
        logger.exception("Sending a message failed")
        return False
