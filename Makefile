# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages site-messages guide-screenshots

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

## Run Liaison: web server, worker, beat and the development outbox. Ctrl-C stops everything.
run: $(STAMP)
	$(PY) devtools/run.py

## Refresh the staff guide's pictures (docs/screenshots/) from its browser walk.
guide-screenshots: $(STAMP)
	GUIDE_SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest tests/browser/test_staff_guide.py -q

## Run the whole test suite (against PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: $(STAMP)
	bash devtools/ensure_test_tools.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Rebuild the staff-facing message catalogues (zh-Hans) after changing strings.
# site_cms/locale is the public site's own catalogue (site-messages); ignoring it here puts
# site_cms's staff-facing strings into locale/ with everything else (tests/unit/test_translations.py).
messages: $(STAMP)
	env -u DJANGO_SETTINGS_MODULE $(VENV)/bin/django-admin makemessages -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=devtools \
		--ignore=site_cms/locale --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var

## Rebuild the public site's interface catalogues (every site language) from the templates and
## site_cms/locale/translations.py; fails when a string has no translation.
site-messages: $(STAMP)
	# Without Django settings, so that the catalogues land in site_cms/locale, not in locale/.
	cd site_cms && env -u DJANGO_SETTINGS_MODULE ../$(VENV)/bin/django-admin makemessages \
		-l zh_Hans -l en -l de -l ja -l ru -l ar --no-obsolete --add-location file \
		--ignore='models/*' --ignore='services/*' --ignore='migrations/*' --ignore='management/*' \
		--ignore=page_cache.py --ignore=signals.py --ignore=apps.py --ignore=wagtail_hooks.py --ignore='locale/*'
	$(PY) site_cms/locale/translations.py
	cd site_cms && env -u DJANGO_SETTINGS_MODULE ../$(VENV)/bin/django-admin compilemessages
