# E-Channel — the two commands: `make demo` runs the platform with a demo programme,
# `make test` runs every check. Both install into .venv/ first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
ONLINE_RETAIL ?= ../shared/data/online_retail.csv.gz

.PHONY: install messages demo serve test lint check-deploy clean

$(STAMP): requirements.txt
	@# WeasyPrint (the PDFs) needs Pango from the system: installed here when missing, if we may.
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "install: Debian's Pango for WeasyPrint"; apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
		else echo "install: WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## install: create .venv/ and install the pinned dependencies, build the translations, and axe-core
install: $(STAMP) messages node_modules/.package-lock.json

# axe-core (the accessibility check the browser tests inject), pinned in package-lock.json, from npm.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "install: npm not found; the accessibility test will skip (apt-get install npm)"; fi

## messages: compile locale/*/LC_MESSAGES/django.po into .mo files (pure Python, no gettext needed)
messages: $(STAMP)
	$(BIN)/pybabel compile --statistics -d locale -D django

## demo: install, migrate, load the demo programme and serve it on http://127.0.0.1:8000/
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@# With the UCI Online Retail file beside the project, one SME carries its real history.
	if [ -f "$(ONLINE_RETAIL)" ]; then \
		$(BIN)/python manage.py load_demo --online-retail "$(ONLINE_RETAIL)"; \
	else \
		$(BIN)/python manage.py load_demo; \
	fi
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## lint: ruff (rules and formatting) and the import-layer contract
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py french_typography --check --settings=config.settings.test

## test: lint, import contract, then the whole suite
test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/pytest

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-output node_modules
