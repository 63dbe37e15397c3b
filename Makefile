# Gongkai. A fresh machine needs Python 3.11+ and make; everything else comes from PyPI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint check messages setup security lock

# Installs exactly the locked versions, each checked against its hash (security.md SCA-01). The
# .txt files name what we depend on; `make lock` writes the .lock files from them.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gongkai needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

setup: $(VENV)/.installed
	@$(PY) scripts/compile_translations.py

## make run: set up, migrate SQLite, load the demo district once, start the job runner, serve :$(PORT)
run: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py clean_staged_files --all
	@echo "Gongkai: http://127.0.0.1:$(PORT)/   staff workbench: http://127.0.0.1:$(PORT)/staff/"
	DEBUG=true $(PY) manage.py run_huey --quiet & HUEY_PID=$$!; \
	trap 'kill $$HUEY_PID 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite on SQLite (browser tests run when chromium is installed)
test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

## make lint: ruff (style, complexity), ruff format, and mypy with django-stubs (strict on core)
lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=true $(PY) -m mypy

## make check: migrations in step with models, docs/workflows.md drawn from the tables, deploy
## checks, translations complete
check: setup
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=true $(PY) manage.py workflows_doc --check
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=gongkai.example.gov.cn \
		AUDIT_HMAC_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		PERSONAL_DATA_KEYS=check:$$($(PY) -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())') \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest -q tests/test_translations.py

## make messages: extract new msgids into locale/zh_Hans (needs GNU gettext), then translate them
messages: setup
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=var --ignore=bench
	@$(PY) scripts/fill_translations.py --list | sed 's/^/untranslated: /'
	@$(PY) scripts/compile_translations.py

## make security: static analysis (bandit) and the known-vulnerability audit of the installed packages
# B608 (SQL built from strings) is left to ruff's S608, which flags the same statements and makes
# each one carry a reviewed noqa (table and column names from the schema, values as parameters).
security: setup
	$(PY) -m bandit -q -r gongkai config -ll -s B608
	$(PY) scripts/audit_dependencies.py

## make lock: re-resolve requirements*.txt into the hashed lock files (needs the package index)
lock: setup
	$(VENV)/bin/uv pip compile requirements.txt --generate-hashes --universal --python-version 3.11 -q -o requirements.lock
	$(VENV)/bin/uv pip compile requirements-dev.txt --generate-hashes --universal --python-version 3.11 -q -o requirements-dev.lock
