# Samverkan: `make run` starts the demo, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed

.PHONY: run install test lint format migrations-check worker beat bench seed messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/vnu-jar/build/dist/vnu.jar || ! command -v npm >/dev/null || npm ci --silent --no-audit --no-fund  # axe-core for the browser tests' accessibility checks, vnu-jar for the HTML check

var:
	mkdir -p var

run: install var
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

seed: install var
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install var
	$(MANAGE) makemigrations --check --dry-run

test: install var lint migrations-check
	$(MANAGE) check
	$(BIN)/pytest $(PYTEST_ARGS)

worker: install
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run a worker." && exit 1)
	$(BIN)/celery -A rus worker --loglevel=info

beat: install var
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run beat." && exit 1)
	$(BIN)/celery -A rus beat --loglevel=info --schedule var/celerybeat-schedule

bench: install var
	$(BIN)/python -m bench

# Swedish is the source language; locale/en holds the English translation (compiled .mo committed).
messages: install
	$(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
	$(MANAGE) compilemessages -l en --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) var/staticfiles
