# Majlis: `make run` to try it, `make test` to check it. Nothing else to install by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two workers: the machines this runs on have two cores.
PYTEST_ARGS ?= -n 2
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck messages clean-var help

help:
	@echo "make run   - install, migrate, load the demo (Tashkent 2022 and the practice conference) and serve on http://127.0.0.1:$(PORT)"
	@echo "make test  - run the test suite (SQLite; set DATABASE_URL for PostgreSQL)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Majlis needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/majlis migrate --no-input
	$(BIN)/majlis demo --base-url http://127.0.0.1:$(PORT)
	$(BIN)/majlis serve --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

messages: $(STAMP)
	cd src/majlis && MAJLIS_VAR_DIR=../../var ../../$(BIN)/majlis makemessages --no-obsolete --no-location -l ru -l uz && MAJLIS_VAR_DIR=../../var ../../$(BIN)/majlis compilemessages

clean-var:
	rm -rf var
