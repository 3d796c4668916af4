# Welcome Desk. `make run` and `make test` each set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_EVENT := Riverside Business Breakfast

.PHONY: run test lint format bench package clean screenshots deps-run deps-test deps-package

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Welcome Desk needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

deps-run:
	@sh packaging/system-deps.sh run

deps-test:
	@sh packaging/system-deps.sh test

run: deps-run $(STAMP)
	$(BIN)/checkin demo
	$(BIN)/checkin gui --event "$(DEMO_EVENT)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: deps-test $(STAMP) lint
	@if [ "$$CHECKIN_TEST_PACKAGE" = 1 ]; then $(BIN)/python -m pip install -q -e ".[package]"; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: deps-test $(STAMP)
	$(BIN)/python -m bench $(ARGS)

screenshots: deps-test $(STAMP)
	for size in 1280x720 1366x768 1920x1080; do \
	  xvfb-run -a -s "-screen 0 $${size}x24" sh -c 'openbox & wm=$$!; sleep 1; \
	    QT_QPA_PLATFORM=xcb $(BIN)/python -m tools.screenshots docs/screenshots; \
	    status=$$?; kill $$wm; exit $$status' || exit 1; \
	done

deps-package:
	@sh packaging/system-deps.sh package

package: deps-package $(STAMP)
	$(BIN)/python -m pip install -q -e ".[package]"
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/welcome-desk.spec

clean:
	rm -rf build dist .pytest_cache .ruff_cache
