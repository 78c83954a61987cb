# Every target sets up .venv from the pinned requirements first, so one command works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `python -m kb` finds the kb package in hooks/; MkDocs itself needs no variable (the hook finds it)
KB     := PYTHONPATH=hooks $(BIN)/python -m kb
# test tools from npm (axe-core for the accessibility tests), exactly as package-lock.json pins them
NODE_STAMP := node_modules/.installed
# BRANCH=<name>: serve, build and check branches/<name>/ (its mkdocs.yml INHERITs the shared one; its site
# is written to branches/<name>/site/)
BRANCH ?=
CONFIG := $(if $(BRANCH),--config-file branches/$(BRANCH)/mkdocs.yml)

.PHONY: serve build check schema test deploy-test bench bench-search misses clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

serve: $(STAMP) ## build and serve on http://127.0.0.1:8000, rebuilding when docs/, data/ or hooks/ change
	$(BIN)/mkdocs serve $(CONFIG) --dev-addr 127.0.0.1:8000

build: $(STAMP) ## build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict $(CONFIG)

check: $(STAMP) ## validate data/ (and the branch's, with BRANCH=<name>) and print every mistake
	$(KB) check $(if $(BRANCH),--branch $(BRANCH))

schema: $(STAMP) ## regenerate schema/*.schema.json from hooks/kb/model.py
	$(KB) schema

test: $(STAMP) $(NODE_STAMP) ## every test: model, site, browser
	$(BIN)/python -m pytest

deploy-test: $(STAMP) $(NODE_STAMP) ## the site behind Debian's nginx with deploy/nginx/ (started by the tests on 127.0.0.1, no root)
	$(BIN)/python -m pytest -m deploy

bench: $(STAMP) ## scale: check, build, memory, site, search and serve figures at ×1, ×10, ×100 (FACTORS="1 10" for a subset)
	$(BIN)/python -m benchmarks.build $(if $(FACTORS),--factors $(FACTORS))

bench-search: $(STAMP) ## search quality (top-1/3/5, MRR per set and kind, ablation) and latency in headless Chromium, then size and speed at 10,000 entries
	$(BIN)/python -m benchmarks.search
	$(BIN)/python -m benchmarks.search_scale

misses: $(STAMP) ## searches without a good match, results opened below the first: make misses LOG=/var/log/nginx/access.log [OUT=logged.yaml]
	@test -n "$(LOG)" || { echo "make misses LOG=path/to/access.log [OUT=queries.yaml]"; exit 2; }
	$(KB) misses "$(LOG)" $(if $(OUT),--queries-out "$(OUT)")

clean:
	rm -rf site .cache .pytest_cache node_modules
