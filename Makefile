# LostInNL: `make run` serves the site locally with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM_PACKAGES := pkg-config libmariadb-dev gettext

.PHONY: run dev worker test screenshots system-packages venv migrate messages compilemessages lint loadtest loadtest-spike bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs exactly what the lock names, each file checked against its hash.
$(VENV)/.installed: requirements.lock requirements-dev.lock | $(BIN)/python system-packages
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed

# mysqlclient builds against the MariaDB client library; gettext compiles and extracts the translations.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "Missing system packages:$$missing. Install them with: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

migrate: .env venv
	$(BIN)/python manage.py migrate --noinput

# A local secret key, made once, so the site runs with DEBUG off as in production.
.env:
	@echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env with a new local SECRET_KEY."

# Translations: locale/<language>/LC_MESSAGES/*.po are the catalogues (committed); the .mo files are
# compiled from them by every build and never committed. Django skips a catalogue whose .mo is newer.
MANAGE := SECRET_KEY=$${SECRET_KEY:-build-only-not-a-secret} $(BIN)/python manage.py
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media --ignore=screenshots
compilemessages: venv
	$(MANAGE) compilemessages $(I18N_IGNORE) --verbosity 0

# After adding or changing a marked string: brings every catalogue in step with the code (new entries
# empty, removed ones dropped), for templates and Python (django) and JavaScript (djangojs). Then
# translate the new entries; tests/test_translations.py fails until none is missing, empty or fuzzy.
MESSAGE_LANGUAGES := $(notdir $(wildcard locale/*))
# File names without line numbers and no creation date, so that two branches adding strings rarely conflict.
MAKEMESSAGES := $(MANAGE) makemessages $(addprefix --locale=,$(MESSAGE_LANGUAGES)) --no-obsolete --add-location=file \
	$(I18N_IGNORE) --ignore=tests --ignore=deploy --ignore=scripts
messages: venv
	$(MAKEMESSAGES) --domain=django
	$(MAKEMESSAGES) --domain=djangojs
	sed -i '/^"POT-Creation-Date: /d' locale/*/LC_MESSAGES/*.po

run: .env migrate compilemessages
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# For working on the code: DEBUG on (tracebacks, static files from the source tree), the server
# restarting on every change, and Django Debug Toolbar (queries, templates, cache) on each page.
dev: .env migrate compilemessages
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true DEBUG_TOOLBAR=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The task queue's worker, with beat for the periodic jobs, for a local run beside `make run`. Both need
# CELERY_BROKER_URL (in .env or the environment), e.g. the local Redis: redis://127.0.0.1:6379/0.
worker: .env venv
	@grep -q '^CELERY_BROKER_URL=.' .env || [ -n "$$CELERY_BROKER_URL" ] || \
		{ echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) in .env first; without it tasks run in the web process."; exit 1; }
	$(BIN)/celery --app project worker --beat --loglevel INFO

# The browser tests' tools (axe-core, the Nu Html Checker), pinned in package-lock.json; without npm
# those checks skip with a line saying so. Chromium itself is Debian's: apt-get install chromium.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: accessibility and HTML checks will skip (apt-get install npm)"; fi

test: venv node_modules/.installed compilemessages
	SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Full-page PNGs of every public page, desktop and phone, in screenshots/ (git-ignored).
screenshots: venv compilemessages
	SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret} $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/screenshots.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# After editing requirements.txt or requirements-dev.txt: pin exact versions there, then
# regenerate the hashed locks the venv installs from (tests/test_supply_chain.py checks them).
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

# Nginx + Gunicorn (deploy/) under wrk for 60 s at 64 connections; needs wrk, nginx, openssl.
# LOADTEST_HOSTS=2: two web hosts and one behind a load balancer, side by side (also needs MariaDB and Redis).
loadtest: venv
	$(BIN)/python scripts/loadtest.py

# A case shared widely: 60 s at 256 connections, 90 % on one case page, behind Nginx as shipped.
loadtest-spike: venv
	LOADTEST_PROFILE=spike $(BIN)/python scripts/loadtest.py

# Each public page under Gunicorn (2 sync workers) as a share of a bare Django view, cache cold and warm; needs wrk.
bench: venv
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
