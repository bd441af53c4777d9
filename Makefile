# Gemilang — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Links in QR codes and the Midtrans simulator's notifications must reach this very server.
SITE_URL ?= http://$(HOST):$(PORT)
STAMP := $(VENV)/.installed

.PHONY: run test install lint format bench populatedb schema messages migrate ci clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)
	$(PY) scripts/compile_messages.py

migrate: install
	$(PY) manage.py migrate --noinput

run: install
	@mkdir -p var
	SITE_URL=$(SITE_URL) $(PY) manage.py setup_if_empty
	@echo "Gemilang is serving on http://$(HOST):$(PORT)/  (demo password: gemilang123)"
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

populatedb: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py populatedb

schema: install
	$(PY) manage.py graphql_schema --schema graphql_api.schema.schema --out graphql_api/schema.graphql

bench: install
	$(PY) bench/run.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
