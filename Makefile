# Two commands for a new user: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
CUSTOMERS ?= 100000
SEED ?= 42
RAW_DIR ?= data/demo
export SEGMENTS_RAW_DIR ?= $(RAW_DIR)

# the daily refresh skips dbt unit tests: they test the SQL logic on fixed fixtures, which a
# data refresh does not change (make build and make test run them; docs/refresh.md)
REFRESH_ARGS ?= --exclude-resource-type unit_test
# `make build AS_OF_DATE=2024-06-30`: passed to dbt quoted, so an impossible date gets the
# project's one-line error naming the var (unquoted in dbt's own --vars, YAML fails first)
AS_OF_DATE ?=
DBT_VARS := $(if $(AS_OF_DATE),--vars '{"as_of_date": "$(AS_OF_DATE)"}')
# make test: pytest workers (pytest-xdist), one test module per worker; 0 = no workers
TEST_WORKERS ?= 2

.PHONY: setup run demo-data build refresh publish report summary test lint unit bench chaos clean

# Python: python3.11 when present, else python3 (must be >= 3.11).
ifeq ($(shell command -v $(PY) 2>/dev/null),)
PY := python3
endif

$(VENV)/.installed: requirements.txt requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements.lock
	@# the project's own package (segkit) is importable from the repo: a .pth file, no build step
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'segkit.pth').write_text('$(CURDIR)\\n')"
	@touch $@

setup: $(VENV)/.installed

demo-data: setup
	@if [ -f "$(RAW_DIR)/orders.parquet" ] && [ -f "$(RAW_DIR)/.generated-$(CUSTOMERS)-$(SEED)" ]; then \
		echo "demo data already in $(RAW_DIR) ($(CUSTOMERS) customers, seed $(SEED))"; \
	else \
		rm -rf "$(RAW_DIR)" && $(BIN)/python -m segkit.generate --customers $(CUSTOMERS) --seed $(SEED) --out $(RAW_DIR) \
		&& touch "$(RAW_DIR)/.generated-$(CUSTOMERS)-$(SEED)"; \
	fi

build: setup
	@# preflight: one clear line when another process holds the warehouse or its WAL is damaged
	$(BIN)/python -m segkit.warehouse check
	$(DBT) seed --quiet
	@# --full-refresh: the incremental models (docs/refresh.md) are rebuilt from all raw data,
	@# as the demo data may have been regenerated; persisted history keeps full_refresh false
	$(DBT) build --full-refresh $(DBT_VARS)

# the daily refresh (docs/refresh.md): incremental build of what is new in the raw folder
# (new part files), then publish; what a scheduler runs
refresh: setup
	$(BIN)/python -m segkit.warehouse check
	$(DBT) seed --quiet
	$(DBT) build $(REFRESH_ARGS) $(DBT_VARS)
	$(BIN)/python -m segkit.publish

# after a green build only: a fresh copy of the marts for BI tools (warehouse/published/current)
publish: setup
	$(BIN)/python -m segkit.publish

summary: setup
	@$(BIN)/python -m segkit.summary
	@echo "Published copy for BI tools: warehouse/published/current (segments.duckdb, parquet/)"
	@echo "Report: reports/segments.html"

# one self-contained HTML page from the published marts
report: setup
	$(BIN)/python -m segkit.report --out reports/segments.html

run: demo-data build publish report summary

# sqlfluff's dbt templater compiles the project, which reads raw file headers: point it at a
# tiny fixture and a scratch warehouse so linting never touches your data or warehouse
SQLFLUFF := SEGMENTS_RAW_DIR=tests/fixtures/lint_raw SEGMENTS_WAREHOUSE=warehouse/.lint.duckdb $(BIN)/sqlfluff

lint: setup
	$(BIN)/ruff check segkit tests python_models
	$(SQLFLUFF) lint models tests/singular --processes 2

unit: setup
	$(BIN)/python -m pytest tests/python -m "not dbt and not slow and not chaos" -q

test: setup
	$(BIN)/ruff check segkit tests python_models
	$(SQLFLUFF) lint models tests/singular --processes 2
	$(BIN)/python -m pytest tests/python -m "not slow and not chaos" -q -n $(TEST_WORKERS) --dist loadfile

# every fault scenario of docs/reliability.md (20 kills, disk full, WAL, time zone): ~20 min
chaos: setup
	$(BIN)/python -m pytest tests/python/test_faults.py -k "not x3" -q

# not part of make test (docs/benchmarks.md): sizes by BENCH_CUSTOMERS (comma-separated, default
# 100000,1000000), more flags by BENCH_ARGS (python -m segkit.bench --help). Splink is installed
# by the bench into its own .venv-splink, never into .venv.
bench: setup
	$(BIN)/python -m segkit.bench $(if $(BENCH_CUSTOMERS),--sizes $(BENCH_CUSTOMERS)) $(BENCH_ARGS)

clean:
	rm -rf target logs warehouse/*.duckdb warehouse/*.wal
