# The two commands a newcomer needs: `make demo` and `make test`. Everything else serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes in parallel (pytest-xdist); 0 runs everything in one process.
PYTEST_WORKERS ?= 2

.PHONY: demo test install demo-install demo-deps system-deps lint typecheck pytest messages compilemessages bench bench-production screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The demo needs cocity alone; the tests add the dev extra (pytest, linters, Playwright).
DEMO_STAMP := $(VENV)/.installed-demo
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(DEMO_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP) $(DEMO_STAMP)

NODE_STAMP := node_modules/.package-lock.json

# axe-core (accessibility checks in the browser tests), pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# `make test`'s install: everything below plus the dev extra and axe-core.
install: system-deps $(STAMP) $(NODE_STAMP)

# `make demo`'s install: cocity and gettext (to compile the French catalogue), nothing else.
demo-install: demo-deps $(DEMO_STAMP)

demo-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

# From Debian's packages when missing: gettext compiles the French catalogue; chromium runs the
# browser tests (never a browser downloaded by Playwright); npm installs axe-core; nginx serves
# the production-like test of uploaded files (tests/production, deploy/nginx-site.conf); Apertium
# with its English-Spanish and French-Spanish pairs is the offline machine translation
# (docs/translations.md; its tests are skipped without it).
system-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	@{ test -d /usr/share/apertium/apertium-eng-spa && test -d /usr/share/apertium/apertium-fr-es; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apertium apertium-eng-spa apertium-fr-es >/dev/null; }

compilemessages: demo-install
	cd src/cocity && ../../$(BIN)/cocity compilemessages --ignore '.venv' >/dev/null

# Every interface language but English (the source): settings.LANGUAGES.
LOCALES := ar de el es fr nl
messages: install
	cd src/cocity && ../../$(BIN)/cocity makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --no-location --ignore 'static/*'

# The demo settings (cocity.settings.demo): mails on the console and at /demo/outbox/, their
# links to this address. `make demo PORT=8080` (or HOST=0.0.0.0 to be reached from elsewhere).
COCITY_BASE_URL ?= http://$(HOST):$(PORT)
DEMO_ENV := DJANGO_SETTINGS_MODULE=cocity.settings.demo HOST=$(HOST) PORT=$(PORT) COCITY_BASE_URL=$(COCITY_BASE_URL)

# Machine translation (Apertium, when installed): two background processes beside runserver,
# stopped with it, their output in var/demo-translations.log. `cocity translate-content` sends
# the demo's texts to Apertium in a few batches (10 to 20 s on two busy cores, docs/benchmarks.md;
# meanwhile pages show the originals and the people's translations), and a worker runs the
# `translations` task queue: what people write while the demo runs. No page waits for Apertium.
DEMO_WORKER_LOG ?= var/demo-translations.log

demo: compilemessages
	$(DEMO_ENV) $(BIN)/cocity migrate --noinput
	$(DEMO_ENV) $(BIN)/cocity demo-data
	@echo
	@echo "  cocity demo:  $(COCITY_BASE_URL)/"
	@echo "  sent mails:   $(COCITY_BASE_URL)/demo/outbox/"
	@echo "  log in as any person above, e.g. claire@demo.cocity.localhost / cocity-demo"
	@echo "  staff admin:  admin@demo.cocity.localhost / cocity-demo ($(COCITY_BASE_URL)/admin/)"
	@echo "  machine translation: in the background, see $(DEMO_WORKER_LOG)"
	@echo
	@mkdir -p $(dir $(DEMO_WORKER_LOG)); \
	$(DEMO_ENV) $(BIN)/cocity translate-content >>$(DEMO_WORKER_LOG) 2>&1 & catchup=$$!; \
	$(DEMO_ENV) $(BIN)/cocity db-worker --backend translations --no-reload --no-startup-delay \
		>>$(DEMO_WORKER_LOG) 2>&1 & worker=$$!; \
	trap 'kill $$catchup $$worker 2>/dev/null; wait $$catchup $$worker 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(BIN)/cocity runserver $(HOST):$(PORT)

# Style and mistakes (ruff), the import contracts of docs/architecture.md (import-linter, in
# pyproject.toml) and the templates (djlint); docs/testing.md says what each checks.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/djlint src/cocity --lint

typecheck: install
	$(BIN)/mypy

pytest: install compilemessages
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

test: lint typecheck pytest

# Load benchmark (not part of `make test`): generated data in PostgreSQL, gunicorn with the
# production settings, wrk at 50 connections; see docs/benchmarks.md. BENCH_ARGS="--scale 0.1".
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Production-like run (not part of `make test`): registration and support rushes over HTTP,
# writes under kill -9 then counters and invariants, the slowest request per page for visitors
# and signed-in people; exits 1 when an invariant fails. BENCH_ARGS="--reuse" keeps the seed.
bench-production: install
	$(BIN)/python benchmarks/production/run.py $(BENCH_ARGS)

# The demo as a newcomer meets it, built today: home, a space, an event, a process, the pledges
# campaign, a pact and the insights page at 320, 768 and 1280 px in English and French, in
# var/screenshots/ (open index.html there). SCREENSHOT_ARGS="--pages home,space --widths 320".
SCREENSHOT_ARGS ?=
screenshots: install compilemessages
	$(BIN)/python tools/screenshots.py $(SCREENSHOT_ARGS)

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
