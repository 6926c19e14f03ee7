# Stoa: the two commands of the README, and the steps they are made of.
#
#   make run    install, prepare the database (demo city on first run) and serve on 127.0.0.1:$(PORT)
#   make test   install with the development tools, then every check CI runs: ruff, mypy,
#               import-linter, migrations in step with the models, and the whole pytest suite
#
# As root (a fresh machine, CI), missing Debian packages (gettext, chromium, npm, Pango) are installed
# with apt; otherwise the exact command to run is printed.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
# Test processes (pytest-xdist): one per core, at most 4. PYTEST_ARGS adds options, e.g. PYTEST_ARGS="-k demo".
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
PYTEST_ARGS ?=
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
# uv from PATH, else the copy `python3 -m pip install uv` puts beside python3.
UV = $$(command -v uv || echo python3 -m uv)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: help run test install install-dev uv assets messages chromium lint typecheck imports migrations-check \
        pytest setup clean pdflibs scan bandit audit deploy-check

help:
	@echo "make run    set up Stoa with the demo city and serve it on http://127.0.0.1:$(PORT) (PORT overrides)"
	@echo "make test   install what the tests need and run every check and the whole test suite"
	@echo "make lint   ruff, mypy, import-linter and the migrations check only"
	@echo "make clean  remove the virtual environment, node_modules and caches (keeps var/, your data)"

run: install assets messages pdflibs
	DEBUG=1 $(BIN)/stoa setup
	@echo "Stoa is starting on http://127.0.0.1:$(PORT)/ (stop it with Ctrl+C)"
	@DEBUG=1 $(BIN)/stoa manage runserver 127.0.0.1:$(PORT)

test: install-dev assets messages chromium pdflibs lint scan pytest

lint: install-dev
	$(BIN)/ruff check
	DEBUG=1 $(BIN)/mypy stoa
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/stoa manage makemigrations --check --dry-run

# Security scans: bandit (no high finding), pip-audit (no dependency with a known vulnerability) and
# Django's deployment check with the production settings of deploy/production.env.
scan: bandit audit deploy-check

bandit: install-dev
	$(BIN)/bandit -q -c pyproject.toml -r stoa --severity-level high

audit: install-dev
	@$(BIN)/pip-audit --local --progress-spinner off --format json --output $(VENV)/pip-audit.json \
	  || { cat $(VENV)/pip-audit.json; exit 1; }
	@$(BIN)/python -c "import json; d = json.load(open('$(VENV)/pip-audit.json'))['dependencies']; \
	  s = sum('skip_reason' in x for x in d); \
	  print(f'pip-audit: no known vulnerability in {len(d) - s} audited packages; {s} of {len(d)} unknown to the service')"

deploy-check: install
	set -a && . deploy/production.env && set +a && \
	  SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	  STOA_DATA_DIR=$$(mktemp -d) $(BIN)/stoa manage check --deploy --fail-level WARNING

pytest: install-dev assets messages chromium pdflibs
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# --- installation -----------------------------------------------------------------------------

uv:
	@command -v uv >/dev/null || python3 -m uv --version >/dev/null 2>&1 || { \
	  echo "Installing uv with pip"; \
	  python3 -m pip install --quiet uv || python3 -m pip install --quiet --user --break-system-packages uv; }

# --inexact keeps the development tools that `make test` may have installed in the same .venv.
install: uv
	$(UV) sync --frozen --inexact --python python3

install-dev: uv
	$(UV) sync --frozen --extra dev --python python3

# Front-end packages (Leaflet, geoman, Bootstrap, htmx, axe-core for the tests) from package-lock.json.
assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT_INSTALL) npm; \
	  else echo "npm is missing; install it with: sudo apt-get install npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

package-lock.json:
	npm install --package-lock-only --no-audit --no-fund

# Translations: compile the .po catalogues under stoa/ (gettext's msgfmt does the work).
messages: install
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT_INSTALL) gettext; \
	  else echo "msgfmt is missing; install it with: sudo apt-get install gettext"; exit 1; fi; }
	@if find stoa -name '*.po' -print -quit | grep -q .; then \
	  cd stoa && DEBUG=1 ../$(BIN)/stoa manage compilemessages --verbosity 0; \
	else echo "No translation catalogues yet: nothing to compile."; fi

# The browser tests drive Debian's chromium (Playwright's own download needs internet access).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT_INSTALL) chromium; \
	  else echo "The browser tests need Debian's chromium; install it with: sudo apt-get install chromium"; \
	       exit 1; fi; }

# WeasyPrint (PDF reports) draws text with Pango; DejaVu gives it fonts with accents.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
pdflibs:
	@/sbin/ldconfig -p | grep -q 'libpangoft2-1.0' && fc-list 2>/dev/null | grep -qi dejavu || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && $(APT_INSTALL) $(PDF_PACKAGES); \
	  else echo "PDF reports need Pango; install it with: sudo apt-get install $(PDF_PACKAGES)"; exit 1; fi; }

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
	find stoa tests -name __pycache__ -type d -prune -exec rm -rf {} +
