# One entry point for people and CI. `make run` and `make test` work on a fresh clone.
# Debian's own Python 3.11 where there is one: on this site's pages it runs 1.2-1.5 times as fast
# as a plain build from source of the same version (pyenv's, say); `PYTHON=...` picks another.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3.11)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := zone_site.settings

.PHONY: help install system-packages migrate load static run dev test test-postgres lint admin illustrations css messages backup clean bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate  ## create .venv and install the pinned requirements

migrate: install  ## apply database migrations
	$(PY) manage.py migrate --noinput

load: migrate  ## load the zone's content (safe to repeat)
	$(PY) manage.py load_zone

static: install  ## collect static files for whitenoise
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: load static  ## serve the site with gunicorn on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py zone_site.wsgi

dev: load  ## runserver with DEBUG on
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install  ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

system-packages:  ## Debian packages the tests need (Chromium), installed where missing
	./scripts/install-system-packages

test: install system-packages  ## ruff (lint and format), Django's checks, the migrations check, then pytest with coverage
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest --cov --cov-report=term:skip-covered

test-postgres: install  ## the same suite on a real PostgreSQL server (and Redis), started and stopped here
	./scripts/test-postgres

backup: install  ## back up the database (SQLite or PostgreSQL) and the uploaded media into var/backups/
	$(PY) manage.py backup_site

admin: migrate  ## create a superuser for the admin
	$(PY) manage.py createsuperuser

css:  ## rebuild the Bootstrap subset in static/vendor from static/scss (needs npm; the result is committed)
	./scripts/build-css

illustrations: install  ## redraw the park and industry illustrations into fixtures/media
	$(PY) manage.py generate_illustrations

clean:  ## remove the virtualenv and local data
	rm -rf $(VENV) var

messages: install system-packages  ## refresh the Chinese catalogue from the code, then compile it
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=var --ignore=tests --ignore=screenshots
	msgfmt --check --statistics -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po

screenshots: install system-packages  ## full-page PNGs of home, a park and the calculator at 375 and 1280 px into screenshots/
	$(PY) scripts/screenshots.py

bench: install  ## build a scaled dataset, serve it and the fixtures with gunicorn, measure every page type into bench/results.json
	$(PY) -m bench
