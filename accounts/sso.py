"""Single sign-on by OpenID Connect: the company's identity provider signs people in.

Why mozilla-django-oidc rather than django-allauth: we need one thing, the
authorization-code flow against the one provider the operator names, beside our own
log-in, two-factor step and password reset. mozilla-django-oidc is that and no more: an
authentication backend and two views (state, nonce, PKCE S256), a few hundred lines we
can read, no models, no pages, no account system of its own. django-allauth brings its
own accounts, e-mail addresses, sign-up, pages, settings and migrations, which would
stand beside accounts/ (log-in, two-factor, password reset) and duplicate it; its many
providers are of no use to one configured company provider.

What this module adds to the library, which leaves these to its user:
- discovery: the endpoints come from `<OIDC_ISSUER>/.well-known/openid-configuration`,
  fetched once per process when first needed, with a timeout; its `issuer` must be the
  configured one (else a look-alike document could name other endpoints and keys).
- the id token: signed RS256 by a key of the provider's JWKS, `aud` our client id, `iss`
  the provider, not expired, our nonce (the library checks neither audience nor issuer).
- the account (accounts/services.py `sso_sign_in`): found by the provider's `sub`, else
  the one account of the token's e-mail, linked only when the token says the address is
  verified, else a new account; the role groups of OIDC_GROUP_MAP follow the groups claim
  at every sign-in.
- two-factor: our second step still applies after single sign-on (the middleware asks
  for it as after a password); with OIDC_TRUST_MFA, a token whose `amr` says the provider
  asked for a second factor stands in for ours (accounts/policy.py `second_step_done`).
"""

import hmac
import logging
from functools import lru_cache

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from accounts import services
from accounts.backends import ModelBackend
from accounts.policy import PROVIDER_MFA_SESSION_KEY
from alliances.access import BANK_ADMINS_GROUP, EXECUTIVES_GROUP, GROUP_FLAGS, MANAGERS_GROUP

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
SIGNING_ALGORITHMS = ["RS256"]
# Seconds of clock difference with the provider tolerated on `exp` and `iat`.
CLOCK_LEEWAY = 60
# `amr` values (RFC 8176) that say the provider asked for a second factor.
MFA_METHODS = frozenset({"mfa", "otp", "hwk"})
# Short names an operator may use in OIDC_GROUP_MAP for our role groups.
ROLE_GROUP_ALIASES = {
    "managers": MANAGERS_GROUP,
    "executives": EXECUTIVES_GROUP,
    "bank_admins": BANK_ADMINS_GROUP,
    "bank-admins": BANK_ADMINS_GROUP,
}


class SSOError(Exception):
    """A single sign-on refused; `message` is for the person signing in."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider_name() -> str:
    """The provider as the log-in page names it: "Sign in with …"."""
    return settings.OIDC_PROVIDER_NAME or _("your company")


def _unreachable() -> SSOError:
    return SSOError(
        _("%(provider)s cannot be reached just now: try again in a minute.")
        % {"provider": provider_name()}
    )


def _misconfigured() -> SSOError:
    return SSOError(
        _(
            "Single sign-on with %(provider)s is not set up correctly here: log in with "
            "your password if you have one, and tell an administrator."
        )
        % {"provider": provider_name()}
    )


def discovery() -> dict:
    """The provider's discovery document (its endpoints), read once per process."""
    return _discover(settings.OIDC_ISSUER, settings.OIDC_TIMEOUT)


@lru_cache(maxsize=4)
def _discover(issuer: str, timeout: int) -> dict:
    """Cached only when it succeeds (lru_cache keeps no exception): a provider down at
    the first sign-in is asked again at the next."""
    url = issuer.rstrip("/") + DISCOVERY_PATH
    try:
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OpenID Connect discovery at %s failed: %s", url, error)
        raise _unreachable() from error
    discovered = document.get("issuer") if isinstance(document, dict) else None
    # The same issuer, a trailing slash aside (operators write it either way).
    if not isinstance(discovered, str) or discovered.rstrip("/") != issuer.rstrip("/"):
        logger.error(
            "OpenID Connect discovery at %s names issuer %r, not OIDC_ISSUER %r",
            url,
            discovered,
            issuer,
        )
        raise _misconfigured()
    missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(document.get(name), str)]
    if missing:
        logger.error("OpenID Connect discovery at %s lacks %s", url, ", ".join(missing))
        raise _misconfigured()
    return document


@lru_cache(maxsize=4)
def _signing_keys(jwks_uri: str, timeout: int) -> jwt.PyJWKClient:
    """The provider's keys, cached; fetched again when a token names a key not seen yet
    (the provider rotated its keys)."""
    return jwt.PyJWKClient(jwks_uri, cache_keys=True, lifespan=3600, timeout=timeout)


def validate_id_token(token, *, nonce) -> dict:
    """The claims of `token` once it is proven the provider's, for us, for this sign-in;
    else SSOError. Signature RS256 by a key of the provider's JWKS, `aud` our client id,
    `iss` the discovered issuer, `exp` not passed, `nonce` the one this sign-in sent."""
    config = discovery()
    refused = SSOError(
        _("The answer of %(provider)s could not be verified, so you were not signed in.")
        % {"provider": provider_name()}
    )
    if not isinstance(token, str) or not token:
        raise refused
    try:
        key = _signing_keys(config["jwks_uri"], settings.OIDC_TIMEOUT).get_signing_key_from_jwt(
            token
        )
        claims = jwt.decode(
            token,
            key,
            algorithms=SIGNING_ALGORITHMS,
            audience=settings.OIDC_CLIENT_ID,
            issuer=config["issuer"],
            leeway=CLOCK_LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.PyJWKClientConnectionError as error:
        logger.warning("OpenID Connect keys unreachable: %s", error)
        raise _unreachable() from error
    except jwt.InvalidAudienceError as error:
        logger.warning("OpenID Connect id token for another client refused: %s", error)
        raise SSOError(
            _("That sign-in was meant for another application, so you were not signed in.")
        ) from error
    except jwt.ExpiredSignatureError as error:
        raise SSOError(_("That sign-in took too long and expired: start again.")) from error
    except jwt.PyJWTError as error:
        logger.warning("OpenID Connect id token refused: %s", error)
        raise refused from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise refused
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        logger.warning("OpenID Connect id token with another nonce refused")
        raise SSOError(_("That sign-in is not the one started in this browser: start again."))
    return claims


def group_map() -> dict[str, str]:
    """OIDC_GROUP_MAP with our group names: the provider's group -> our role group."""
    return {
        provider_group: ROLE_GROUP_ALIASES.get(ours.strip().lower(), ours.strip())
        for provider_group, ours in settings.OIDC_GROUP_MAP.items()
    }


def _claimed_groups(claims: dict) -> list[str] | None:
    """The provider's groups of the person, or None when groups are not managed here.
    A token without the claim means no groups (the person left them all)."""
    if not settings.OIDC_GROUPS_CLAIM or not settings.OIDC_GROUP_MAP:
        return None
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    values = [value] if isinstance(value, str) else value
    return [str(group) for group in values if isinstance(group, str | int)]


def _email_verified(claims: dict) -> bool:
    # Some providers send the boolean as a string.
    return claims.get("email_verified") in (True, "true", "True")


def provider_did_mfa(claims: dict) -> bool:
    """The operator trusts the provider's second factor and the token says it was asked."""
    amr = claims.get("amr") or []
    methods = {amr} if isinstance(amr, str) else {str(method) for method in amr}
    return settings.OIDC_TRUST_MFA and bool(MFA_METHODS & methods)


def remember_provider_mfa(request, user) -> None:
    """After the log-in: this session passed the second step at the provider (or not)."""
    if provider_did_mfa(getattr(user, "sso_claims", {})):
        request.session[PROVIDER_MFA_SESSION_KEY] = user.pk
    else:
        request.session.pop(PROVIDER_MFA_SESSION_KEY, None)


class OIDCBackend(ModelBackend, OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints of discovery, our token checks and
    our account rules. Its `authenticate` takes only the callback's keywords (nonce,
    code_verifier), so Django never offers it a password; the signed-in user is loaded as
    accounts.backends.ModelBackend loads them."""

    def __init__(self, *args, **kwargs):
        # The library reads static endpoints here; ours come from discovery when used.
        self.UserModel = get_user_model()

    def get_settings(self, attr, *args):
        if attr == "OIDC_TOKEN_USE_BASIC_AUTH":
            # The provider's choice; without one, client_secret_basic (OpenID Connect
            # Discovery's default).
            methods = discovery().get(
                "token_endpoint_auth_methods_supported", ["client_secret_basic"]
            )
            return "client_secret_basic" in methods
        return import_from_settings(attr, *args)

    def authenticate(self, request, *, nonce, code_verifier):
        if request is None or not enabled():
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = discovery()["token_endpoint"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token, **kwargs):
        return validate_id_token(token, nonce=kwargs.get("nonce"))

    def get_or_create_user(self, access_token, id_token, payload):
        """The account of the id token's claims (the signed statement; no userinfo call)."""
        try:
            user = services.sso_sign_in(
                issuer=discovery()["issuer"],
                subject=str(payload["sub"]),
                email=str(payload.get(settings.OIDC_EMAIL_CLAIM) or "").strip(),
                email_verified=_email_verified(payload),
                names=(str(payload.get("given_name") or ""), str(payload.get("family_name") or "")),
                groups=_claimed_groups(payload),
                group_map=group_map(),
            )
        except PermissionDenied as refusal:
            raise SSOError(str(refusal)) from refusal
        user.sso_claims = payload
        return user


@checks.register(checks.Tags.security)
def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A half-set single sign-on fails at start, not at someone's first sign-in."""
    if not enabled():
        return []
    errors = [
        checks.Error(f"OIDC_ISSUER is set but {name} is empty.", id="accounts.E001")
        for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
        if not getattr(settings, name)
    ]
    errors += [
        checks.Error(
            f"OIDC_GROUP_MAP maps {provider_group!r} to {ours!r}, which is none of our role "
            f"groups ({', '.join(GROUP_FLAGS)}) nor their short names "
            f"({', '.join(ROLE_GROUP_ALIASES)}).",
            id="accounts.E002",
        )
        for provider_group, ours in group_map().items()
        if ours not in GROUP_FLAGS
    ]
    return errors
