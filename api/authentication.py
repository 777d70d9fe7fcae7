"""`Authorization: Token <key>` (or `Bearer <key>`) for the API: the key's SHA-256 hash
is looked up, so a copy of the database gives no usable token."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from api.models import ApiToken
from api.services import can_have_tokens, token_used
from kit.secret_links import secret_hash


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Token <your token>”.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token.")) from exc
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=secret_hash(key))
            .only("pk", "last_used_at", "scope", "user")
            .first()
        )
        # The owner's rights now, not when the token was made: one who left the managers
        # (or was deactivated) holds a token that no longer opens anything.
        if token is None or not token.user.is_active or not can_have_tokens(token.user):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        token_used(token=token)
        return token.user, token
