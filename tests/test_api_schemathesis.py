"""Schemathesis against the running app (the WSGI application, on the seeded demo data):
every operation of the published OpenAPI schema, called with a manager's token (one that
may also post KPI actuals, so the write is exercised too), answers without a server error
and as the schema says (status, content type, headers, body)."""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from alliances.models import KPI
from api.models import ApiToken
from api.services import token_create
from config.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would
    close the test's transaction: Django's test client steps it aside the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("wsgi_keeps_the_test_connection")
def test_every_api_operation_answers_as_its_schema_says():
    call_command("seed_demo", "--quiet-logins")
    manager = get_user_model().objects.get(username="manager")
    made = token_create(by=manager, name="schemathesis", scope=ApiToken.Scope.KPI_WRITE)
    headers = {"Authorization": f"Token {made.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    # A list and a detail for seven kinds, the PDF, and a KPI's actuals (read and post).
    assert len(operations) == 17
    calls: dict[str, set[int]] = {}
    for operation in operations:
        answers_as_documented(operation, headers, calls)()
    # The lists answered with data, not only with refusals.
    lists = ("alliances", "assessments", "findings", "decisions", "sponsorships", "briefs", "kpis")
    for name in lists:
        assert 200 in calls[f"GET /api/v1/{name}/"], calls
    # And an actual is recorded on a KPI the manager runs, answered as documented (the
    # generated ids rarely name one: ids are not reset between tests on PostgreSQL).
    post = next(o for o in operations if o.label == "POST /api/v1/kpis/{id}/actuals/")
    kpi = KPI.objects.filter(
        alliance__memberships__user=manager, alliance__memberships__role="manager"
    ).first()
    case = post.Case(
        path_parameters={"id": kpi.pk},
        body={"value": "12.5", "date": "2026-11-30", "source": "schemathesis"},
        media_type="application/json",
    )
    response = case.call(headers=headers)
    assert response.status_code == 201, response.text
    case.validate_response(response, checks=CHECKS, headers=headers)


def answers_as_documented(operation, headers, calls):
    """A hypothesis test of one operation: generated calls, each response checked."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers=headers)
        calls.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return run
