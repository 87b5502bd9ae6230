# Everyday commands. `make setup` is idempotent and installs everything the
# portal and its tests need: Debian's Chromium, LibreOffice headless and poppler,
# the npm packages (Pyodide, axe-core) and a virtual environment with the project
# and its test extras.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve site test bench golden lint clean

CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

OFFICE := /usr/bin/soffice /usr/bin/pdftoppm

setup: $(VENV)/.installed node_modules/.installed /usr/bin/chromium $(CJK_FONT) $(OFFICE)

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

test: setup
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	node --test tests/calculator/js/
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

golden: setup
	$(BIN)/python -m tests.golden.regenerate

lint: setup
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy

clean:
	rm -rf site .site-* .pytest_cache build dist
