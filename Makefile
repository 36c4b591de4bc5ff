# Two commands matter: `make run` and `make test`. Both set everything up first and are
# quick the second time, because every step is a file that is rebuilt only when its inputs change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PO := workshop/translations/sv/LC_MESSAGES/messages.po
MO := $(PO:.po=.mo)
VENDOR := static/vendor/socket.io.esm.min.js

.PHONY: setup run test check migrate demo docs translations clean bench bench-guide bench-suggest system-check system-deps

setup: $(VENV)/.stamp-deps $(VENDOR) $(MO)

$(VENV)/.stamp-deps: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,meaning]'
	touch $@

node_modules/.stamp-npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): node_modules/.stamp-npm
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $@

$(MO): $(PO) $(VENV)/.stamp-deps
	$(BIN)/pybabel compile --statistics -d workshop/translations

migrate: setup
	$(BIN)/flask --app wsgi db upgrade -d migrations

run: migrate
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m workshop

demo: migrate
	$(BIN)/flask --app wsgi demo

# The suite needs a browser, Pango and fonts from the system (scripts/system-deps): without them it
# stops here with the apt-get command that installs them, rather than skipping their tests.
# Every screen in the realtime, end-to-end and fault tests records the change stream it received
# (tests/reducer.py); the browser's reducer must then fold each one to the server's snapshot.
STREAMS := test-artifacts/streams
test: system-check setup
	rm -rf $(STREAMS)
	LIVE_STREAMS=$(CURDIR)/$(STREAMS) $(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)
	LIVE_STREAMS=$(CURDIR)/$(STREAMS) node --test tests/js

system-check:
	@scripts/system-deps --check

# Installs what system-check finds missing (Debian or Ubuntu, with apt-get; sudo when not root).
system-deps:
	scripts/system-deps --install

# The fast loop: unit, aggregation and service tests on SQLite, without a server process (e2e),
# PostgreSQL, or the language model's quality runs over the corpus (test_meaning*, about a minute
# of CPU on their own); `make test` still runs everything, for CI.
check: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not e2e and not postgres" -q \
		--ignore=tests/unit/test_meaning.py --ignore=tests/aggregation/test_meaning_suggestions.py \
		tests/unit tests/aggregation tests/integration $(PYTEST_ARGS)

# The documents generated from the code (tests fail when they drift): the authorisation tables of
# docs/security.md, the event and error tables of docs/realtime.md, and docs/asyncapi.json.
docs: setup
	$(BIN)/python -m workshop.authz_doc
	$(BIN)/python -m workshop.protocol_doc
	$(BIN)/python -m workshop.asyncapi_doc

translations: $(VENV)/.stamp-deps
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k N_ -k Msg -o workshop/translations/messages.pot .
	$(BIN)/pybabel update -i workshop/translations/messages.pot -d workshop/translations --no-fuzzy-matching

# The load benchmark (bench/, results in docs/benchmark.md): N phones (default 1000); SCALE=2 runs
# two server processes on PostgreSQL with Redis; PROFILE=1 profiles the server with py-spy (PROFILE=join|submit|vote: that phase only);
# WINDOW=seconds over which the room submits its items (default 10); ROUNDS=app-and-bare rounds (default 3);
# GENERATORS=load generator processes (default: one per 3,000 phones, at most 4).
bench: setup
	@$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	@$(BIN)/python bench/run.py --participants $(or $(N),1000) --scale $(or $(SCALE),1) $(if $(PROFILE),--profile $(if $(filter 1,$(PROFILE)),all,$(PROFILE))) \
		$(if $(WINDOW),--window $(WINDOW)) $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(GENERATORS),--generators $(GENERATORS))

# The guide in every format for 1,000 items and 300 participants (ITEMS=, PARTICIPANTS=); results in docs/guide.md.
bench-guide: setup
	$(BIN)/python bench/guide_bench.py --items $(or $(ITEMS),1000) --participants $(or $(PARTICIPANTS),300)

# Grouping by meaning on the held-out part of tests/corpus/meaning, and refresh times for 100, 500
# and 1,000 contributions; results in docs/suggestions.md. SPLIT=tuning shows what was tuned on.
bench-suggest: setup
	$(BIN)/python bench/suggest.py --split $(or $(SPLIT),heldout)

clean:
	rm -rf $(VENV) node_modules static/vendor $(MO)
