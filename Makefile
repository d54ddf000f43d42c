# MVO-paspoort: the two README commands (make run, make test) and the benchmarks (make bench).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: run test bench bench-db lint setup clean docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## make run: set up, prepare the SQLite database with demo data, start the app on 127.0.0.1:8501
run: $(STAMP)
	mkdir -p var
	$(BIN)/mvo db upgrade
	$(BIN)/mvo demo --if-empty
	$(BIN)/streamlit run app/server.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

## make test: set up, lint, and run the whole test-suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make bench: run every script under bench/ and print one table of figures
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

## make bench-db: make the benchmark databases of bench/bench_pages.py beforehand (the demo one and
## 20,000 organisations x 2 years in var/bench/; about an hour on 2 cores, at low priority)
bench-db: $(STAMP)
	nice -n 10 $(BIN)/python bench/bench_pages.py --generate-only

## make docs: render every shipped framework to docs/frameworks/*.md
docs: $(STAMP)
	$(BIN)/python -m app.commands.frameworks render-docs docs/frameworks

clean:
	rm -rf $(VENV) var/*.sqlite* .pytest_cache
