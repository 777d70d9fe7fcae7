"""The `make load` scenario (run by bench/load.py, which writes the plan LOAD_PLAN names).

Each simulated user logs in as one of the ordinary demo users (manager, contributor,
executive), then, with think time between pages: dashboard, an alliance page, a fill
page and a few saved answers, results, and (when the role may) preparing a brief.
"""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())


class DemoUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.username = random.choice(sorted(PLAN))
        self.plan = PLAN[self.username]
        self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": self.plan["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="log in",
            catch_response=True,
        ) as answer:
            if answer.url.rstrip("/").endswith("/accounts/login") or "sessionid" not in (
                self.client.cookies
            ):
                answer.failure(f"{self.username} could not log in")

    def post(self, url, data, name, htmx=False):
        """A form (or htmx) POST with the CSRF token, as the browser sends it."""
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": self.host + url,
        }
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, data, headers=headers, name=name)

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(3)
    def alliance(self):
        if self.plan["alliances"]:
            self.client.get(random.choice(self.plan["alliances"]), name="alliance page")

    @task(4)
    def fill_and_save(self):
        if not self.plan["fills"]:
            return
        fill = random.choice(self.plan["fills"])
        self.client.get(fill["url"], name="fill page")
        for answer in random.sample(fill["answers"], min(3, len(fill["answers"]))):
            self.wait()
            self.post(answer["url"], {answer["field"]: random.choice(answer["choices"])},
                      name="save answer", htmx=True)  # fmt: skip

    @task(2)
    def results(self):
        if self.plan["results"]:
            self.client.get(random.choice(self.plan["results"]), name="results")

    @task(1)
    def brief(self):
        if self.plan["briefs"]:
            self.post(random.choice(self.plan["briefs"]), {}, name="prepare brief")
