# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
DEV_STAMP := $(VENV)/.requirements-dev-installed
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint format setup setup-dev requirements db bench stress mutation clean

setup: $(STAMP)

# Runtime packages only (what `make run` needs), pinned with hashes.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $(STAMP)

# Tests, lint, browser driver and the mock identity provider, on top of the runtime.
setup-dev: $(DEV_STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $(DEV_STAMP)

# Re-pin after editing requirements.in or requirements-dev.in (pip-tools, hashes included).
requirements: setup
	$(PY) -m pip install --quiet pip-tools
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links \
		-o requirements.txt requirements.in
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links \
		-o requirements-dev.txt requirements-dev.in

# Migrate the database and load the sample units into an empty register.
db: setup
	$(PY) -m logic migrate
	$(PY) -m logic seed --demo-history

run: db
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: setup-dev
	scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

# Mutation testing of the policy code and the record (mutmut; pyproject [tool.mutmut]); slow,
# not part of `make test`. Prints the score per module and every survivor, and writes
# docs/mutation.md (each survivor with its reason from docs/mutation-survivors.yaml).
# It goes on where the last measurement stopped: the results are kept with the code
# (docs/mutation-results.json, scripts/mutation_state.py) and only mutants without one, or of
# a function changed since, are run. From scratch: rm -rf mutants docs/mutation-results.json
# MUTATION_SAMPLE: how many mutants of each module are measured (a fixed random sample; the
# score of a module not measured whole is its sample's); `all` measures every mutant (days).
# MUTATION_JOBS: mutants tested at once (1 on a machine shared with others).
# MUTANTS: only these mutants, run again (mutmut's names, e.g. "logic.domain.validation*").
MUTATION_SAMPLE ?= 50
MUTATION_JOBS ?= 2
MUTANTS ?=
MUTMUT = TEST_DATABASE_URL="$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}" \
	MUTATION_SAMPLE=$(MUTATION_SAMPLE) $(PY) -m mutmut
mutation: setup-dev
	mkdir -p var
	$(PY) scripts/mutation_state.py restore
	rm -f mutants/mutmut-stats.json  # which tests reach which function: collected afresh
	@echo "making the mutants and finding which tests reach each function (minutes)"
	$(MUTMUT) run "logic.no_such_mutant" > var/mutation.log 2>&1 || test -f mutants/mutmut-stats.json \
		|| (tail -30 var/mutation.log; exit 1)
	$(if $(MUTANTS),printf '%s\n' $(foreach m,$(MUTANTS),"$(m)"),$(PY) scripts/mutation_state.py sample $(MUTATION_SAMPLE)) \
		> var/mutation-mutants.txt
	@if [ "$(MUTATION_SAMPLE)$(MUTANTS)" = all ]; then echo "every mutant without a result to run (progress in var/mutation.log)"; \
	else echo "$$(wc -l < var/mutation-mutants.txt) mutants to run (var/mutation-mutants.txt; progress in var/mutation.log)"; fi
	set -f; test "$(MUTATION_SAMPLE)$(MUTANTS)" != all -a ! -s var/mutation-mutants.txt \
		|| $(MUTMUT) run --max-children $(MUTATION_JOBS) $$(cat var/mutation-mutants.txt) >> var/mutation.log 2>&1 \
		|| ($(PY) scripts/mutation_state.py save; tail -30 var/mutation.log; exit 1)
	$(PY) scripts/mutation_state.py save
	MUTATION_SAMPLE=$(MUTATION_SAMPLE) $(PY) scripts/mutation_report.py

# How the app scales (benchmarks/bench.py, 15-30 minutes); prints and writes docs/benchmarks.md.
bench: setup-dev
	$(PY) benchmarks/bench.py

# Many people at once on SQLite and PostgreSQL (TEST_DATABASE_URL, default the local server).
stress: setup-dev
	$(PY) benchmarks/stress.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
