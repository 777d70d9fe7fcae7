"""`make load`: 50 locust users against gunicorn + PostgreSQL for 60 s, headless (after a
ramp of one new user a second).

Sets itself up and cleans up after itself: a throw-away PostgreSQL database (the one
DATABASE_URL names, else postgres://postgres@127.0.0.1:5432/alliance_load; dropped and
created again, dropped at the end), migrate, seed_demo, collectstatic into a temporary
directory, a Celery worker for the briefs when CELERY_BROKER_URL names a broker,
gunicorn on a free loopback port with production settings (DEBUG off; plain http, so no
SSL redirect and no Secure-only cookies), then locust (bench/locustfile.py) and a table
of p50 / p95 per page with the error count. CACHE_URL, when set, passes on to gunicorn:
the workers then share one cache (and read sessions from it) as in production.
Loopback traffic only.

Latency depends on the machine as much as on the code; the last line says what the
code costs wherever it runs: the CPU time that gunicorn, the PostgreSQL server (when on
this machine) and the Celery worker spent per request during the run.

Not a benchmark of `make bench` (its name has no bench_ prefix) and not a test.
"""

import csv
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/alliance_load"
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
# Users arrive at one a second: a team of 50 logging in within a minute, not a stampede.
# (Each log-in checks an Argon2id hash, about 25 ms of a core: accounts/hashers.py.)
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "1"))
# The ramp comes on top of the run: all USERS are active for the full SECONDS.
RAMP_SECONDS = math.ceil(USERS / SPAWN_RATE)
TARGET_P95_MS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(url: str, drop_only: bool = False) -> None:
    """Drop the database `url` names (it is throw-away) and, unless drop_only, create it."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing the database name {name!r}: letters, digits and _ only.")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def write_plan(path: str) -> None:
    """(Run in a child with Django set up.) What each demo user can do: JSON for locust."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from alliances.access import Action, can
    from alliances.models import Alliance
    from assessments.models import Assessment, Response
    from banks.sections import version_sections

    plan = {}
    for username in ("manager", "contributor", "executive"):
        user = get_user_model().objects.get(username=username)
        alliances = [a for a in Alliance.objects.order_by("pk") if can(user, Action.VIEW, a)]
        entry = {"password": f"{username}-demo", "alliances": [], "fills": [], "results": []}
        for alliance in alliances:
            entry["alliances"].append(reverse("alliances:detail", args=[alliance.slug]))
            if can(user, Action.PREPARE_BRIEF, alliance):
                entry.setdefault("briefs", []).append(
                    reverse("briefs:prepare", args=[alliance.slug])
                )
            for assessment in Assessment.objects.filter(
                alliance=alliance, status=Assessment.Status.SUBMITTED
            ):
                entry["results"].append(
                    reverse("assessments:results", args=[alliance.slug, assessment.pk])
                )
            if not can(user, Action.ANSWER, alliance):
                continue
            for response in Response.objects.filter(
                assessment__alliance=alliance, assessor=user, status=Response.Status.DRAFT
            ).select_related("assessment__version"):
                assessment = response.assessment
                if assessment.is_submitted:
                    continue
                sections = version_sections(assessment.version)
                if not sections:
                    continue
                args = [alliance.slug, assessment.pk, response.pk]
                answers = []
                for question in sections[0].questions:
                    if question.kind == "text":
                        continue
                    answers.append(
                        {
                            "url": reverse("assessments:answer", args=[*args, question.pk]),
                            "field": f"{question.form_prefix}-level",
                            "choices": [c.pk for c in question.choice_list],
                        }
                    )
                entry["fills"].append(
                    {"url": reverse("assessments:fill", args=args), "answers": answers}
                )
        entry.setdefault("briefs", [])
        plan[username] = entry
    Path(path).write_text(json.dumps(plan, indent=1))


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered.")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s.")


def print_table(stats_csv: Path) -> int:
    """p50 / p95 per page and the errors; returns the error count."""
    rows = list(csv.DictReader(stats_csv.open()))
    print(f"\n{'page':<34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    errors = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
        if row["Name"] == "Aggregated":
            print("-" * 66)
        else:
            errors += int(row["Failure Count"])
        print(
            f"{name:<34} {row['Request Count']:>8} {row['Failure Count']:>6}"
            f" {row['50%']:>7} {row['95%']:>7}"
        )
    over = [
        r["Name"]
        for r in rows
        if r["Name"] != "Aggregated" and r["95%"] != "N/A" and float(r["95%"]) >= TARGET_P95_MS
    ]
    print(
        f"\nerrors: {errors} (target 0); pages with p95 >= {TARGET_P95_MS} ms: "
        f"{', '.join(over) if over else 'none'}"
    )
    return errors


def tree_cpu_seconds(root: psutil.Process) -> float:
    """CPU time (user + system) of `root` and all its descendants, those that ended
    too (their time is added to their parent's when it reaps them)."""
    total = 0.0
    for process in (root, *root.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended meanwhile: its parent counts it now
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def postmaster() -> psutil.Process | None:
    """PostgreSQL's main process on this machine (none when the server is elsewhere)."""
    for process in psutil.process_iter(["name"]):
        try:
            if process.info["name"] == "postgres" and process.parent().name() != "postgres":
                return process
        except psutil.Error:
            continue
    return None


def print_cpu_per_request(spent: dict[str, float], stats_csv: Path) -> None:
    total = next(r for r in csv.DictReader(stats_csv.open()) if r["Name"] == "Aggregated")
    requests = int(total["Request Count"]) or 1
    parts = [f"{name} {seconds * 1000 / requests:.1f} ms" for name, seconds in spent.items()]
    print(f"CPU per request ({requests:,} requests): {', '.join(parts)}")


def main() -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make load needs PostgreSQL: set DATABASE_URL=postgres://…")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    work = Path(tempfile.mkdtemp(prefix="alliance-load-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # Plain http on loopback: a Secure-only cookie would never come back.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(work / "static"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        # With a broker (CELERY_BROKER_URL), briefs render in a Celery worker on a queue of
        # this run's own, as in production; without one, inside the request that asks.
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": f"alliance-load-{os.getpid()}",
        "PYTHONPATH": str(ROOT),
    }
    python = str(BIN / "python")
    manage = [python, str(ROOT / "manage.py")]
    print(f"Database {urlsplit(url).path.lstrip('/')}: new, migrate, seed_demo…", flush=True)
    recreate_database(url)
    gunicorn = worker = None
    try:
        quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
        subprocess.run([*manage, "migrate", "--no-input"], **quiet)
        subprocess.run([*manage, "seed_demo"], **quiet)
        subprocess.run([*manage, "collectstatic", "--no-input"], **quiet)
        plan = work / "plan.json"
        subprocess.run([python, __file__, "--plan", str(plan)], env=env, cwd=ROOT, check=True)
        if broker:
            print("Celery worker (1 process) for the briefs", flush=True)
            worker = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "1",
                 "--queues", env["CELERY_QUEUE"], "--loglevel", "WARNING"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=(work / "worker.log").open("w"),  # its console e-mails and warnings
            )  # fmt: skip
        host = f"http://127.0.0.1:{port}"
        print(f"gunicorn ({WORKERS} workers) on {host}", flush=True)
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--timeout", "60", "--log-level", "warning"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,  # the console e-mails of finished briefs
        )  # fmt: skip
        wait_until_up(f"{host}/healthz", gunicorn)
        # What the server spends during the run (PostgreSQL: the whole server, when here).
        roots = {"gunicorn": psutil.Process(gunicorn.pid), "PostgreSQL": postmaster()}
        if worker is not None:
            roots["Celery"] = psutil.Process(worker.pid)
        roots = {name: root for name, root in roots.items() if root is not None}
        before = {name: tree_cpu_seconds(root) for name, root in roots.items()}
        print(
            f"locust: {USERS} users ({SPAWN_RATE:g} new a second, {RAMP_SECONDS} s) then "
            f"{SECONDS} s with all of them…",
            flush=True,
        )
        log = work / "locust.log"
        command = [
            str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE),
            "--run-time", f"{RAMP_SECONDS + SECONDS}s",
            "--host", host, "--csv", str(work / "load"), "--only-summary",
            "--stop-timeout", "10", "--loglevel", "WARNING", "--exit-code-on-error", "0",
        ]  # fmt: skip
        with log.open("w") as output:
            locust = subprocess.run(
                command,
                env={**env, "LOAD_PLAN": str(plan)},
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        if locust.returncode or not (work / "load_stats.csv").exists():
            print(log.read_text())
            raise SystemExit(f"locust failed (exit {locust.returncode}).")
        spent = {name: tree_cpu_seconds(root) - before[name] for name, root in roots.items()}
        errors = print_table(work / "load_stats.csv")
        print_cpu_per_request(spent, work / "load_stats.csv")
        failures = work / "load_failures.csv"
        if errors and failures.exists():
            print("\nfailures:\n" + failures.read_text())
        return 1 if errors else 0
    finally:
        for process in (gunicorn, worker):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        recreate_database(url, drop_only=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--plan"]:
        write_plan(sys.argv[2])
    else:
        sys.exit(main())
