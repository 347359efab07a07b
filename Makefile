# The one door: `make run` serves the portal with demo data, `make test` runs every test.
# Both work from a fresh clone (Python 3.11+, no database installed, no virtualenv yet).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The Nu HTML Checker, run (with Java) by tests/test_html_valid.py.
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu/package/build/dist/vnu.jar
# Lighthouse, run by `make audit` with Debian's Chromium (puppeteer never fetches a browser).
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := var/lighthouse/node_modules/lighthouse/cli/index.js
# Development defaults; production sets its own environment (see README).
export DEBUG ?= 1

.PHONY: lock demo-codes run test lint format messages compilemessages setup e2e bench faults backup restore-drill audit cluster-drill

# Every package, direct and transitive, at the version and with the file hashes of the lock
# (requirements-dev.lock: the runtime lock plus the dev extras); then the portal itself.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock

$(STAMP): pyproject.toml $(DEV_LOCK)
	@mkdir -p var
	@flock var/.install.lock sh -c '\
	  if [ ! -f $(STAMP) ] || [ pyproject.toml -nt $(STAMP) ] || [ $(DEV_LOCK) -nt $(STAMP) ]; then \
	    { [ -x $(PY) ] || $(PYTHON) -m venv $(VENV); } && \
	    $(PY) -m pip install --quiet --upgrade pip && \
	    $(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK) && \
	    $(PY) -m pip install --quiet --no-deps -e . && \
	    touch $(STAMP); \
	  fi'

# After a change to the dependencies in pyproject.toml: resolve them again into both locks
# (versions already locked are kept where they still fit) and record pyproject's fingerprint,
# which `make test` checks (scripts/check_lock.py).
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
  --python-version 3.11 --custom-compile-command "make lock"
lock: $(STAMP)
	$(UV_COMPILE) -o $(LOCK)
	$(UV_COMPILE) --extra dev --constraint $(LOCK) -o $(DEV_LOCK)
	$(PY) scripts/check_lock.py --stamp

compilemessages: $(STAMP)
	@flock var/.messages.lock $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

setup: $(STAMP) compilemessages
	$(PY) manage.py bootstrap

# PORT=8001 make run serves elsewhere; links in e-mails and calendars follow (PORTAL_URL).
# A task worker runs beside the web server (the e-mails it sends are printed here); on exit
# it gets SIGTERM and finishes the job it holds before stopping.
PORT ?= 8000
run: export PORTAL_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) compilemessages
	$(PY) manage.py bootstrap --demo
	@echo "Serving the portal on $(PORTAL_URL), with a task worker for e-mails (Ctrl-C to stop)"
	@$(PY) manage.py procrastinate worker & worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	  trap 'exit 130' INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

$(VNU_JAR):
	@mkdir -p var/vnu
	cd var/vnu && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
	  tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && \
	  rm vnu-jar-$(VNU_VERSION).tgz
	@touch $@

# The current two-factor codes of the demo accounts (another terminal, while `make run`).
demo-codes: $(STAMP)
	$(PY) manage.py demo_totp

test: $(STAMP) compilemessages $(VNU_JAR)
	$(PY) scripts/check_lock.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -c pyproject.toml -r . -ll -q
	$(PY) -m pytest $(PYTEST_ARGS)

e2e: $(STAMP) compilemessages
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

# Scale data in a database of its own, gunicorn in the production configuration, wrk and a
# fixed-rate client per key page; writes docs/benchmarks.md. SCALE=0.1 for a quick run.
bench: $(STAMP) compilemessages
	SCALE="$(or $(SCALE),1)" $(PY) scripts/bench.py

$(LIGHTHOUSE):
	@mkdir -p var/lighthouse
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix var/lighthouse --no-audit --no-fund \
	  --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

# Lighthouse (desktop and mobile, median of AUDIT_RUNS runs) on six key pages of the demo
# data, served by gunicorn in the production configuration; writes docs/audit.md.
audit: $(STAMP) compilemessages $(LIGHTHOUSE)
	LIGHTHOUSE="$(LIGHTHOUSE)" $(PY) scripts/audit.py

# PostgreSQL restarted under load, then 64 connections for 60 s (FAULTS_LOAD_SECONDS), on a
# server and gunicorn of its own; writes its section of docs/benchmarks.md.
faults: $(STAMP) compilemessages
	$(PY) scripts/faults.py

# nginx (deploy/nginx/utds.conf) in front of two gunicorn instances and two task workers on
# the loopback address, with the service PostgreSQL and Redis, moto's S3 server and a mail
# server that records what it gets: an edit, a file, a task and the rate limits shared by
# the instances; SIGTERM and SIGKILL under load lose nothing. Writes docs/operations.md.
cluster-drill: $(STAMP) compilemessages
	$(PY) scripts/cluster_drill.py

# The database (pg_dump custom format) and the uploaded files, with a manifest of row counts
# and checksums, in var/backups/<time>/ (BACKUP_DIR to change); restore-drill proves the
# latest one restores completely into a scratch database.
backup: $(STAMP)
	$(PY) manage.py backup

restore-drill: $(STAMP)
	$(PY) manage.py restore_drill

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP)
	for lang in es pt_BR en; do \
	  $(PY) manage.py makemessages -l $$lang --no-location --ignore=.venv --ignore=var --ignore=tests; \
	done
