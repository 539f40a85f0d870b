# The README's two commands: `make run` and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test browser web lint types layers pytest killtest fuzz bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: what the M-12 east section (Dyurtyuli-Achit, July 2025) changed, on the embedded
# network; prints the headline table and writes the report to out/m12-east/report.html
run: $(STAMP) web
	$(BIN)/corridor scenario compare m12-before m12-east --out out/m12-east

test: $(STAMP) browser web lint types layers pytest

# Debian's chromium and chromium-driver for the browser tests (they skip, saying why, without them)
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -q && apt-get install -y -q chromium chromium-driver) || \
	  echo "could not install chromium and chromium-driver (needs root on Debian): browser tests will be skipped"

# MapLibre GL JS for the map page of `corridor serve`, from the npm registry (web/package-lock.json)
web: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@command -v npm >/dev/null || (apt-get update -q && apt-get install -y -q nodejs npm) || \
	  echo "could not install npm: the map page will miss MapLibre GL JS and its browser test skips"
	@cd web && npm ci --no-audit --no-fund --loglevel=error

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -q

# SIGKILL every writer 50 times at random moments (`make test` runs 5 per writer)
killtest: $(STAMP)
	CORRIDOR_KILLS=50 $(BIN)/pytest -q tests/integration/test_kill.py

# The fuzz tests at ten times the CI budget: about 28,000 generated bad inputs for every
# reader, CLI command and API endpoint (`make test` runs about 2,800)
fuzz: $(STAMP)
	CORRIDOR_FUZZ_SCALE=10 $(BIN)/pytest -q -m fuzz -p no:cacheprovider --hypothesis-show-statistics \
	  tests/integration/test_fuzz_parsers.py tests/integration/test_fuzz_cli_api.py

bench: $(STAMP) web
	$(BIN)/python -m pip install --quiet -e '.[bench,cch]'
	$(BIN)/python bench/shortest_path.py
	$(BIN)/python bench/skim.py
	$(BIN)/python bench/assignment.py
	$(BIN)/python bench/embedded.py
	$(BIN)/python bench/p2p.py --graph chicago
	$(BIN)/python bench/cch.py --graph embedded --graph NY
	$(BIN)/python bench/load.py --duration 20 --clients 50
	$(BIN)/python bench/load.py --duration 20 --clients 50 --workers 2
	$(BIN)/python bench/load.py --duration 30 --clients 50 --hostile 12

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
