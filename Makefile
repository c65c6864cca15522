# One venv, made from the project's own files: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test eval bench train clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

run: install
	$(BIN)/sourcetrace analyze src/sourcetrace/examples/wire_report.txt

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/sourcetrace eval polnear ../shared/data/polnear/dev

bench: install
	$(BIN)/python bench/attribution.py

train: install
	$(BIN)/python -m sourcetrace.train ../shared/data/polnear/train

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
