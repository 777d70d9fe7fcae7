"""On SQLite (what `make run` uses) concurrent answer saves all land: WAL, IMMEDIATE
transactions and a busy timeout (config/settings.py), instead of "database is locked".

The suite's SQLite database lives in memory, so this runs in a fresh process on a
database file, as `make run` does."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import threading
    from io import StringIO

    import django
    django.setup()
    from django.conf import settings
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from alliances.models import Alliance
    from assessments import services
    from assessments.models import Answer
    from banks.models import BankVersion, Question

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert connection.cursor().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    User = get_user_model()
    manager = User.objects.get(username="manager")
    contributor = User.objects.get(username="contributor")
    alliance = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    version = BankVersion.objects.filter(status="published").order_by("pk").first()
    assessment = services.assessment_start(
        alliance=alliance, version=version, title="Concurrent", by=manager,
        assessors=[manager, contributor],
    )
    responses = {r.assessor_id: r for r in assessment.responses.all()}
    questions = list(
        Question.objects.filter(dimension__version=version, kind="scale")
        .prefetch_related("choices")
    )
    THREADS = 8
    barrier = threading.Barrier(THREADS)
    results, expected = [], {}

    def save(index):
        try:
            save_answers(index)
        except Exception as exc:
            results.append(repr(exc))
        finally:
            close_old_connections()

    def save_answers(index):
        user = (manager, contributor)[index % 2]
        response = responses[user.pk]
        client = Client()
        client.force_login(user)
        mine = questions[index // 2 :: THREADS // 2]
        barrier.wait()
        for question in mine:
            choice = list(question.choices.all())[index % 3]
            url = reverse(
                "assessments:answer", args=[alliance.slug, assessment.pk, response.pk, question.pk]
            )
            reply = client.post(url, {f"q{question.pk}-level": choice.pk, "d": "1"})
            ok = reply.status_code == 200
            results.append(200 if ok else f"{reply.status_code} {reply.content[-300:]}")
            expected[(response.pk, question.pk)] = choice.pk

    threads = [threading.Thread(target=save, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = {
        (a.response_id, a.question_id): a.choice_id
        for a in Answer.objects.filter(response__assessment=assessment)
    }
    errors = [s for s in results if s != 200]
    print(f"saves={len(results)} errors={len(errors)} landed={len(saved)}")
    assert not errors, errors
    assert len(results) >= 16
    assert saved == expected
    """
)


def test_eight_threads_saving_answers_at_once_on_a_sqlite_file_all_land(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CI")}
    # DEBUG serves static files without a collectstatic manifest, as `make run` does.
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CONN_MAX_AGE="0",
        DEBUG="true",
        ALLOWED_HOSTS="testserver",
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "errors=0" in result.stdout, result.stdout
    print(result.stdout, result.stderr[-3000:])
