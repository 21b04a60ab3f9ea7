# Quick start: `make run` (serve with demo data) and `make test` (run the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format lock setup assets syslibs migrate seed messages worker beat bench bench-reads bench-figures bench-crm bench-reports bench-mailing clean help

help:
	@echo "make run    - set up and serve the app on http://$(HOST):$(PORT) with demo data"
	@echo "make test   - set up and run the whole test suite"
	@echo "make lint   - ruff check, ruff format --check, makemigrations --check"
	@echo "make worker / make beat - a Celery worker / the periodic scheduler (needs CELERY_BROKER_URL)"

# Every package, direct or transitive, is installed at the version and with the hashes the lock
# files record (`make lock` writes them from requirements*.txt).
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

LOCK_ARGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile $(LOCK_ARGS) --output-file requirements.lock requirements.txt
	$(VENV)/bin/pip-compile $(LOCK_ARGS) --output-file requirements-dev.lock requirements-dev.txt

setup: $(VENV)/.installed syslibs assets messages

# WeasyPrint needs Pango from the system (and HarfBuzz's subsetter for smaller PDFs); say
# exactly what to install if they are missing.
syslibs:
	@if ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0; then \
	  echo "Note: PDFs will be larger without libharfbuzz-subset0 (sudo apt-get install libharfbuzz-subset0)."; \
	fi
	@missing=""; \
	for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0; do \
	  ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$lib"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "WeasyPrint (PDF reports) needs system libraries that are missing:$$missing"; \
	  echo "On Debian/Ubuntu install them with:"; \
	  echo "  sudo apt-get install --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  exit 1; \
	fi

assets: vendor/ecl/VERSION node_modules/axe-core/axe.min.js

vendor/ecl/VERSION node_modules/axe-core/axe.min.js: package.json scripts/install-assets.sh
	bash scripts/install-assets.sh
	@touch vendor/ecl/VERSION

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Compile the translation catalogues (locale/*/LC_MESSAGES/django.po); without gettext the
# service still runs, in English.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=vendor -v0; \
	else \
	  echo "Note: gettext is not installed (sudo apt-get install gettext): pages and PDFs will be in English only."; \
	fi

run: seed
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: setup
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

beat: setup
	$(VENV)/bin/celery -A config beat --loglevel=INFO

bench: setup
	$(PY) bench/run.py
bench-reads: setup
	$(PY) bench/reads.py
bench-figures: setup
	$(PY) bench/figures.py
bench-crm: setup
	$(PY) bench/crm_scale.py
bench-reports: setup
	$(PY) bench/reports.py
bench-mailing: setup
	$(PY) bench/mailing.py

clean:
	rm -rf $(VENV) node_modules vendor staticfiles db.sqlite3 media
