# darktrail: `make lab` opens the lab on the default course, `make test` checks everything.
PYTHON ?= python3
PORT ?= 8888
IP ?= 127.0.0.1
# The course language (en, ru): `make lab LANG_COURSE=ru` chooses it once, later `make lab` keeps
# it (recorded in grading/.darktrail/course.json). Not LANG, which is the system's locale.
LANG_COURSE ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test lint format build check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/darktrail lab --port $(PORT) --ip $(IP) $(if $(LANG_COURSE),--lang $(LANG_COURSE))

test: lint
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

build: $(STAMP)
	$(BIN)/darktrail build

check: $(STAMP)
	$(BIN)/darktrail check --workers 2

clean:
	rm -rf grading/source grading/release grading/submitted grading/autograded \
	       grading/feedback grading/exchange grading/gradebook.db lab
