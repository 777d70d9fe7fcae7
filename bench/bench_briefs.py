"""Executive brief: how fast "Prepare brief" returns (the render is not in the request),
render time of the seeded brief against bare WeasyPrint on the same HTML, and the
memory a render takes."""

import os
import resource
import statistics
import time
import tracemalloc
import uuid
from io import StringIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from alliances.models import Alliance
from bench.support import median_ms
from briefs import services, worker
from briefs.models import Brief
from config.celery import app

SLUG = "project-aurora"
RENDERS = 10
PREPARES = 50


def broker_url() -> str | None:
    """The configured broker, else the local Redis if one answers."""
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    try:
        with app.connection_for_write(url) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return None
    return url


def prepare_figures(client, alliance):
    url = broker_url()
    if url is None:
        print("prepare brief: skipped, no Redis broker reachable (set CELERY_BROKER_URL)")
        return
    queue = f"bench-briefs-{uuid.uuid4().hex[:8]}"
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    prepare = reverse("briefs:prepare", args=[alliance.slug])

    def fresh():
        Brief.objects.all().delete()  # a new snapshot each time: create + enqueue
        started = time.perf_counter()
        assert client.post(prepare).status_code == 302
        return (time.perf_counter() - started) * 1000

    timings = [fresh() for _ in range(PREPARES)]
    print(
        f"prepare brief, new snapshot       median {statistics.median(timings):6.1f} ms "
        f"(p90 {sorted(timings)[int(PREPARES * 0.9)]:.1f} ms) over {PREPARES} requests "
        "(target < 50 ms)"
    )
    unchanged = median_ms(lambda: client.post(prepare), repeat=PREPARES)
    print(f"prepare brief, unchanged snapshot median {unchanged:6.1f} ms")
    with app.connection_for_write(url) as connection:
        connection.default_channel.queue_purge(queue)
    Brief.objects.all().delete()
    app.conf.update(task_always_eager=True)


def render_figures(alliance, user):
    from weasyprint import HTML

    brief, _ = services.brief_request(alliance=alliance, by=user)
    html = render_to_string("briefs/brief.html", worker.brief_context(brief))
    # The same HTML for bare WeasyPrint, its static links pointing straight at the files.
    static_dir = settings.BASE_DIR / "static"
    bare_html = html.replace('href="/static/', f'href="file://{static_dir}/')
    worker.brief_pdf(brief)  # warm up: imports, fonts
    HTML(string=bare_html).write_pdf()
    ours, bare = [], []
    for _ in range(RENDERS):  # interleaved, so drift on a shared machine hits both alike
        ours.append(median_ms(lambda: worker.brief_pdf(brief), repeat=1))
        bare.append(median_ms(lambda: HTML(string=bare_html).write_pdf(), repeat=1))
    ours_ms, bare_ms = statistics.median(ours), statistics.median(bare)
    print(f"render seeded brief (template + PDF) median {ours_ms:6.1f} ms over {RENDERS}")
    print(f"bare WeasyPrint, same HTML           median {bare_ms:6.1f} ms over {RENDERS}")
    print(f"ratio ours / bare                    {ours_ms / bare_ms:6.2f} (target <= 1.15)")

    tracemalloc.start()
    worker.brief_pdf(brief)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python memory of one render     {peak / 2**20:6.1f} MiB (tracemalloc)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process             {rss:6.1f} MiB (Django, WeasyPrint, fonts)")


def main():
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    alliance = Alliance.objects.select_related("partner").get(slug=SLUG)
    user = get_user_model().objects.get(username="executive")
    client = Client()
    client.force_login(user)
    prepare_figures(client, alliance)
    render_figures(alliance, user)
