# Everyday commands. `make setup` is idempotent and installs everything the
# portal and its tests need: Debian's Chromium, LibreOffice headless and poppler,
# the npm packages (Pyodide, axe-core) and a virtual environment with the project
# and its test extras.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup venv serve site test test-fast bench golden lint clean

CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

OFFICE := /usr/bin/soffice /usr/bin/pdftoppm

setup: venv node_modules/.installed /usr/bin/chromium $(CJK_FONT) $(OFFICE)

# The virtual environment alone (the project and its test extras): enough for `make lint`,
# without root.
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium (never `playwright install`) and CJK fonts for the pages' Chinese.
# `env` passes DEBIAN_FRONTEND through sudo, which would drop it from the environment;
# `&:` (grouped targets, GNU make 4.3) runs the recipe once when both are missing.
/usr/bin/chromium $(CJK_FONT) &:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

# LibreOffice headless (no GUI variants) and poppler: the tests open every .docx/.xlsx
# download as people do, convert it to PDF and read its pages back (pdfinfo, pdftotext).
$(OFFICE) &:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils

serve: setup
	$(BIN)/ceportal serve

site: setup
	$(BIN)/ceportal build

# Every JavaScript test file under tests/ (node --test is given them by name).
JS_TESTS = $(sort $(shell find tests -name '*.test.js' -o -name '*.test.mjs'))

# Everything, every tier: what CI runs (.ci/run).
test: setup
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	node --test $(JS_TESTS)
	$(BIN)/python -m pytest

# While working: every test but those that start Chromium, Node.js (Pyodide), LibreOffice,
# a site build, `ceportal serve` or the command in a child process, or are slow
# (tests/tiers.py). A test that starts one of those without its marker fails here.
test-fast: venv
	node --test $(JS_TESTS)
	$(BIN)/python -m pytest --fast

bench: setup
	$(BIN)/python bench/run.py

golden: setup
	$(BIN)/python -m tests.golden.regenerate

lint: venv
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy

clean:
	rm -rf site .site-* .pytest_cache build dist
