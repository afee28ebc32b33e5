# Digital Buying Guide: `make run` to serve the site, `make test` to test everything.
VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install test test-deps browser-deps java-deps pdf-deps messages compilemessages gettext lint \
        format migrations migrations-check check-deploy translations bench bench-miss bench-load clean ci lock lock-check

## run: fresh clone -> site on http://127.0.0.1:8000 with all content (SQLite, no other service)
run: install pdf-deps compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_content
	@# PDFs are built in the background (about 30 s), so the site is up at once; a PDF asked
	@# for before its turn is built on that request.
	DJANGO_LOG_LEVEL=WARNING $(MANAGE) build_pdfs -v0 & $(MANAGE) runserver $(HOST):$(PORT)

# Installed from the lock (exact versions and hashes), never from pyproject.toml's ranges,
# so two installs a month apart get the same packages. See `make lock`.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@$(PYTHON) scripts/requirements_lock.py check
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

## lock-check: fails ("run make lock") when pyproject.toml changed since the lock files
lock-check:
	@$(PYTHON) scripts/requirements_lock.py check

LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
              --no-emit-find-links
## lock: pin every dependency with hashes (production, and with the dev tools); commit both
lock:
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip-tools>=7.4,<8"
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --extra dev -o requirements-dev.lock pyproject.toml
	$(PYTHON) scripts/requirements_lock.py stamp

## test: install everything the suite needs, then run it all (unit, content and browser tests)
test: lock-check install test-deps compilemessages
	$(MANAGE) makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run make migrations"; exit 1; }
	$(PY) -m pytest $(PYTEST_ARGS)

test-deps: browser-deps java-deps pdf-deps node_modules/.installed

# Debian's Chromium and its driver, for the browser tests; installed when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  echo "Installing Debian chromium and chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# A Java runtime for the Nu Html Checker (vnu.jar, from npm); installed when missing.
java-deps:
	@if ! command -v java >/dev/null 2>&1; then \
	  echo "Installing Debian default-jre-headless (Java, for the Nu Html Checker)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	fi

# Debian's Pango (with HarfBuzz subsetting) and DejaVu fonts, for WeasyPrint's PDFs.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps: install
	@if ! $(PY) -c "import weasyprint" >/dev/null 2>&1 || ! test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; then \
	  echo "Installing Debian $(PDF_PACKAGES) for the PDFs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	fi

# A current axe-core and the Nu Html Checker, pinned in package.json / package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GNU gettext's xgettext, only for extracting strings (make messages); compiling needs none.
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  echo "Installing GNU gettext (xgettext) to extract interface strings"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

## compilemessages: build the .mo files from every */LC_MESSAGES/django.po (Python: polib)
compilemessages: install
	$(MANAGE) compile_translations -v0

## messages: extract interface strings into the .po files, then compile them
messages: install gettext
	$(MANAGE) makemessages -l es -l id --no-obsolete --add-location=file --ignore=.venv --ignore=node_modules --ignore=tests --ignore=content -v0
	@# File-level locations and no creation date: a .po file changes only when its strings do,
	@# so branches that touch the same templates do not conflict on line numbers.
	find . -path ./.venv -prune -o -path ./node_modules -prune -o -name django.po -path '*/LC_MESSAGES/*' -print \
	  | xargs sed -i '/^"POT-Creation-Date: /d'
	$(MANAGE) compile_translations -v0

## translations: what is missing or out of date, per page and language
translations: install
	$(MANAGE) translation_status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## migrations: write the migrations for changed models (then commit them)
migrations: install
	$(MANAGE) makemigrations

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

## check-deploy: Django's deployment checklist with production settings
check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=example.org SITE_URL=https://example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

## bench: gunicorn + wrk load test on loopback (add ARGS="--case-studies 1000")
bench: install compilemessages
	$(PY) bench/run.py $(ARGS)

## bench-miss: server CPU and queries of an uncached page, in process (ARGS="--profile topic")
bench-miss: compilemessages
	$(PY) bench/miss.py $(ARGS)

## bench-load: load_content, index rebuild and uncached search at scale (ARGS="--case-studies 10000 --database postgres")
bench-load: compilemessages
	$(PY) bench/load.py $(ARGS)

ci: lint test

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache db.sqlite3
