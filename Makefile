# PUX: `make run` sets up and starts the platform on SQLite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Exact versions (with hashes) of every runtime and dev dependency, made from pyproject.toml's ranges by `make lock`.
LOCK := requirements/lock.txt
UV_VERSION := 0.13.9
LOCALES := fr es ar zh ru en
PUX_VERSION = $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)

.PHONY: install run test lint lock messages clean

# The locked versions only (nothing resolved again), then PUX itself, editable, built by the locked setuptools;
# pip check fails when pyproject.toml asks for something the lock lacks (then run make lock).
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check || { echo "$(LOCK) does not match pyproject.toml: run make lock" >&2; exit 1; }
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

# Regenerate the lock from pyproject.toml (runtime + dev, the build backend and pip) for CPython 3.11 on
# Linux x86_64. Versions already locked are kept where the ranges allow; `make lock UPGRADE=1` takes the newest.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")' \
	  | $(BIN)/uv pip compile --quiet pyproject.toml - --extra dev --python-version 3.11 \
	    --python-platform x86_64-manylinux_2_28 --generate-hashes $(if $(UPGRADE),--upgrade) \
	    --custom-compile-command 'make lock' -o $(LOCK)

# Re-extract translatable strings and merge them into the six catalogues (then translate what is new, every
# plural form included). Headers are kept: their Plural-Forms is the rule of the locked Babel (tests/test_i18n.py).
messages: install
	$(BIN)/pybabel extract --no-location --project=PUX --version=$(PUX_VERSION) \
	  --copyright-holder='the PUX contributors' -F babel.cfg -o src/pux/locale/messages.pot src/pux
	for l in $(LOCALES); do \
	  if [ -f src/pux/locale/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching -l $$l -i src/pux/locale/messages.pot -d src/pux/locale; \
	  else $(BIN)/pybabel init -l $$l -i src/pux/locale/messages.pot -d src/pux/locale; fi; \
	done
	$(BIN)/python tools/fill_source_catalogue.py src/pux/locale/en/LC_MESSAGES/messages.po

clean:
	rm -rf $(VENV) var test-artifacts
