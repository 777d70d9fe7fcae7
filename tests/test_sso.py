"""Single sign-on by OpenID Connect against a real provider: django-oauth-toolkit in its
own process (tests/oidc_provider/), one for the module. The app is Django's test client;
its back-channel calls (discovery, keys, the code exchange) go to the provider over HTTP,
and a requests session plays the browser at the provider (its log-in, then /authorize)."""

import base64
import hashlib
import json
import secrets
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sso
from accounts.models import SingleSignOnIdentity
from alliances.access import BANK_ADMINS_GROUP, EXECUTIVES_GROUP, MANAGERS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/sso/callback/"
OURS = {"client_id": "alliance-readiness", "client_secret": "ours-" + "s" * 40}
OTHER = {"client_id": "another-app", "client_secret": "theirs-" + "t" * 40}
PEOPLE = ("ada", "grace", "linus", "root", "mallory", "ken")
PASSWORD = "provider-pw-1"


@dataclass
class Provider:
    url: str
    folder: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def claims(self, username: str, **claims) -> None:
        """What the next id token of `username` says (beside sub, iss, aud, nonce …)."""
        path = self.folder / "claims.json"
        people = json.loads(path.read_text()) if path.exists() else {}
        people[username] = claims
        path.write_text(json.dumps(people))

    def browser(self, username: str) -> requests.Session:
        """A browser logged in at the provider as `username`."""
        browser = requests.Session()
        browser.get(f"{self.url}/login/").raise_for_status()
        response = browser.post(
            f"{self.url}/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                "next": "/o/",
            },
            allow_redirects=False,
        )
        assert response.status_code == 302, "the provider refused the log-in"
        return browser

    def authorize(self, browser: requests.Session, url: str) -> str:
        """The browser at the provider's authorize URL: where the provider sends it back."""
        response = browser.get(url, allow_redirects=False)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    clients = [{**client, "redirect_uris": [CALLBACK]} for client in (OURS, OTHER)]
    users = [{"username": name, "password": PASSWORD} for name in PEOPLE]
    (folder / "setup.json").write_text(json.dumps({"users": users, "clients": clients}))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(folder)],
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        if not line.startswith("READY"):
            process.kill()
            pytest.fail(f"the provider did not start: {line}{process.stderr.read()}")
        yield Provider(url=f"http://127.0.0.1:{line.split()[1]}", folder=folder)
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def sso_on(settings, provider):
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = OURS["client_id"]
    settings.OIDC_CLIENT_SECRET = OURS["client_secret"]
    settings.OIDC_PROVIDER_NAME = "Example Corp"
    settings.OIDC_GROUPS_CLAIM = ""
    settings.OIDC_GROUP_MAP = {}
    settings.OIDC_TRUST_MFA = False
    return provider


def start(client, next_url="/alliances/") -> str:
    """Our 'Sign in with …': the provider's authorize URL it sends the browser to."""
    response = client.get(f"{reverse('sso_login')}?{urlencode({'next': next_url})}")
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, provider, username, **claims):
    """The whole code flow; returns our callback's response."""
    provider.claims(username, **claims)
    back = provider.authorize(provider.browser(username), start(client))
    assert back.startswith(CALLBACK)
    return client.get(back.removeprefix("http://testserver"))


def signed_in(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def token_for(provider, client_id, client_secret, *, username="ada", nonce="n-0123456789"):
    """An id token the provider issued to `client_id`, the test being that client."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "scope": "openid email",
        "state": "s-0123456789",
        "nonce": nonce,
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    browser = provider.browser(username)
    back = provider.authorize(browser, f"{provider.issuer}/authorize/?{urlencode(query)}")
    code = parse_qs(urlsplit(back).query)["code"][0]
    response = requests.post(
        f"{provider.issuer}/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        auth=(client_id, client_secret),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["id_token"]


# --- Off unless configured ------------------------------------------------------------


def test_without_an_issuer_nothing_changes(client, settings):
    settings.OIDC_ISSUER = ""
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()
    assert client.get(reverse("sso_login")).status_code == 404
    assert client.get(reverse("sso_callback")).status_code == 404


def test_the_login_page_offers_the_provider(client, sso_on):
    page = client.get(f"{reverse('login')}?next=/alliances/").content.decode()
    assert "Sign in with Example Corp" in page
    assert f"{reverse('sso_login')}?next=/alliances/" in page


# --- Discovery ------------------------------------------------------------------------


def test_discovery_finds_the_endpoints_once(sso_on):
    config = sso.discovery()
    assert config["issuer"] == sso_on.issuer
    assert config["authorization_endpoint"] == f"{sso_on.issuer}/authorize/"
    assert config["token_endpoint"] == f"{sso_on.issuer}/token/"
    assert sso.discovery() is config  # cached


def test_a_discovery_document_of_another_issuer_is_refused(client, sso_on, settings):
    # The same server under another name: its document names 127.0.0.1, not localhost.
    settings.OIDC_ISSUER = sso_on.issuer.replace("127.0.0.1", "localhost")
    with pytest.raises(sso.SSOError, match="not set up correctly"):
        sso.discovery()
    response = client.get(reverse("sso_login"))
    assert response.status_code == 400
    assert "not set up correctly" in response.content.decode()


def test_a_provider_out_of_reach_is_a_message_not_an_error(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9/nowhere"  # the discard port: nobody listens
    settings.OIDC_PROVIDER_NAME = "Example Corp"
    response = client.get(reverse("sso_login"))
    assert response.status_code == 400
    assert "Example Corp cannot be reached just now" in response.content.decode()


# --- The code flow --------------------------------------------------------------------


def test_the_authorize_request_carries_state_nonce_and_pkce(client, sso_on):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["client_id"] == [OURS["client_id"]]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0]
    assert query["nonce"][0]


def test_the_first_sign_in_creates_the_account_and_logs_in(client, sso_on):
    response = sign_in(
        client,
        sso_on,
        "ada",
        email="ada.lovelace@example.com",
        email_verified=True,
        given_name="Ada",
        family_name="Lovelace",
    )
    assert response.status_code == 302
    assert response["Location"] == "/alliances/"
    ada = get_user_model().objects.get(email="ada.lovelace@example.com")
    assert (ada.username, ada.first_name, ada.last_name) == ("ada.lovelace", "Ada", "Lovelace")
    assert not ada.has_usable_password()
    assert signed_in(client)
    assert SingleSignOnIdentity.objects.get(user=ada).issuer == sso_on.issuer


def test_the_next_sign_in_finds_the_account_by_subject_even_with_a_new_address(client, sso_on):
    sign_in(client, sso_on, "ada", email="ada@example.com", email_verified=True)
    client.logout()
    UserFactory(username="ada-namesake", email="ada@example.org")  # not hers
    sign_in(client, sso_on, "ada", email="ada@example.org", email_verified=False)
    assert client.get(reverse("dashboard")).context["user"].email == "ada@example.com"
    assert get_user_model().objects.filter(email__iexact="ada@example.com").count() == 1


def test_a_taken_username_gets_a_number(client, sso_on):
    UserFactory(username="grace", email="someone.else@example.com")
    sign_in(client, sso_on, "grace", email="grace@example.com", email_verified=True)
    assert get_user_model().objects.get(email="grace@example.com").username == "grace-2"


def test_an_existing_user_is_linked_by_a_verified_address(client, sso_on):
    linus = UserFactory(username="linus.t", email="Linus@Example.com", groups=[MANAGERS_GROUP])
    response = sign_in(client, sso_on, "linus", email="linus@example.com", email_verified=True)
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == linus
    assert SingleSignOnIdentity.objects.filter(user=linus).count() == 1


def test_an_unverified_address_of_an_existing_account_is_refused(client, sso_on):
    linus = UserFactory(username="linus.t", email="linus@example.com")
    response = sign_in(client, sso_on, "linus", email="linus@example.com", email_verified=False)
    assert response.status_code == 400
    page = response.content.decode()
    assert "has not verified that address, so it was not linked" in page
    assert "linus@example.com" in page
    assert not signed_in(client)
    assert not SingleSignOnIdentity.objects.filter(user=linus).exists()


def test_an_address_already_linked_to_another_subject_is_refused(client, sso_on):
    sign_in(client, sso_on, "ada", email="shared@example.com", email_verified=True)
    client.logout()
    response = sign_in(client, sso_on, "mallory", email="shared@example.com", email_verified=True)
    assert response.status_code == 400
    assert "already linked to another person" in response.content.decode()
    assert not signed_in(client)


def test_the_groups_claim_sets_the_mapped_role_groups_at_each_sign_in(client, sso_on, settings):
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = {"idp-alliance-managers": "managers", "idp-execs": "executives"}
    ken = UserFactory(username="ken", email="ken@example.com", groups=[EXECUTIVES_GROUP, "Team"])
    sign_in(
        client,
        sso_on,
        "ken",
        email="ken@example.com",
        email_verified=True,
        groups=["idp-alliance-managers", "idp-unmapped"],
    )
    assert set(ken.groups.values_list("name", flat=True)) == {MANAGERS_GROUP, "Team"}
    client.logout()
    sign_in(client, sso_on, "ken", email="ken@example.com", email_verified=True, groups="idp-execs")
    assert set(ken.groups.values_list("name", flat=True)) == {EXECUTIVES_GROUP, "Team"}
    client.logout()
    sign_in(client, sso_on, "ken", email="ken@example.com", email_verified=True)
    assert set(ken.groups.values_list("name", flat=True)) == {"Team"}


def test_without_a_groups_claim_setting_groups_are_left_alone(client, sso_on):
    ken = UserFactory(username="ken", email="ken@example.com", groups=[EXECUTIVES_GROUP])
    sign_in(client, sso_on, "ken", email="ken@example.com", email_verified=True, groups=[])
    assert list(ken.groups.values_list("name", flat=True)) == [EXECUTIVES_GROUP]


# --- Errors on the way: the log-in page with the reason, a 400 ------------------------


def test_the_providers_error_is_shown(client, sso_on):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    query = urlencode({"error": "access_denied", "state": state})
    response = client.get(f"{reverse('sso_callback')}?{query}")
    assert response.status_code == 400
    assert "Example Corp did not sign you in (access_denied)" in response.content.decode()


def test_an_unknown_state_is_refused(client, sso_on):
    start(client)
    response = client.get(f"{reverse('sso_callback')}?code=abc&state=forged")
    assert response.status_code == 400
    assert "not started in this browser" in response.content.decode()
    assert client.get(f"{reverse('sso_callback')}?code=abc").status_code == 400


def test_a_callback_replayed_is_refused(client, sso_on):
    sso_on.claims("ada", email="ada@example.com", email_verified=True)
    back = sso_on.authorize(sso_on.browser("ada"), start(client))
    path = back.removeprefix("http://testserver")
    assert client.get(path).status_code == 302
    client.logout()
    start(client)  # a sign-in of its own in this browser: the old state is still unknown
    assert client.get(path).status_code == 400
    assert not signed_in(client)


def test_a_code_issued_to_another_client_is_refused(client, sso_on):
    """Our state, but a code the provider gave to another application."""
    sso_on.claims("ada", email="ada@example.com", email_verified=True)
    ours = parse_qs(urlsplit(start(client)).query)
    theirs = {**ours, "client_id": [OTHER["client_id"]]}
    url = f"{sso_on.issuer}/authorize/?{urlencode(theirs, doseq=True)}"
    back = sso_on.authorize(sso_on.browser("ada"), url)
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "Example Corp refused to complete the sign-in" in response.content.decode()
    assert not signed_in(client)


# --- The id token's checks ------------------------------------------------------------


def test_a_real_token_passes(sso_on):
    sso_on.claims("ada", email="ada@example.com", email_verified=True)
    token = token_for(sso_on, **OURS, nonce="nonce-of-this-sign-in")
    claims = sso.validate_id_token(token, nonce="nonce-of-this-sign-in")
    assert (claims["iss"], claims["aud"], claims["email"]) == (
        sso_on.issuer,
        OURS["client_id"],
        "ada@example.com",
    )


def _flip(part: str) -> str:
    """`part` (base64url) with one bit of its first byte changed."""
    raw = bytearray(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    raw[0] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_a_tampered_token_is_refused(sso_on):
    sso_on.claims("ada", email="ada@example.com", email_verified=True)
    token = token_for(sso_on, **OURS, nonce="nonce-1")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged_payload = (
        base64.urlsafe_b64encode(json.dumps({**claims, "email": "boss@example.com"}).encode())
        .rstrip(b"=")
        .decode()
    )
    for forged in (
        f"{header}.{payload}.{_flip(signature)}",
        f"{header}.{forged_payload}.{signature}",
        f"{header}.{payload}.",
        "not-a-token",
    ):
        with pytest.raises(sso.SSOError, match="could not be verified"):
            sso.validate_id_token(forged, nonce="nonce-1")


def test_a_token_with_another_nonce_is_refused(sso_on):
    sso_on.claims("ada", email="ada@example.com", email_verified=True)
    token = token_for(sso_on, **OURS, nonce="nonce-1")
    with pytest.raises(sso.SSOError, match="not the one started in this browser"):
        sso.validate_id_token(token, nonce="nonce-2")


def test_a_token_for_another_audience_is_refused(sso_on):
    sso_on.claims("ada", email="ada@example.com", email_verified=True)
    token = token_for(sso_on, **OTHER, nonce="nonce-1")
    with pytest.raises(sso.SSOError, match="meant for another application"):
        sso.validate_id_token(token, nonce="nonce-1")


# --- Passwords off, and the second factor ---------------------------------------------


def test_with_password_login_off_only_a_superuser_logs_in_by_password(client, settings):
    settings.PASSWORD_LOGIN = False
    manager = UserFactory(username="mgr", groups=[MANAGERS_GROUP])
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    page = client.get(reverse("login")).content.decode()
    assert "for administrators only" in page
    refused = client.post(reverse("login"), {"username": manager.username, "password": PASSWORD})
    assert refused.status_code == 200
    assert "Log-in with a password is for administrators only" in refused.content.decode()
    wrong = client.post(reverse("login"), {"username": root.username, "password": "wrong-1"})
    assert "Log-in with a password is for administrators only" in wrong.content.decode()
    assert not signed_in(client)
    accepted = client.post(reverse("login"), {"username": "root", "password": "pw-for-tests-1"})
    assert accepted.status_code == 302


def test_with_password_login_off_the_admin_refuses_a_staff_password(client, settings):
    settings.PASSWORD_LOGIN = False
    UserFactory(username="beatriz", is_staff=True, groups=[BANK_ADMINS_GROUP])
    response = client.post(
        reverse("admin:login"), {"username": "beatriz", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 200
    assert "for administrators only" in response.content.decode()


def test_with_password_login_on_a_manager_logs_in_by_password(client, settings):
    settings.PASSWORD_LOGIN = True
    UserFactory(username="mgr", groups=[MANAGERS_GROUP])
    response = client.post(reverse("login"), {"username": "mgr", "password": "pw-for-tests-1"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("trust", "amr", "passes"),
    [(False, ["pwd", "mfa"], False), (True, ["pwd"], False), (True, ["pwd", "mfa"], True)],
)
def test_a_superuser_by_sso_still_meets_our_second_step(
    client, sso_on, settings, trust, amr, passes
):
    settings.OIDC_TRUST_MFA = trust
    UserFactory(username="root", email="root@example.com", is_superuser=True, is_staff=True)
    response = sign_in(
        client, sso_on, "root", email="root@example.com", email_verified=True, amr=amr
    )
    assert response.status_code == 302
    dashboard = client.get(reverse("dashboard"))
    if passes:
        assert dashboard.status_code == 200
    else:
        assert dashboard.status_code == 302
        assert dashboard["Location"].startswith(reverse("accounts:setup"))


def test_a_bank_admin_by_sso_with_an_authenticator_enters_its_code(client, sso_on, settings):
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = {"idp-bank-admins": "bank_admins"}
    beatriz = UserFactory(username="beatriz", email="ken@example.com", is_staff=True)
    TOTPDevice.objects.create(user=beatriz, name="app", confirmed=True)
    sign_in(
        client,
        sso_on,
        "ken",
        email="ken@example.com",
        email_verified=True,
        groups=["idp-bank-admins"],
    )
    assert beatriz.groups.filter(name=BANK_ADMINS_GROUP).exists()
    dashboard = client.get(reverse("dashboard"))
    assert dashboard["Location"].startswith(reverse("accounts:verify"))
    # A provider's second factor, not trusted here, is not ours either.
    assert client.get(reverse("accounts:verify")).status_code == 200


def test_the_provider_requires_pkce(sso_on):
    """The provider under test refuses a code exchanged without its verifier: the flows
    above that succeed sent theirs."""
    query = {
        "response_type": "code",
        "client_id": OURS["client_id"],
        "redirect_uri": CALLBACK,
        "scope": "openid",
        "state": "s-0123456789",
    }
    browser = sso_on.browser("ada")
    back = sso_on.authorize(browser, f"{sso_on.issuer}/authorize/?{urlencode(query)}")
    assert parse_qs(urlsplit(back).query)["error"] == ["invalid_request"]
