# Two commands on a fresh machine with only Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench load fuzz lint format install install-dev browser clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py seed_demo
	@echo
	@echo "Alliance Readiness is at http://$(HOST):$(PORT)/  (log in with a demo login above; Ctrl-C stops it)"
	@echo "Links in e-mails point at $${SITE_URL:-the address you open it at (set SITE_URL to fix one)}"
	@echo
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests use Debian's /usr/bin/chromium when present (CI installs it);
# elsewhere Playwright downloads its own Chromium once.
browser: install-dev
	@if [ -x /usr/bin/chromium ] || [ -n "$$CHROMIUM_PATH" ]; then :; \
	else $(BIN)/playwright install chromium || echo "Could not download Chromium: browser tests will fail"; fi

# lint-imports first: a new import cycle or a wrong-way import fails the build. The suite
# runs on one process a core (pytest-xdist; each has its own test database and Celery
# queue); TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto
test: install-dev browser
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench

# 50 locust users with think time for 60 s against gunicorn + a throw-away PostgreSQL
# database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/alliance_load, dropped
# afterwards): prints p50 / p95 per page and the error count. With CELERY_BROKER_URL set,
# briefs render in a Celery worker (as in production) instead of in the request. See bench/load.py.
load: install-dev
	$(BIN)/python bench/load.py

# The request fuzzer of tests/test_fuzz.py on the database DATABASE_URL names (SQLite when
# unset): every URL pattern × role, then FUZZ_REQUESTS random requests (default 10000; the
# suite draws 400) from FUZZ_SEED (random when unset, printed to replay a failure). Prints
# requests per role and status and the coverage line.
FUZZ_REQUESTS ?= 10000
fuzz: install-dev
	FUZZ_REQUESTS=$(FUZZ_REQUESTS) $(BIN)/pytest -p no:xdist -q -s \
		"tests/test_fuzz.py::test_no_request_makes_a_server_error_a_change_when_refused_or_a_silent_refusal"

# Translations (GNU gettext needed: apt-get install gettext): collects every marked string
# into locale/de/LC_MESSAGES/django.po, then compiles django.mo. Translate what it added
# (empty msgstr, or "fuzzy" guesses to check), run it again, commit both files.
messages: install
	$(BIN)/python manage.py makemessages -l de --no-obsolete --add-location file
	$(BIN)/python manage.py compilemessages -l de --ignore=.venv

lint: install-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
