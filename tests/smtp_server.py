"""A real SMTP server on loopback for the mail-path tests (aiosmtpd): it accepts, refuses
for now (451 to DATA), refuses the address for good (550 to RCPT), or answers too slowly,
as the test sets `mode`; and Django's SMTP backend pointed at it."""

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

ACCEPT, REFUSE_FOR_NOW, REFUSE_ADDRESS, SLOW = "accept", "refuse", "refuse-address", "slow"


@dataclass
class Received:
    to: list[str]
    message: Message

    @property
    def body(self) -> str:
        return self.message.get_payload(decode=True).decode(self.message.get_content_charset())


@dataclass
class MailServer:
    """What the server does with the next e-mail (`mode`) and what it has seen."""

    mode: str = ACCEPT
    slow_seconds: float = 5
    refused: int = 0
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == REFUSE_ADDRESS:
            self.refused += 1
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == REFUSE_FOR_NOW:
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        if self.mode == SLOW:
            await asyncio.sleep(self.slow_seconds)
        self.received.append(
            Received(list(envelope.rcpt_tos), message_from_bytes(envelope.content))
        )
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def mail_server(smtp_port):
    """A running server on `smtp_port` (a test that wants none there yet starts it later
    with `start_mail_server`)."""
    server, controller = start_mail_server(smtp_port)
    yield server
    controller.stop()


def start_mail_server(port: int) -> tuple[MailServer, Controller]:
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    return server, controller


@pytest.fixture
def smtp_settings(settings, smtp_port):
    """Django's own SMTP backend, pointed at `smtp_port`; a short timeout and short
    retry delays so the tests take seconds."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    settings.MAIL_RETRY_BACKOFF_SECONDS = 0.3
    return settings
