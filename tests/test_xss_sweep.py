"""Stored XSS sweep and the Content-Security-Policy.

Every text a user can type into the demo data carries markup, and no page reached
from the dashboard, for any demo login, prints that markup unescaped; every page
sends a strict policy.

The pages are found by following links (and htmx GETs) from the dashboard and the
admin index, so a new page is swept as soon as something links to it.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Left
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

PAYLOAD = '<img src=x onerror="alert(1)">'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
OUR_APPS = ("alliances", "sponsors", "assessments", "briefs")
# Fields whose values are validated identifiers or fixed choices, never free text.
NOT_TEXT = {"slug", "key", "kind", "status", "side", "role", "stage", "type", "origin"}
# Pages of one URL name visited at most this many times (pagination, each object...).
VISITS_PER_NAME = 3
SKIPPED_NAMES = {"logout", "download", "set_language"}


def poison_every_text_field() -> int:
    """Append PAYLOAD to every free-text field of our models; returns the fields touched."""
    touched = 0
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model._meta.proxy:
            continue
        if model.__name__.startswith("Historical"):
            continue
        updates = {}
        for field in model._meta.concrete_fields:
            text = isinstance(field, models.CharField | models.TextField)
            if not text or field.choices or field.name in NOT_TEXT:
                continue
            if isinstance(field, models.URLField | models.EmailField | models.SlugField):
                continue
            value = Concat(field.name, Value(PAYLOAD))
            if field.max_length:
                value = Left(value, field.max_length)
            updates[field.name] = value
        if updates and model.objects.exists():
            model.objects.update(**updates)
            touched += len(updates)
    return touched


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.urls.append(attrs["action"])


def _url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, start_paths, *, limit=400):
    """GET every page reachable from `start_paths`; yields (path, response)."""
    queue, seen, per_name = list(start_paths), set(), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        name = _url_name(urlsplit(path).path)
        if name is None or name.split(":")[-1] in SKIPPED_NAMES:
            continue
        if per_name.get(name, 0) >= VISITS_PER_NAME:
            continue
        seen.add(path)
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(path)
        yield path, response
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for link in parser.urls:
            target = urlsplit(urljoin(path, link))
            if target.scheme or target.netloc:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))


def assert_strict_csp(response, path):
    policy = response.get("Content-Security-Policy", "")
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    directives = {part[0]: part[1] if len(part) > 1 else "" for part in parts}
    assert directives.get("default-src") == "'self'", f"{path}: CSP is {policy!r}"
    assert directives.get("script-src") == "'self'", f"{path}: CSP is {policy!r}"
    assert "unsafe-inline" not in policy, path


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_pages_outside_the_app_send_the_policy_too(client, path):
    assert_strict_csp(client.get(path), path)


@pytest.fixture
def poisoned_demo():
    call_command("seed_demo", "--quiet-logins")
    assert poison_every_text_field() > 20


@pytest.mark.usefixtures("poisoned_demo")
@pytest.mark.parametrize(
    "username", ["admin", "manager", "manager2", "executive", "contributor", "viewer"]
)
def test_no_page_prints_user_text_unescaped(client, django_user_model, username):
    user = django_user_model.objects.get(username=username)
    client.force_login(user)
    starts = ["/", "/alliances/", "/partners/"] + (["/admin/"] if user.is_staff else [])
    unescaped, escaped_pages, visited = [], 0, 0
    for path, response in crawl(client, starts):
        visited += 1
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        assert_strict_csp(response, path)
        if response.streaming:
            continue
        html = response.content.decode(errors="replace")
        if PAYLOAD in html:
            start = html.index(PAYLOAD)
            unescaped.append(f"{path}: …{html[max(0, start - 120) : start + 40]}…")
        escaped_pages += ESCAPED in html
    assert not unescaped, "unescaped user text:\n" + "\n".join(unescaped)
    # The sweep means something only if it reached pages that show the poisoned text.
    assert visited > 15
    assert escaped_pages > 10
