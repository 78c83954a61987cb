# Every target sets up .venv from the pinned requirements first, so one command works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# test tools (pytest, Playwright, …) on top: only `make test` and the benchmarks need them
DEV_STAMP := $(VENV)/.installed-dev
# `python -m kb` finds the kb package in hooks/; MkDocs itself needs no variable (the hook finds it)
KB     := PYTHONPATH=hooks $(BIN)/python -m kb
# test tools from npm (axe-core for the accessibility tests), exactly as package-lock.json pins them
NODE_STAMP := node_modules/.installed
# BRANCH=<name>: serve, build and check branches/<name>/ (its mkdocs.yml INHERITs the shared one; its site
# is written to branches/<name>/site/)
BRANCH ?=
# Values typed after `make` are names, never make or shell syntax: each is kept exactly as typed (`$(value)`:
# make does not expand it) and reaches the recipes in the environment, where commands read it quoted
# ("$$BRANCH"); `python -m kb` says whether BRANCH names a folder under branches/ before anything runs.
override BRANCH := $(value BRANCH)
override LOG := $(value LOG)
override OUT := $(value OUT)
override TOP := $(value TOP)
override FACTORS := $(value FACTORS)
override KIND := $(value KIND)
override ID := $(value ID)
override FILE := $(value FILE)
export BRANCH LOG OUT TOP FACTORS KIND ID FILE
BRANCH_OK := $(if $(BRANCH),$(KB) branch --branch="$$BRANCH" &&)
CONFIG := $(if $(BRANCH),--config-file "branches/$$BRANCH/mkdocs.yml")

.PHONY: serve build check new schema test deploy-test bench bench-search misses lock clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $(DEV_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

serve: $(STAMP) ## build and serve on http://127.0.0.1:8000, rebuilding when docs/, data/ or hooks/ change
	$(BRANCH_OK) $(BIN)/mkdocs serve $(CONFIG) --dev-addr 127.0.0.1:8000

build: $(STAMP) ## build the site into site/ (strict: any warning fails)
	$(BRANCH_OK) $(BIN)/mkdocs build --strict $(CONFIG)

check: $(STAMP) ## validate data/ (and the branch's, with BRANCH=<name>) and print every mistake
	$(KB) check $(if $(BRANCH),--branch="$$BRANCH")

# KIND, ID and FILE, kept as typed (above), reach the command as environment variables, read quoted
new: $(STAMP) ## add an entry skeleton: make new KIND=scenario ID=late-refund [FILE=data/scenarios/billing.yaml]
	@test -n "$$KIND" -a -n "$$ID" || { echo "make new KIND=scenario ID=late-refund [FILE=data/scenarios/billing.yaml]"; exit 2; }
	$(KB) new --kind "$$KIND" --id "$$ID" $${FILE:+--file "$$FILE"}

schema: $(STAMP) ## regenerate schema/*.schema.json from hooks/kb/model.py
	$(KB) schema

# two workers (pytest-xdist), one per core of the machines here: the suite is half builds and browsers
test: $(DEV_STAMP) $(NODE_STAMP) ## every test: model, site, browser
	$(BIN)/python -m pytest -n 2

deploy-test: $(DEV_STAMP) $(NODE_STAMP) ## the site behind Debian's nginx with deploy/nginx/ (started by the tests on 127.0.0.1, no root)
	$(BIN)/python -m pytest -m deploy

bench: $(DEV_STAMP) ## scale: check, build, memory, site, search and serve figures at ×1, ×10, ×100 (FACTORS="1 10" for a subset)
	$(BIN)/python -m benchmarks.build $(if $(FACTORS),--factors $$FACTORS)

bench-search: $(DEV_STAMP) ## search quality (top-1/3/5, MRR per set and kind, ablation) and latency in headless Chromium, then size and speed at 10,000 entries
	$(BIN)/python -m benchmarks.search
	$(BIN)/python -m benchmarks.search_scale

misses: $(STAMP) ## searches without a good match, results opened below the first: make misses LOG=/var/log/nginx/access.log [OUT=logged.yaml] [TOP=50]
	@test -n "$$LOG" || { echo "用法：make misses LOG=网站访问日志的路径 [OUT=queries.yaml] [TOP=50]"; exit 2; }
	$(KB) $(if $(OUT),--queries-out="$$OUT") $(if $(TOP),--top="$$TOP") -- misses "$$LOG"

# pip-tools in a venv of its own (not a dependency of the site or the tests); the README says when to run this
LOCK_VENV := .lock-venv
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-find-links --no-emit-index-url --no-emit-trusted-host
lock: ## rewrite requirements.txt and requirements-dev.txt from the .in files (UPGRADE=1: newest versions allowed)
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools==7.7.0; }
	$(PIP_COMPILE) $(if $(UPGRADE),--upgrade) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) $(if $(UPGRADE),--upgrade) --output-file requirements-dev.txt requirements-dev.in

clean:
	rm -rf site .cache .pytest_cache node_modules
