"""KPI actuals from other systems: posted through the API with a write-scoped token
(idempotent by the client's key), uploaded as a CSV file on the KPI panel (all rows or
none), and drawn as a trend against the target on the KPI's page."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliances.kpi_chart import kpi_trend
from alliances.models import KPIActual
from api.models import ApiToken
from api.services import token_create
from tests.conftest import make_team
from tests.factories import KPIFactory

pytestmark = pytest.mark.django_db

WRITE = ApiToken.Scope.KPI_WRITE


def auth(key, idempotency_key=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    if idempotency_key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    return headers


def actuals_url(kpi):
    return reverse("api:kpi-actuals", args=[kpi.pk])


def post(client, kpi, key, body, idempotency_key=None):
    return client.post(
        actuals_url(kpi), body, content_type="application/json", **auth(key, idempotency_key)
    )


@pytest.fixture
def kpi(open_team):
    return open_team.alliance.kpis.get()  # target 100, actual 80


@pytest.fixture
def write_key(open_team):
    return token_create(by=open_team.users["manager"], name="CRM", scope=WRITE).key


def test_a_posted_actual_moves_the_kpi_and_shows_on_the_alliance_page(
    client, open_team, kpi, write_key
):
    body = {"value": "125.50", "date": "2026-11-30", "source": "Salesforce"}
    response = post(client, kpi, write_key, body)
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "125.50"
    assert response.json()["date"] == "2026-11-30"
    kpi.refresh_from_db()
    assert kpi.actual == Decimal("125.50")
    assert kpi.attainment == 126

    # An older day's value fills in the history and leaves the latest in place.
    older = post(client, kpi, write_key, {"value": "60", "date": "2026-09-30", "source": "CRM"})
    assert older.status_code == 201
    kpi.refresh_from_db()
    assert kpi.actual == Decimal("125.50")

    listed = client.get(actuals_url(kpi), **auth(write_key)).json()
    assert [(a["date"], a["value"]) for a in listed] == [
        ("2026-09-30", "60.00"),
        ("2026-11-30", "125.50"),
    ]
    detail = client.get(reverse("api:kpi-detail", args=[kpi.pk]), **auth(write_key)).json()
    assert (detail["actual"], detail["attainment"]) == ("125.50", 126)

    client.force_login(open_team.users["viewer"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "125.5" in page
    assert "126 %" in page


def test_a_read_token_is_refused_with_a_clear_403(client, open_team, kpi):
    key = token_create(by=open_team.users["manager"], name="reports").key
    response = post(client, kpi, key, {"value": "5", "date": "2026-11-30", "source": "CRM"})
    assert response.status_code == 403
    assert "read, and post KPI actuals" in response.json()["detail"]
    assert not KPIActual.objects.exists()
    # It still reads them.
    assert client.get(actuals_url(kpi), **auth(key)).status_code == 200
    # A session (the API's own docs page) reads, and never writes.
    client.force_login(open_team.users["manager"])
    body = {"value": "5", "date": "2026-11-30", "source": "CRM"}
    session = client.post(actuals_url(kpi), body, content_type="application/json")
    assert session.status_code == 403
    assert "session may only read" in session.json()["detail"]
    assert not KPIActual.objects.exists()


def test_another_users_alliance_is_refused(client, open_team, kpi):
    secret = make_team(confidential=True, prefix="other")
    outsider = secret.users["outsider"]  # a manager, of no alliance here
    key = token_create(by=outsider, name="mine", scope=WRITE).key
    body = {"value": "5", "date": "2026-11-30", "source": "CRM"}
    # An open alliance they are not on: seen, not theirs to edit.
    refused = post(client, kpi, key, body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You may not edit this alliance."
    # A confidential one outside their team does not exist for them.
    hidden = post(client, secret.alliance.kpis.get(), key, body)
    assert hidden.status_code == 404
    assert not KPIActual.objects.exists()
    kpi.refresh_from_db()
    assert kpi.actual == Decimal("80")


def test_the_same_key_and_body_replays_the_first_answer_without_a_second_actual(
    client, kpi, write_key
):
    body = {"value": "90", "date": "2026-10-31", "source": "Salesforce"}
    first = post(client, kpi, write_key, body, idempotency_key="sync-2026-10-31-rev")
    again = post(client, kpi, write_key, body, idempotency_key="sync-2026-10-31-rev")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert KPIActual.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(client, kpi, write_key):
    body = {"value": "90", "date": "2026-10-31", "source": "Salesforce"}
    assert post(client, kpi, write_key, body, idempotency_key="k-1").status_code == 201
    changed = post(client, kpi, write_key, {**body, "value": "91"}, idempotency_key="k-1")
    assert changed.status_code == 422
    assert "Idempotency-Key" in changed.json()["detail"]
    assert KPIActual.objects.count() == 1
    kpi.refresh_from_db()
    assert kpi.actual == Decimal("90")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": "-1", "date": "2026-11-30", "source": "CRM"}, "value"),
        ({"value": "abc", "date": "2026-11-30", "source": "CRM"}, "value"),
        ({"value": "1.234", "date": "2026-11-30", "source": "CRM"}, "value"),
        ({"value": "1e20", "date": "2026-11-30", "source": "CRM"}, "value"),
        ({"value": "5", "date": "30/11/2026", "source": "CRM"}, "date"),
        ({"value": "5", "date": "2026-02-30", "source": "CRM"}, "date"),
        ({"value": "5", "date": "2026-11-30", "source": ""}, "source"),
        ({"value": "5", "date": "2026-11-30", "source": "x" * 61}, "source"),
        ({"value": "5", "date": "2026-11-30"}, "source"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, kpi, write_key, body, field):
    response = post(client, kpi, write_key, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not KPIActual.objects.exists()


def test_a_bad_idempotency_key_or_body_is_a_400(client, kpi, write_key):
    body = {"value": "5", "date": "2026-11-30", "source": "CRM"}
    too_long = post(client, kpi, write_key, body, idempotency_key="k" * 201)
    assert too_long.status_code == 400
    assert "Idempotency-Key" in too_long.json()
    not_json = client.post(
        actuals_url(kpi), "value=5", content_type="application/json", **auth(write_key)
    )
    assert not_json.status_code == 400
    assert not KPIActual.objects.exists()


def test_the_schema_documents_the_write_and_its_key(client, write_key):
    schema = client.get(reverse("api:schema") + "?format=json", **auth(write_key)).json()
    post_op = schema["paths"]["/api/v1/kpis/{id}/actuals/"]["post"]
    assert {"201", "200", "400", "403", "404", "422"} <= set(post_op["responses"])
    assert any(
        p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post_op["parameters"]
    )


def test_the_tokens_page_makes_a_write_scoped_token(client, open_team, kpi):
    client.force_login(open_team.users["manager"])
    response = client.post(reverse("api_tokens:list"), {"name": "CRM sync", "scope": WRITE})
    assert response.status_code == 200
    assert "Read, and post KPI actuals" in response.content.decode()
    key = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    client.logout()
    body = {"value": "5", "date": "2026-11-30", "source": "CRM"}
    assert post(client, kpi, key, body).status_code == 201


# ---------------------------------------------------------------- CSV upload


def upload(client, alliance, text, name="actuals.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("alliances:kpi_actuals_upload", args=[alliance.slug]), {"file": file}
    )


def test_a_manager_uploads_a_csv_and_every_row_is_imported(client, open_team, kpi):
    alliance = open_team.alliance
    other = KPIFactory(alliance=alliance, name="Joint customers", target=10, actual=None)
    client.force_login(open_team.users["manager"])
    template = client.get(reverse("alliances:kpi_actuals_template", args=[alliance.slug]))
    assert template.status_code == 200
    template_text = b"".join(template.streaming_content).decode("utf-8-sig")
    assert template_text.splitlines()[0] == "alliance,kpi,date,value"
    assert kpi.name in template_text
    assert "Joint customers" in template_text

    text = (
        "alliance,kpi,date,value\n"
        f"{alliance.name},{kpi.name},2026-09-30,70\n"
        f"{alliance.slug},{kpi.name},2026-10-31,95.5\n"
        f"{alliance.name},joint customers,2026-10-31,4\n"
    )
    response = upload(client, alliance, text)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "3 actuals imported." in page
    kpi.refresh_from_db()
    other.refresh_from_db()
    assert (kpi.actual, other.actual) == (Decimal("95.5"), Decimal("4"))
    assert set(KPIActual.objects.values_list("source", flat=True)) == {"CSV upload"}


def test_one_bad_row_refuses_the_file_with_its_line_number(client, open_team, kpi):
    alliance = open_team.alliance
    client.force_login(open_team.users["manager"])
    text = (
        "alliance,kpi,date,value\n"
        f"{alliance.name},{kpi.name},2026-09-30,70\n"
        f"{alliance.name},{kpi.name},2026-13-01,71\n"
        f"{alliance.name},No such KPI,2026-10-01,7 2\n"
        f"Another alliance,{kpi.name},2026-10-01,abc\n"
    )
    response = upload(client, alliance, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 3: “2026-13-01” is not a date: write it as YYYY-MM-DD." in page
    assert "Line 4: This alliance has no KPI named “No such KPI”." in page
    # Each fault of a line is named, the cells' and the names' alike.
    assert "Line 5: “abc” is not a number" in page
    assert "Line 5: “Another alliance” is not this alliance" in page
    assert not KPIActual.objects.exists()
    kpi.refresh_from_db()
    assert kpi.actual == Decimal("80")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\xff\xfe\x00a\x00l", "The file is not UTF-8 text"),
        (b"kpi,date,value\nx,2026-01-01,1\n", "missing: alliance"),
        (b"alliance,kpi,date,value\n", "The file has no rows under its header."),
        (b'alliance,kpi,date,value\n"open,x,2026-01-01,1\n', "Line "),
        (b"alliance;kpi;date;value\nx;y;2026-01-01;-5\n", "The value cannot be negative."),
        (b"alliance,kpi,date,value\nx,y,2026-01-01,99999999999999\n", "The value is too large."),
        (b"alliance,kpi,date,value\nx,y\x00z,2026-01-01,NaN\n", "is not a number"),
    ],
)
def test_a_hostile_file_gets_a_400_with_the_reason(client, open_team, content, message):
    client.force_login(open_team.users["manager"])
    file = SimpleUploadedFile("actuals.csv", content, content_type="text/csv")
    url = reverse("alliances:kpi_actuals_upload", args=[open_team.alliance.slug])
    response = client.post(url, {"file": file})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not KPIActual.objects.exists()


def test_only_the_alliances_managers_upload(client, open_team):
    client.force_login(open_team.users["contributor"])
    response = upload(client, open_team.alliance, "alliance,kpi,date,value\n")
    assert response.status_code == 403
    assert not KPIActual.objects.exists()


# ---------------------------------------------------------------- the trend


def test_the_kpi_page_draws_each_actual_and_the_target_line(client, open_team, kpi, write_key):
    for day, value in [("2026-08-31", "40"), ("2026-09-30", "70"), ("2026-10-31", "95")]:
        post(client, kpi, write_key, {"value": value, "date": day, "source": "CRM"})
    client.force_login(open_team.users["viewer"])
    page = client.get(reverse("alliances:kpi_history", args=[open_team.alliance.slug, kpi.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="actual-point"') == 3
    assert 'class="target-line"' in html
    assert "target 100" in html
    # The points climb towards the target line (SVG's y grows downwards).
    ys = [float(y) for y in re.findall(r'class="actual-point" cx="[\d.]+" cy="([\d.]+)"', html)]
    target_y = float(re.search(r'class="target-line"[^>]* y1="([\d.]+)"', html).group(1))
    assert ys == sorted(ys, reverse=True)
    assert ys[-1] > target_y


def test_the_trend_puts_values_and_target_on_one_scale():
    chart = kpi_trend(
        name="Revenue",
        target=Decimal("100"),
        actuals=[(date(2026, 1, 31), Decimal("50")), (date(2026, 3, 31), Decimal("150"))],
        unit="EUR k",
    )
    first, last = chart.points
    assert (first.x, last.x) == (chart.left, chart.right)
    assert last.y < chart.target_y < first.y < chart.bottom
    # 0 at the baseline; 100 twice as high above it as 50.
    assert chart.bottom - chart.target_y == pytest.approx(2 * (chart.bottom - first.y), abs=0.2)
    assert chart.ticks[0].label == "0"
    assert float(chart.ticks[-1].label) >= 150
    assert "150 EUR k" in chart.description
    assert "Target 100 EUR k" in chart.description
