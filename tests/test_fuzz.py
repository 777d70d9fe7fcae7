"""No request makes a 500: every URL, every role, hostile query strings and forms.

The fuzzer (tests/fuzz.py) sends a bounded number of requests here, on the database the
suite runs on; `test_the_fuzzer_passes_on_sqlite_too` runs it again on SQLite (what
`make run` uses) when the suite runs on PostgreSQL. `make fuzz` sends many more and
prints the requests per role and status code.
"""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings

from tests import fuzz

pytestmark = pytest.mark.django_db

# 800 on each database, 1,600 in all, keep CI (the whole suite) well under 15 minutes on
# this 2-core machine; `make fuzz` sends 10,000.
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "800"))


def test_every_url_pattern_resolves_with_real_ids(db):
    fuzz.seed()
    for target in fuzz.targets():
        assert target.kwargs, target.name


def test_no_request_makes_a_server_error_a_change_when_refused_or_a_silent_refusal():
    fuzzer = fuzz.Fuzzer(fuzz.seed())
    targets, ids = fuzz.targets(), fuzz.all_ids()
    started = time.monotonic()
    # Each refusal would log a warning (a 403 with its traceback): thousands of lines.
    logs = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [log.level for log in logs]
    for log in logs:
        log.setLevel(logging.CRITICAL)

    @settings(
        max_examples=REQUESTS,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(plan=fuzz.plans(targets, ids))
    def request_is_handled(plan):
        outcome = fuzzer.send(plan)
        assert outcome.status < 500, f"{plan}\n{outcome.error}"
        assert not outcome.changed, f"refused with {outcome.status}, yet rows changed: {plan}"
        assert outcome.readable, f"refused with {outcome.status} and no message: {plan}"

    try:
        request_is_handled()
    finally:
        for log, level in zip(logs, levels, strict=True):
            log.setLevel(level)
        took = time.monotonic() - started
        sent = sum(fuzzer.counts.values())
        print(f"\nfuzz on {connection.vendor}: {sent} requests in {took:.0f} s")
        print(fuzz.report(fuzzer.counts))


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
        timeout=600,
        check=False,
    )
    print(result.stdout[-3000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "fuzz on sqlite" in result.stdout
