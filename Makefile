# PUX: `make run` sets up and starts the platform on SQLite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCALES := fr es ar zh ru en

.PHONY: install run test lint messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/pux init
	$(BIN)/pux demo
	$(BIN)/pux serve

test: install
	bash scripts/run-tests.sh

lint: install
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Re-extract translatable strings and merge them into the six catalogues (then translate what is new).
messages: install
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -o src/pux/locale/messages.pot src/pux
	for l in $(LOCALES); do \
	  if [ -f src/pux/locale/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching --omit-header -l $$l -i src/pux/locale/messages.pot -d src/pux/locale; \
	  else $(BIN)/pybabel init -l $$l -i src/pux/locale/messages.pot -d src/pux/locale; fi; \
	done
	$(BIN)/python tools/fill_source_catalogue.py src/pux/locale/en/LC_MESSAGES/messages.po

clean:
	rm -rf $(VENV) var test-artifacts
