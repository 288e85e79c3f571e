# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

## Run Liaison: web server, worker, beat and the development outbox. Ctrl-C stops everything.
run: $(STAMP)
	$(PY) devtools/run.py

## Run the whole test suite (against PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: $(STAMP)
	bash devtools/ensure_browser.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Rebuild the staff-facing message catalogues (zh-Hans) after changing strings.
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv
