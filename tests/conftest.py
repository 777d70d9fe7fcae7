import io
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from tests.factories import AllianceFactory, KPIFactory, MembershipFactory, UserFactory

ROLES = ["anonymous", "outsider", "viewer", "executive", "contributor", "manager", "superuser"]


# One queue per test session, so no other run's messages reach this run's workers.
# Set before any worker starts: Celery caches its queues on first use.
TEST_QUEUE = f"tests-{uuid.uuid4().hex[:12]}"


def pytest_configure(config):
    from config.celery import app

    app.conf.task_default_queue = TEST_QUEUE
    # Strong password hashing costs ~0.3 s a user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes private files (PDF briefs) to its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "config.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for a module's tests (seeding costs about 12 s): each test
    runs in its own savepoint inside this fixture's transaction, so it sees the demo as
    seeded whatever the tests before it changed, and the module leaves nothing behind.
    Yields the file storage that holds the demo's brief, for tests that read it."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from config.celery import app

    storage = {
        "BACKEND": "config.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": tmp_path_factory.mktemp("demo-private")},
    }
    with django_db_blocker.unblock(), transaction.atomic():
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
                call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())
        finally:
            app.conf.task_always_eager = eager
        yield storage
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_link_throttle():
    """The partner-link throttle counts failures in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request leaves its language active in the test's thread (a server sets it per
    request): without this, a test after a German page would read German."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tasks run eagerly unless the test is about the worker (marked `worker`): a test
    that only enqueues must not leave messages on the shared broker."""
    from config.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """`client.force_login` skips the log-in steps, the two-factor code included: a user
    who must have (or has) an authenticator gets one and a session that entered its code.
    The two-factor tests (tests/test_two_factor.py) log in through the real pages."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.policy import confirmed_device, two_factor_state

    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend="accounts.backends.ModelBackend"):
        force_login(self, user, backend)
        state = two_factor_state(user)
        if state.has_device or state.required:
            device = confirmed_device(user) or TOTPDevice.objects.create(
                user=user, name="Test authenticator", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@dataclass
class Team:
    """One alliance and a user for every relation to it."""

    alliance: object
    users: dict

    def member(self, role):
        return self.alliance.memberships.get(role=role)


def make_team(*, confidential: bool, prefix: str) -> Team:
    alliance = AllianceFactory(is_confidential=confidential)
    users = {
        "outsider": UserFactory(username=f"{prefix}-outsider", groups=[MANAGERS_GROUP]),
        "superuser": UserFactory(username=f"{prefix}-root", is_superuser=True, is_staff=True),
    }
    for role in Membership.Role.values:
        groups = [MANAGERS_GROUP] if role == Membership.Role.MANAGER else []
        users[role] = UserFactory(username=f"{prefix}-{role}", groups=groups)
        MembershipFactory(alliance=alliance, user=users[role], role=role)
    KPIFactory(alliance=alliance)
    return Team(alliance=alliance, users=users)


@pytest.fixture
def open_team(db):
    return make_team(confidential=False, prefix="open")


@pytest.fixture
def confidential_team(db):
    return make_team(confidential=True, prefix="secret")


@pytest.fixture
def manager(open_team):
    return open_team.users["manager"]


@pytest.fixture
def published(db):
    """A published question bank version (tests/assessment_factories.py)."""
    from tests.assessment_factories import make_version

    return make_version()


@pytest.fixture
def bank_admin(db):
    from alliances.access import BANK_ADMINS_GROUP

    return UserFactory(username="beatriz", is_staff=True, groups=[BANK_ADMINS_GROUP])
