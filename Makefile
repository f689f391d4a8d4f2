# The two commands of the README: `make repro` (whole pipeline) and `make test` (test suite).
# Both set up what they need first: a virtual environment with the pinned dependencies
# (reinstalled only when pyproject.toml changes), and a git + DVC repository. `make results`
# compares the experiments run so far.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export PATH := $(BIN):$(PATH)
export DVC_NO_ANALYTICS := 1
export GRPC_VERBOSITY := ERROR

.PHONY: repro crossval results test setup lint clean-venv

repro: setup  ## Run the whole pipeline (dvc repro) on the default synthetic corpus; print the table
	@test -d .git || git init -q
	@test -d .dvc || dvc init -q
	dvc repro
	@python -m pipeline.report.show

# All five folds as a DVC experiment (needs a git commit); PROTOCOL=loso for leave-one-session-out.
# The experiment's params stay applied to params.yaml afterwards.
CROSSVAL := -S 'split.folds=[1,2,3,4,5]'
crossval: setup  ## Run all five folds and report their mean ± std (docs/results.md, "Cross-validation")
	dvc exp run $(CROSSVAL) $(if $(PROTOCOL),-S split.protocol=$(PROTOCOL))

# One table per setting: each model's test WA (METRIC=ua: UA) in every experiment of the current
# commit (EXP_ARGS=-A: of every commit), beside the params and other metrics that differ between
# them; fits 100 columns (docs/results.md, "Comparing experiments"). Reads results/metrics.json,
# DVC's only metrics.
METRIC ?= wa
EXP_SHOW = dvc exp show --no-pager --only-changed \
	--drop 'Created|.*/|.*\.(wa|ua)(_std)?$$'
results:  ## Compare experiments: each model's test WA beside what changed (dvc exp show)
	@$(EXP_SHOW) $(EXP_ARGS) --keep 'r1\..*\.$(METRIC)$$'
	@$(EXP_SHOW) $(EXP_ARGS) --keep 'r2\..*\.$(METRIC)$$'

test: setup  ## Run the test suite
	python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' \
		|| { echo "error: need Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

lint: setup  ## ruff check + format check
	ruff check . && ruff format --check .

clean-venv:
	rm -rf $(VENV)
