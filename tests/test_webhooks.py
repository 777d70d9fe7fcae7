"""Signed webhooks (issue 28): a superuser registers an endpoint; the events other rooms
publish reach it signed per Standard Webhooks, checked by a real HTTP receiver on
loopback with the endpoint's secret; a failing receiver is retried with backoff and a
silent one times out, on a real Celery worker; a confidential alliance reaches only an
endpoint that lists it; private addresses are refused; only superusers see the pages."""

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from standardwebhooks import Webhook, WebhookVerificationError

from kit import events
from tests.test_worker import broker, queue  # noqa: F401 (fixtures)
from webhooks import services, signing
from webhooks.addresses import UnsafeURL, check_url, is_public
from webhooks.models import Delivery, Endpoint

Status = Delivery.Status
HANG = "hang"  # the receiver reads the request and never answers


# ---------------------------------------------------------------- a real receiver


class Receiver(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that answers each POST with the next of `answers`
    (the last one repeats) and keeps what it received whose signature it verified with
    `secret` (a bad or missing signature gets a 401 and is kept aside)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.answers: list = [200]
        self.secret = ""
        self.verified: list[dict] = []
        self.refused: list[str] = []
        self.requests = 0
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks"


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers["content-length"]))
        server.requests += 1
        answer = server.answers[min(server.requests, len(server.answers)) - 1]
        if answer == HANG:
            server.release.wait(30)
            return
        try:
            payload = Webhook(server.secret).verify(body, dict(self.headers))
        except WebhookVerificationError as exc:
            server.refused.append(str(exc))
            answer = 401
        else:
            if answer == 200:
                server.verified.append({"headers": dict(self.headers), "payload": payload})
        self.send_response(answer)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_webhooks(settings):
    """Loopback allowed (the receiver is on it), short backoff and timeout."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0.2
    settings.WEBHOOK_TIMEOUT = 1
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    return settings


def make_endpoint(url, superuser, *, events_=(events.DECISION_CHANGED,), alliances=()):
    scope = Endpoint.Scope.LISTED if alliances else Endpoint.Scope.ALL
    endpoint = Endpoint(url=url, events=list(events_), scope=scope)
    return services.endpoint_save(endpoint=endpoint, alliances=alliances, by=superuser)


def wait_until(check, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


def settled(delivery: Delivery) -> bool:
    delivery.refresh_from_db()
    return delivery.status != Status.PENDING


# ---------------------------------------------------------------- signing


def test_the_signature_matches_the_standard_webhooks_test_vector():
    """The scheme's published example (standard-webhooks' own test suite)."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    headers = signing.signed_headers(
        secret=secret,
        message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        body=b'{"test": 2432232314}',
        at=datetime.fromtimestamp(1614265330, tz=UTC),
    )
    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


def test_the_signature_is_hmac_sha256_over_id_timestamp_and_body():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    assert len(key) == 32
    at = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    headers = signing.signed_headers(secret=secret, message_id="msg_1", body=b"{}", at=at)
    to_sign = f"msg_1.{int(at.timestamp())}.{{}}".encode()
    expected = base64.b64encode(hmac.new(key, to_sign, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_loopback_private_and_link_local_addresses_are_refused(url):
    with pytest.raises(UnsafeURL):
        check_url(url)


def test_plain_http_is_refused_and_a_public_https_address_passes():
    with pytest.raises(UnsafeURL, match="not_https"):
        check_url("http://93.184.215.14/hook")
    assert check_url("https://93.184.215.14/hook") == ["93.184.215.14"]
    assert is_public("2606:4700::1111")
    assert not is_public("fd00::1")


# ---------------------------------------------------------------- pages


@pytest.fixture
def superuser(open_team):
    return open_team.users["superuser"]


def form_data(url, **more):
    return {"url": url, "events": [events.DECISION_CHANGED], "scope": "all", **more}


@pytest.mark.django_db
def test_a_loopback_or_private_url_is_refused_in_the_form(client, superuser):
    client.force_login(superuser)
    for url in ("https://127.0.0.1:8443/hook", "https://10.0.0.5/hook", "http://8.8.8.8/hook"):
        response = client.post(reverse("webhooks:create"), form_data(url))
        assert response.status_code == 200, url
        assert response.context["form"].errors["url"], url
    assert not Endpoint.objects.exists()


@pytest.mark.django_db
def test_the_form_says_why_a_private_address_is_refused(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("webhooks:create"), form_data("https://192.168.1.20/hook"))
    assert "leads to a private or local network (192.168.1.20)" in response.content.decode()
    response = client.post(reverse("webhooks:create"), form_data("http://8.8.8.8/hook"))
    assert "Webhooks go only to https:// addresses." in response.content.decode()


@pytest.mark.django_db
def test_a_superuser_registers_an_endpoint_and_sees_its_secret(client, superuser, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client.force_login(superuser)
    listing = client.get(reverse("webhooks:list"))
    assert "No webhook endpoint yet" in listing.content.decode()
    response = client.post(
        reverse("webhooks:create"),
        form_data("http://127.0.0.1:9/hook", description="CRM sync"),
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response.url == endpoint.get_absolute_url()
    page = client.get(endpoint.get_absolute_url())
    assert endpoint.secret in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert endpoint.created_by == superuser
    assert endpoint.events == [events.DECISION_CHANGED]
    assert "CRM sync" in client.get(reverse("webhooks:list")).content.decode()


@pytest.mark.django_db
def test_an_endpoint_for_listed_alliances_needs_one(client, superuser, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client.force_login(superuser)
    response = client.post(
        reverse("webhooks:create"), form_data("http://127.0.0.1:9/hook", scope="listed")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["alliances"]
    assert not Endpoint.objects.exists()


@pytest.mark.django_db
def test_rotating_the_secret_asks_first_then_replaces_it(client, superuser, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = make_endpoint("http://127.0.0.1:9/hook", superuser)
    old = endpoint.secret
    client.force_login(superuser)
    url = reverse("webhooks:rotate", args=[endpoint.pk])
    assert "stops working at once" in client.get(url).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old
    assert client.post(url).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in client.get(endpoint.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_deleting_an_endpoint_asks_first_and_takes_its_log(client, superuser, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = make_endpoint("http://127.0.0.1:9/hook", superuser)
    Delivery.objects.create(endpoint=endpoint, event_type="brief.ready", webhook_id="m", payload={})
    client.force_login(superuser)
    url = reverse("webhooks:delete", args=[endpoint.pk])
    assert client.get(url).status_code == 200
    assert Endpoint.objects.exists()
    assert client.post(url).url == reverse("webhooks:list")
    assert not Endpoint.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "contributor", "manager", "executive", "outsider"])
def test_only_superusers_open_the_webhook_pages(client, open_team, role, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = make_endpoint("http://127.0.0.1:9/hook", open_team.users["superuser"])
    delivery = Delivery.objects.create(
        endpoint=endpoint, event_type="brief.ready", webhook_id="m", payload={}
    )
    client.force_login(open_team.users[role])
    pk = [endpoint.pk]
    for url in (
        reverse("webhooks:list"),
        reverse("webhooks:create"),
        reverse("webhooks:detail", args=pk),
        reverse("webhooks:edit", args=pk),
        reverse("webhooks:rotate", args=pk),
        reverse("webhooks:delete", args=pk),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert endpoint.secret not in response.content.decode()
    assert client.post(reverse("webhooks:delete", args=pk)).status_code == 403
    assert client.post(reverse("webhooks:replay", args=[delivery.pk])).status_code == 403
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()
    assert Delivery.objects.count() == 1
    assert "Webhooks" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_the_services_refuse_anyone_but_a_superuser(open_team, settings):
    from django.core.exceptions import PermissionDenied

    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with pytest.raises(PermissionDenied):
        make_endpoint("http://127.0.0.1:9/hook", open_team.users["manager"])


# ---------------------------------------------------------------- who hears what


@pytest.mark.django_db
def test_a_confidential_alliance_is_sent_only_to_endpoints_that_list_it(
    open_team, confidential_team, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    superuser = open_team.users["superuser"]
    everyone = make_endpoint("http://127.0.0.1:9/all", superuser)
    listing = make_endpoint(
        "http://127.0.0.1:9/listed", superuser, alliances=[confidential_team.alliance]
    )
    other_event = make_endpoint(
        "http://127.0.0.1:9/briefs", superuser, events_=[events.BRIEF_READY]
    )
    with django_capture_on_commit_callbacks() as published:
        events.publish(
            events.DECISION_CHANGED, alliance_id=confidential_team.alliance.pk, verdict="GO"
        )
        events.publish(events.DECISION_CHANGED, alliance_id=open_team.alliance.pk, verdict="GO")
    with django_capture_on_commit_callbacks():  # made, not sent: the receiver is not there
        for callback in published:
            callback()
    sent = {(d.endpoint_id, d.payload["data"]["alliance_id"]) for d in Delivery.objects.all()}
    assert sent == {
        (everyone.pk, open_team.alliance.pk),
        (listing.pk, confidential_team.alliance.pk),
    }
    assert not other_event.deliveries.exists()


@pytest.mark.django_db
def test_an_inactive_endpoint_hears_nothing(
    open_team, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = make_endpoint("http://127.0.0.1:9/hook", open_team.users["superuser"])
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(events.DECISION_CHANGED, alliance_id=open_team.alliance.pk, verdict="GO")
    assert not Delivery.objects.exists()


# ---------------------------------------------------------------- delivery, in process


@pytest.mark.django_db
def test_a_sign_off_reaches_the_receiver_signed_with_ids_and_codes_only(
    receiver, fast_webhooks, open_team, django_capture_on_commit_callbacks
):
    """The sign-off's event point, delivered in process (no broker): the receiver checks
    the signature; the payload holds ids and codes, never the executive's comment."""
    from signoffs import services as signoff_services
    from tests.test_signoff import ask, signoff_of

    team = open_team
    ask(team)
    endpoint = make_endpoint(
        receiver.url,
        team.users["superuser"],
        events_=[events.SIGNOFF_GIVEN, events.SIGNOFF_REFUSED],
    )
    receiver.secret = endpoint.secret
    with django_capture_on_commit_callbacks(execute=True):
        signoff_services.signoff_answer(
            signoff=signoff_of(team),
            answer="refused",
            comment="Confidential: the board will not fund it",
            by=team.users["executive"],
        )
    assert receiver.refused == []
    [received] = receiver.verified
    payload = received["payload"]
    assert payload["type"] == events.SIGNOFF_REFUSED
    assert payload["data"]["alliance_id"] == team.alliance.pk
    assert payload["data"]["answer"] == "refused"
    assert "board" not in json.dumps(payload)
    delivery = endpoint.deliveries.get()
    assert received["headers"]["webhook-id"] == delivery.webhook_id
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Status.SUCCEEDED,
        1,
        200,
    )


@pytest.mark.django_db
def test_replay_sends_the_same_message_again(
    client, receiver, fast_webhooks, open_team, django_capture_on_commit_callbacks
):
    superuser = open_team.users["superuser"]
    endpoint = make_endpoint(receiver.url, superuser)
    receiver.secret = endpoint.secret
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(events.DECISION_CHANGED, alliance_id=open_team.alliance.pk, verdict="GO")
    first = endpoint.deliveries.get()
    assert first.status == Status.SUCCEEDED
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:replay", args=[first.pk]))
    assert response.url == endpoint.get_absolute_url()
    assert len(receiver.verified) == 2
    again = endpoint.deliveries.exclude(pk=first.pk).get()
    assert again.status == Status.SUCCEEDED
    assert again.webhook_id == first.webhook_id
    ids = [r["headers"]["webhook-id"] for r in receiver.verified]
    assert ids == [first.webhook_id, first.webhook_id]
    assert receiver.verified[0]["payload"] == receiver.verified[1]["payload"]
    log = client.get(endpoint.get_absolute_url()).content.decode()
    assert log.count("Send again") == 2


@pytest.mark.django_db
def test_an_address_that_moved_to_a_private_network_is_refused_at_delivery(
    receiver, fast_webhooks, open_team, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.url, open_team.users["superuser"])
    fast_webhooks.WEBHOOKS_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(events.DECISION_CHANGED, alliance_id=open_team.alliance.pk, verdict="GO")
    delivery = endpoint.deliveries.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert "Address refused" in delivery.last_error
    assert receiver.requests == 0


# ---------------------------------------------------------------- on a real worker


@pytest.fixture
def worker_queue(queue):  # noqa: F811
    """A real Celery worker in a thread, over the broker (tests/test_worker.py)."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_decision_change_reaches_the_receiver_signed_and_verifiable(
    receiver,
    fast_webhooks,
    worker_queue,
    open_team,
):
    """The decision's own event point: assessments submitted move the verdict, the
    worker POSTs it, the receiver verifies the signature with the endpoint's secret."""
    from decisions.models import DecisionRecord
    from tests.test_briefs import make_assessed

    endpoint = make_endpoint(receiver.url, open_team.users["superuser"])
    receiver.secret = endpoint.secret
    make_assessed(open_team)
    verdict = DecisionRecord.objects.get(alliance=open_team.alliance).verdict
    wait_until(lambda: receiver.verified, "the receiver got a verified webhook")
    wait_until(lambda: all(settled(d) for d in endpoint.deliveries.all()), "all delivered")
    assert receiver.refused == []
    last = receiver.verified[-1]
    assert last["payload"]["type"] == events.DECISION_CHANGED
    assert last["payload"]["data"]["alliance_id"] == open_team.alliance.pk
    assert last["payload"]["data"]["verdict"] == verdict
    assert "previous_verdict" in last["payload"]["data"]
    assert int(last["headers"]["webhook-timestamp"]) == pytest.approx(time.time(), abs=60)
    assert set(endpoint.deliveries.values_list("status", flat=True)) == {Status.SUCCEEDED}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_receiver_failing_twice_gets_the_webhook_on_the_third_attempt(
    receiver,
    fast_webhooks,
    worker_queue,
    open_team,
):
    receiver.answers = [500, 500, 200]
    endpoint = make_endpoint(receiver.url, open_team.users["superuser"])
    receiver.secret = endpoint.secret
    events.publish(events.DECISION_CHANGED, alliance_id=open_team.alliance.pk, verdict="GO")
    delivery = endpoint.deliveries.get()
    wait_until(lambda: settled(delivery), "delivered after retries")
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Status.SUCCEEDED,
        3,
        200,
    )
    assert receiver.requests == 3
    assert len(receiver.verified) == 1
    assert receiver.verified[0]["headers"]["webhook-id"] == delivery.webhook_id


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_receiver_that_never_answers_times_out_and_the_delivery_fails(
    receiver,
    fast_webhooks,
    worker_queue,
    open_team,
):
    fast_webhooks.WEBHOOK_TIMEOUT = 0.5
    fast_webhooks.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [HANG]
    endpoint = make_endpoint(receiver.url, open_team.users["superuser"])
    receiver.secret = endpoint.secret
    events.publish(events.DECISION_CHANGED, alliance_id=open_team.alliance.pk, verdict="GO")
    delivery = endpoint.deliveries.get()
    wait_until(lambda: settled(delivery), "given up after the last attempt")
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 3)
    assert delivery.last_error == "No answer within 0.5 s"
    assert delivery.response_code is None
    assert receiver.requests == 3
    assert receiver.verified == []
