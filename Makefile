# Every target sets up .venv from the pinned requirements first, so one command works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `python -m kb` finds the kb package in hooks/; MkDocs itself needs no variable (the hook finds it)
KB     := PYTHONPATH=hooks $(BIN)/python -m kb
# BRANCH=<name>: serve, build and check branches/<name>/ (its mkdocs.yml INHERITs the shared one; its site
# is written to branches/<name>/site/)
BRANCH ?=
CONFIG := $(if $(BRANCH),--config-file branches/$(BRANCH)/mkdocs.yml)

.PHONY: serve build check schema test bench bench-search clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

serve: $(STAMP) ## build and serve on http://127.0.0.1:8000, rebuilding when docs/, data/ or hooks/ change
	$(BIN)/mkdocs serve $(CONFIG) --dev-addr 127.0.0.1:8000

build: $(STAMP) ## build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict $(CONFIG)

check: $(STAMP) ## validate data/ (and the branch's, with BRANCH=<name>) and print every mistake
	$(KB) check $(if $(BRANCH),--branch $(BRANCH))

schema: $(STAMP) ## regenerate schema/*.schema.json from hooks/kb/model.py
	$(KB) schema

test: $(STAMP) ## every test: model, site, browser
	$(BIN)/python -m pytest

bench: $(STAMP) ## build time and size
	$(BIN)/python -m benchmarks.build

bench-search: $(STAMP) ## recall@5 and latency of the real search in headless Chromium
	$(BIN)/python -m benchmarks.search

clean:
	rm -rf site .pytest_cache
