# Two commands do all set-up on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# qpdf: the crash-safety harness checks every PDF with `qpdf --check`.
# chromium and its driver: the review page's browser test (Selenium).
SYS_PKGS := tesseract-ocr tesseract-ocr-vie poppler-utils qpdf chromium chromium-driver
# Only the benches and the OCR-channel build need these: fonts with every Vietnamese letter to
# render text in (Liberation 1.x lacks them, hence liberation2).
BUILD_PKGS := fonts-liberation2 fonts-dejavu-core fonts-freefont-ttf fonts-noto-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all sysdeps builddeps venv demo test bench channel schemas clean

all: test

# Installs the system packages only when one is missing, so a set-up machine needs no root.
sysdeps:
	@if ! command -v tesseract >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v qpdf >/dev/null \
	    || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then \
	  echo "installing $(SYS_PKGS) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYS_PKGS); \
	fi

$(BIN)/planscan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,dask]'
	@touch $@

venv: $(BIN)/planscan

# The main job: convert every sample (scans are OCR'd, English-OCR text restored), then put the two
# years' figures side by side and check the 2021 plan's stated changes against the 2020 plan.
demo: sysdeps venv
	$(BIN)/planscan batch samples -o out
	$(BIN)/planscan diff out/tuangiao-2020/scan-harsh.indicators.jsonl out/tuangiao-2021/scan-harsh.indicators.jsonl \
	  --format markdown -o out/diff-2020-2021.md
	$(BIN)/planscan sections out/tuangiao-2021/scan-harsh.ocr.json --no-bullets
	@echo "outputs in out/: searchable PDFs, .txt, .ocr.json, .indicators.jsonl, summary.csv, diff-2020-2021.md"

test: sysdeps venv
	$(BIN)/python -m pytest -q

builddeps: sysdeps
	@if ! fc-list | grep -q liberation2/LiberationSerif-Regular || ! fc-list | grep -q NotoSerif-Regular \
	    || ! fc-list | grep -q FreeSerif || ! fc-list | grep -q DejaVuSerif; then \
	  echo "installing $(BUILD_PKGS) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BUILD_PKGS); \
	fi

# The OCR channel tables, learnt from ../shared/text-corpus rendered and read back by Tesseract.
channel: builddeps venv
	nice $(BIN)/python scripts/build_channel.py

bench: builddeps venv
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/restore.py
	$(BIN)/python bench/extract.py

schemas: venv
	$(BIN)/python -m planscan.schemas.generate

clean:
	rm -rf out .pytest_cache build *.egg-info
