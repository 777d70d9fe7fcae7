"""The PDF renderer fetches only our static files, whatever the document asks for."""

import http.server
import io
import re
import threading

import pytest
from django.template import Context, Template
from pypdf import PdfReader

from briefs.pdf import render_pdf


@pytest.fixture
def canary():
    """A local HTTP server that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], hits
    server.shutdown()


def hostile(port):
    return (
        f'<img src="http://127.0.0.1:{port}/img">'
        '<link rel="attachment" href="file:///etc/hostname">'
        "<script>alert(1)</script>"
    )


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_user_text_is_escaped_and_shown_literally(canary):
    port, hits = canary
    template = Template("<html><body><h1>{{ name }}</h1><p>{{ comment }}</p></body></html>")
    pdf, refused = render_pdf(template.render(Context({"name": hostile(port), "comment": "ok"})))
    assert hits == []
    assert refused == []
    assert PdfReader(io.BytesIO(pdf)).attachments == {}
    text = "".join(text_of(pdf).split())  # line breaks may fall anywhere
    assert f'<imgsrc="http://127.0.0.1:{port}/img">' in text
    assert '<linkrel="attachment"href="file:///etc/hostname">' in text
    assert "<script>alert(1)</script>" in text


def test_raw_markup_cannot_fetch_anything_either(canary):
    """Even markup that skipped escaping reaches no server and embeds no file."""
    port, hits = canary
    html = (
        f"<html><head><link rel='stylesheet' href='http://127.0.0.1:{port}/css'>"
        f"<style>@import url('http://127.0.0.1:{port}/import');"
        f"body {{ background: url('http://127.0.0.1:{port}/bg') }}</style></head>"
        f"<body>{hostile(port)}<img src='data:image/png;base64,iVBORw0KGgo='>"
        "<img src='file:///etc/hostname'><img src='/static/../config/settings.py'>"
        "<p>Body text</p></body></html>"
    )
    pdf, refused = render_pdf(html)
    assert hits == []
    assert PdfReader(io.BytesIO(pdf)).attachments == {}
    assert any(url.startswith("file:///etc/hostname") for url in refused)
    assert any(url.startswith("data:") for url in refused)
    assert any(f"127.0.0.1:{port}" in url for url in refused)
    assert "Body text" in text_of(pdf)


def test_our_static_files_are_served():
    html = (
        "<html><head><link rel='stylesheet' href='/static/css/brief.css'></head>"
        "<body><p>Styled</p></body></html>"
    )
    pdf, refused = render_pdf(html)
    assert refused == []
    fonts = {
        str(font.get("/BaseFont"))
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }
    assert any("Source-Sans-3" in name for name in fonts), fonts


@pytest.mark.django_db
def test_a_brief_with_hostile_alliance_name_and_comment_fetches_nothing(canary, open_team):
    """Through the real pipeline: snapshot → template → WeasyPrint → private storage."""
    from django.core.files.storage import default_storage

    from briefs import services
    from briefs.tasks import render_brief
    from tests.assessment_factories import answer_all, give, make_version, start, submit

    port, hits = canary
    alliance = open_team.alliance
    alliance.name = "Aurora " + hostile(port)
    alliance.save()
    version = make_version(knockouts={})
    assessment = start(open_team, version)
    for response in assessment.responses.all():
        answer_all(response, 3)
        give(response, "A1", 2, comment="See " + hostile(port))
        submit(response)

    brief, _ = services.brief_request(alliance=alliance, by=open_team.users["manager"])
    render_brief.delay(brief.pk)
    brief.refresh_from_db()
    assert brief.status == brief.Status.READY, brief.error
    with default_storage.open(brief.pdf.name, "rb") as stored:
        pdf = stored.read()
    assert hits == []
    assert PdfReader(io.BytesIO(pdf)).attachments == {}
    text = "".join(text_of(pdf).split())
    assert f'Aurora<imgsrc="http://127.0.0.1:{port}/img">' in text
    assert 'See<imgsrc="http://127.0.0.1' in text
    assert "<script>alert(1)</script>" in text


def test_collected_static_files_are_served_in_production(settings, tmp_path):
    """With DEBUG off, {% static %} names hashed copies in STATIC_ROOT: the fetcher serves them."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    html = Template(
        "{% load static %}<html><head><link rel='stylesheet' href='{% static \"css/brief.css\" %}'>"
        "</head><body><p>Print check</p></body></html>"
    ).render(Context())
    assert re.search(r"css/brief\.[0-9a-f]{12}\.css", html)  # the hashed copy
    pdf, refused = render_pdf(html)
    assert refused == []
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Source-Sans-3" in name for name in fonts), fonts
