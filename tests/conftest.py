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
