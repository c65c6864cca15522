# One venv, made from the project's own files: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test eval bench train train-encoder clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

DB ?= sqlite:///sourcetrace.db

# The product on the embedded store: analyse a wire report, ingest the sample corpus (one claim
# relayed by agencies, a pundit and copy desks), link its claims, and serve the UI on loopback.
run: install
	$(BIN)/sourcetrace analyze src/sourcetrace/examples/wire_report.txt --published 2025-03-14
	$(BIN)/sourcetrace ingest src/sourcetrace/examples/corpus --db $(DB)
	$(BIN)/sourcetrace link --db $(DB)
	$(BIN)/sourcetrace claims --db $(DB)
	$(BIN)/sourcetrace serve --db $(DB) --host 127.0.0.1 --port 8000

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/sourcetrace eval polnear ../shared/data/polnear/dev

bench: install
	$(BIN)/python bench/attribution.py

train: install
	$(BIN)/python -m sourcetrace.train ../shared/data/polnear/train

# The opt-in accurate taggers (--tagger encoder) and their confidence model, fitted on
# held-out articles with encoders trained without them: about 70 minutes on 2 cores.
train-encoder: install
	$(BIN)/python -m sourcetrace.train_encoder ../shared/data/polnear/train --task cues
	$(BIN)/python -m sourcetrace.train_encoder ../shared/data/polnear/train --task roles
	$(BIN)/python -m sourcetrace.train_encoder ../shared/data/polnear/train --task confidence

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
