"""No request makes a 500: every URL × every role, then hostile requests drawn at random.

The fuzzer (tests/fuzz.py) first walks every URL pattern for every role, superuser and
our own admin views included, with real ids: one GET each and, where the pattern takes
one, one POST with a hostile value. Then it draws requests at random, Django's stock admin
pages of our models among them, from a seed printed with the results so a failure can be
replayed (`FUZZ_SEED=… make fuzz`). It prints one coverage line and fails when any count
is short. `test_the_fuzzer_passes_on_sqlite_too` runs it again on SQLite (what `make run`
uses) when the suite runs on PostgreSQL; `make fuzz` draws many more requests.
"""

import contextlib
import logging
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, seed, settings

from tests import fuzz

pytestmark = pytest.mark.django_db

# The random requests on top of the walk (about 1,600 requests), on each database: 400
# keep CI (the whole suite) well under its limit on this 2-core machine; `make fuzz`
# draws 10,000.
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "400"))
SEED = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(2**32))


@pytest.fixture(autouse=True)
def _single_sign_on_unreachable(settings):
    """Single sign-on switched on with an identity provider nobody answers (a closed local
    port): its pages do their work, refusing with the reason, instead of not existing."""
    settings.OIDC_ISSUER = "http://127.0.0.1:9/fuzz-issuer"
    settings.OIDC_CLIENT_ID = settings.OIDC_CLIENT_SECRET = "fuzz"
    settings.OIDC_TIMEOUT = 1


@contextlib.contextmanager
def refusals_not_logged():
    """Each refusal would log a warning (a 403 with its traceback): thousands of lines."""
    logs = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [log.level for log in logs]
    for log in logs:
        log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for log, level in zip(logs, levels, strict=True):
            log.setLevel(level)


def test_no_request_makes_a_server_error_a_change_when_refused_or_a_silent_refusal():
    fuzzer = fuzz.Fuzzer(fuzz.seed())
    targets = fuzz.targets()
    started = time.monotonic()
    walked, failures = 0, []
    try:
        with refusals_not_logged():
            # The walk's POSTs delete objects: undone before the random part draws.
            with transaction.atomic():
                for plan in fuzz.walk(targets):
                    walked += 1
                    problem = fuzz.failure(plan, fuzzer.send(plan))
                    if problem:
                        failures.append(problem)
                transaction.set_rollback(True)
            assert not failures, f"{len(failures)} walked requests failed:\n" + "\n".join(failures)
            never_found = sorted({t.name for t in targets if t.walked} - fuzzer.found)
            assert not never_found, (
                "answered 404 to every role, so the fuzzer never reached their work: "
                f"give them real ids in tests/fuzz.py PROVIDERS: {never_found}"
            )
            ids = fuzz.all_ids()

            @seed(SEED)
            @settings(
                max_examples=REQUESTS,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(plan=fuzz.plans(targets, ids))
            def request_is_handled(plan):
                problem = fuzz.failure(plan, fuzzer.send(plan))
                assert problem is None, problem

            request_is_handled()
    finally:
        took = time.monotonic() - started
        sent = sum(fuzzer.counts.values())
        print(f"\nfuzz on {connection.vendor}: {sent} requests in {took:.0f} s")
        print(fuzz.report(fuzzer.counts))
        print(
            f"walk: {walked} requests; random part: {REQUESTS} drawn with seed {SEED} "
            f"(replay: FUZZ_SEED={SEED} make fuzz FUZZ_REQUESTS={REQUESTS})"
        )
        result = fuzz.coverage(fuzzer, targets)
        print(result)
    assert result.full, f"{result}; not sent: {result.missing}"


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the suite already runs the fuzzer on SQLite"
)
def test_the_fuzzer_passes_on_sqlite_too():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.pop("CI", None)  # CI=true insists on PostgreSQL; this run is on SQLite on purpose.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:xdist",
            f"{Path(__file__).name}::"
            "test_no_request_makes_a_server_error_a_change_when_refused_or_a_silent_refusal",
        ],
        cwd=Path(__file__).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    print(result.stdout[-3000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "fuzz on sqlite" in result.stdout
    assert "coverage:" in result.stdout
