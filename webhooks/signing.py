"""Standard Webhooks signatures (https://www.standardwebhooks.com/), through the scheme's
own library: a secret is "whsec_" + base64 of 32 random bytes; a message carries the
headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
("v1," + base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}"). Pure: no Django."""

import base64
import secrets
import uuid
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the scheme asks for 24 to 64


def new_secret() -> str:
    """A fresh signing secret, "whsec_" + base64 (standard alphabet, padded)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_message_id() -> str:
    """A message id, unique per event and endpoint, kept across retries and replays."""
    return f"msg_{uuid.uuid4().hex}"


def signed_headers(*, secret: str, message_id: str, body: bytes, at: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for `body` sent at `at` (whole seconds)."""
    signature = Webhook(secret).sign(message_id, at, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.astimezone(UTC).timestamp())),
        "webhook-signature": signature,
    }
