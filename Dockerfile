# syntax=docker/dockerfile:1
# Digital Buying Guide: production image (gunicorn + whitenoise). See docs/operations.md.
#
#   docker build -t buyingguide .
#   docker run --rm -p 8000:8000 -e DJANGO_SECRET_KEY=… -e DJANGO_ALLOWED_HOSTS=buying.example.org \
#     -e SITE_URL=https://buying.example.org -e DATABASE_URL=postgres://… -e CACHE_URL=redis://… \
#     buyingguide
#
# Every RUN below that calls manage.py is also run by tests/test_production_image.py (no
# Docker engine needed), so keep them as plain shell commands.

ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: dependencies into a venv, translations compiled, static files collected -----
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

# Dependencies first, from the lock alone (exact versions, checked hashes: the same packages
# in every build), so code changes reuse this layer. `make lock` writes it from pyproject.toml.
WORKDIR /src
COPY requirements.lock ./
RUN pip install --upgrade pip && pip install --require-hashes -r requirements.lock

WORKDIR /app
COPY . .

# Translations compiled with polib (a dependency): no gettext system package needed.
RUN DJANGO_SETTINGS_MODULE=buyingguide.settings.base python manage.py compile_translations -v0

# Hashed, compressed files and their manifest for whitenoise. The secret, host and origin here
# exist only for this build step: production settings refuse to load without them (and refuse
# a secret written down anywhere, so it is random and thrown away).
RUN DJANGO_SETTINGS_MODULE=buyingguide.settings.base DJANGO_DEBUG=0 \
    DJANGO_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))') \
    DJANGO_ALLOWED_HOSTS=build.invalid SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput -v0

# --- final: slim runtime, non-root ---------------------------------------------------------
FROM ${PYTHON_IMAGE}

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=buyingguide.settings.base \
    DJANGO_DEBUG=0 \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    GUNICORN_THREADS=4

# Pango and fonts for WeasyPrint (PDFs of the guide, printing app); built PDFs go to /data/pdf
# (mount a volume shared by all instances there, see docs/operations.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV PDF_ROOT=/data/pdf

# The app user owns nothing in /app (code is read-only to it); /data is the one writable
# place, for an SQLite file or media when someone tries the image without PostgreSQL.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app \
    && mkdir /data && chown app:app /data

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app

USER app:app
EXPOSE 8000

# No curl in slim: Python asks /healthz (liveness: 200 while the process answers; /readyz
# also checks the database and cache, for a balancer) on loopback, with no
# proxy and no redirect, and a Host header from DJANGO_ALLOWED_HOSTS so the host check passes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import http.client, os, sys; host = (os.environ.get('DJANGO_ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost'); c = http.client.HTTPConnection('127.0.0.1', int(os.environ.get('PORT', '8000')), timeout=4); c.request('GET', '/healthz', headers={'Host': host}); sys.exit(0 if c.getresponse().status == 200 else 1)"]

# gthread workers keep connections alive; WEB_CONCURRENCY processes × GUNICORN_THREADS
# threads. The access log goes to stdout with the rest of the logs.
CMD exec gunicorn buyingguide.wsgi:application --bind 0.0.0.0:${PORT:-8000} \
    --workers ${WEB_CONCURRENCY:-2} --worker-class gthread --threads ${GUNICORN_THREADS:-4} \
    --access-logfile -
