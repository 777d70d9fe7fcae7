"""What an operator relies on: production settings pass Django's deploy checks,
CI really runs on PostgreSQL, and docker-compose describes the four services."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3P!q9-this-is-a-long-random-production-secret-with-many-chars-42",
    "ALLOWED_HOSTS": "alliances.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://alliances.example.com",
    "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
    "BEHIND_TLS_PROXY": "true",
}


def run_python(*args, env):
    """Run Python in the project with `env` over the shell's environment, minus what
    the test session itself set."""
    test_only = {"SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION_ENV, *test_only}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args, env):
    return run_python("manage.py", *args, env=env)


def test_production_settings_pass_the_deploy_checks_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_the_web_app_refuses_to_start_and_deploy_checks_fail():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    web = run_python("-c", "import config.wsgi", env=env)
    assert web.returncode != 0
    assert "Set SECRET_KEY" in web.stderr
    assert run_manage("check", "--deploy", "--fail-level", "WARNING", env=env).returncode != 0


def test_migration_checks_need_no_secret():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if os.environ.get("CI") == "true":
        assert connection.vendor == "postgresql", "CI must not fall back to SQLite"
    elif os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_database_broker_object_store_web_worker_and_beat(compose):
    services = compose["services"]
    assert set(services) == {
        "db",
        "redis",
        "minio",
        "minio-init",
        "clamav",
        "web",
        "worker",
        "beat",
    }
    # The beat sends the daily jobs (reminders, digests) to the workers over the broker.
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["beat"]["environment"]["CELERY_BROKER_URL"].startswith("redis://redis")
    assert services["beat"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    web = " ".join(services["web"]["command"].split())
    for step in ("migrate", "collectstatic", "gunicorn config.wsgi"):
        assert step in web
    assert services["worker"]["command"][:3] == ["celery", "-A", "config"]
    assert "worker" in services["worker"]["command"]
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis")
        # One cache for every web process: throttles count across them.
        assert env["CACHE_URL"].startswith("redis://redis")
        # Briefs live in the MinIO bucket, created before web and worker start: no shared volume.
        assert env["AWS_STORAGE_BUCKET_NAME"] == "briefs"
        assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        # Evidence files are scanned by the clamav service before they are served.
        assert env["CLAMD_URL"] == "tcp://clamav:3310"
        assert env["AWS_ACCESS_KEY_ID"]
        assert env["AWS_SECRET_ACCESS_KEY"]
        assert depends["minio-init"]["condition"] == "service_completed_successfully"
        assert "volumes" not in services[name]
    assert services["minio"]["image"].startswith("minio/minio")
    assert "local/briefs" in " ".join(services["minio-init"]["command"])
    for name, service in services.items():
        if name != "minio-init":  # a one-shot job: it runs, creates the bucket and exits
            assert "healthcheck" in service


def test_dockerfile_has_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in dockerfile


# Vendored from compose-spec/compose-spec; where and which commit: compose-spec.json.source.
COMPOSE_SCHEMA = ROOT / "tests" / "data" / "compose-spec.json"


def compose_schema_errors(document):
    """Where `document` breaks the Compose Specification's JSON schema, one line each."""
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def test_docker_compose_file_is_valid_under_the_compose_specification_schema(compose):
    """No compose client needed: the file against the specification's own schema."""
    errors = compose_schema_errors(compose)
    assert not errors, "\n".join(errors)


def compose_client():
    """The compose client on this machine: the `docker compose` plugin, else the standalone
    `docker-compose` (Debian's v1, whose `config` needs no Docker daemon); None if neither."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_a_compose_client_accepts_the_file_with_its_config_command():
    """`docker compose config -q` (or `docker-compose config -q`): the file as a client reads
    it, interpolation included. CI installs a client (.ci/run); elsewhere it may be absent."""
    client = compose_client()
    if client is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must check docker-compose.yml with a compose client: none found")
        pytest.skip("no compose client here (`docker compose` or `docker-compose`)")
    result = subprocess.run(
        [*client, "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-config-check"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
