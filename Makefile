# settop: two commands. `make run` sets up and starts the app; `make test` sets up and runs every check.
# `make install` puts a `settop` command for this checkout in ~/.local/bin (PREFIX=... elsewhere).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PREFIX ?= $(HOME)/.local

.PHONY: install run test lint typecheck pytest bench fuzz setup system-deps-run system-deps-test clean

run: system-deps-run $(STAMP)
	$(BIN)/settop --demo-if-empty $(ARGS)

install: system-deps-run $(STAMP)
	install -d $(PREFIX)/bin
	ln -sf $(CURDIR)/$(BIN)/settop $(PREFIX)/bin/settop
	@echo "settop is $(PREFIX)/bin/settop (make sure $(PREFIX)/bin is on your PATH)"

test: system-deps-test $(STAMP) lint typecheck pytest

setup: system-deps-test $(STAMP)

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check settop tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy settop tests bench

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: system-deps-test $(STAMP)
	$(BIN)/python -m bench

fuzz: system-deps-test $(STAMP)
	SETTOP_FUZZ_SECONDS=$${SETTOP_FUZZ_SECONDS:-60} $(BIN)/python -m pytest -q -m "not vlc" tests -k fuzz -p no:cacheprovider

clean:
	rm -rf $(VENV) build *.egg-info
