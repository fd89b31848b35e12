# 協働・連携のデザイン講座: build, test and open the course.
#
#   make book   build the website into book/_build/html (index.html)
#   make test   unit tests, notebooks under nbval, and a strict book build
#   make notebooks [NB=...]  re-run notebooks and save their outputs
#   make lab    open the notebooks in JupyterLab (Japanese interface)
#   make answers  the facilitator answer tables, from the exercise registry
#   make clean  remove build output and vendored browser files
#
# Only PyPI and the npm registry are used; the website loads nothing from outside.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
# Python 3.11: python3.11, or python3 when it is 3.11.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || \
	{ python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v python3; })
PIP_FLAGS := --quiet --disable-pip-version-check --no-input

# JupyterLab reads <sys.prefix>/share/jupyter/lab/settings/overrides.json.
LAB_OVERRIDES_SRC := .jupyter/lab/settings/overrides.json
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

VENDOR := book/_vendor
VENDOR_STAMP := $(VENDOR)/.installed
NPM_STAMP := node_modules/.package-lock.json
HTML_MANAGER := node_modules/@jupyter-widgets/html-manager

BUILD := book/_build
# Notebook execution when building the book: cache locally, force in CI
# (jupyter-cache only notices changed code cells, not changed data or package code).
BOOK_EXECUTE ?= $(if $(CI),force,cache)
# jupyter-book has no command-line override for one setting, so the build uses
# a copy of book/_config.yml with execute_notebooks set to $(BOOK_EXECUTE)
# (and the local extension folders made absolute: they are relative to the config file).
BOOK_CONFIG := $(BUILD)/_config.$(BOOK_EXECUTE).yml
define WRITE_BOOK_CONFIG
import sys, yaml
from pathlib import Path
source, mode, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
config = yaml.safe_load(source.read_text(encoding="utf-8"))
config["execute"]["execute_notebooks"] = mode
extensions = config.get("sphinx", {}).get("local_extensions") or {}
for name, folder in extensions.items():
    extensions[name] = str((source.parent / folder).resolve())
target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
endef
export WRITE_BOOK_CONFIG

# A missing Japanese glyph in a figure is an error, in the build and in the tests.
GLYPH_WARNINGS := error:Glyph:UserWarning

.PHONY: help venv vendor answers kit book notebooks test lab clean

help:
	@echo "make book   ウェブサイトを作る (book/_build/html/index.html)"
	@echo "make test   テスト (単体テスト、nbval によるノートブックの実行、本のビルド)"
	@echo "make notebooks [NB=notebooks/xx.ipynb]  ノートブックを実行し直して出力を保存する"
	@echo "make lab    JupyterLab でノートブックを開く (日本語表示)"
	@echo "make answers  進行役の解答ページの表を演習の登録簿から作る"
	@echo "make kit    進行役のキット (演習シート・解答シート・進行表・解答カードの PDF) を book/_kit に作る"
	@echo "make clean  ビルド結果と vendor したファイルを消す"
	@echo "make classroom  教室を始める (root で。KYODO_CLASSROOM_PASSWORD と KYODO_CLASSROOM_FACILITATOR_PASSWORD が必要。Ctrl-C で止まる)"
	@echo "make classroom-stop  動いている教室を止める (学習者の作業は残る)"
	@echo "make classroom-forget NAME=名前  学習者の合言葉を消す (次のログインで決め直す)"
	@echo "make classroom-link HUB=... REPO=... BRANCH=... LESSON=case3  既存の JupyterHub のための nbgitpuller リンク"
	@echo "make classroom-bench N=10  教室のベンチマーク (N 人が同時に CASE3 を開く。root で)"
	@echo "make board KYODO_CLASS_FOLDER=フォルダ  進行役の画面 (集めた保存ファイルから、クラス全体の答えを見る)"
	@echo "make board-bench N=300  進行役の画面の集計ベンチマーク (N 人分の保存ファイルを作って数える)"
	@echo "make bench  速さと重さの計測 (レッスンの開始、答え合わせ、進行役の画面、ページ) の表を artifacts/bench.md に書く"

# --- Python environment ------------------------------------------------------

venv: $(VENV_STAMP) $(LAB_OVERRIDES)

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 が見つかりません (python3.11 または python3 = 3.11)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV_STAMP): requirements.txt constraints.txt pyproject.toml | $(PY)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.txt -c constraints.txt -e .
	@touch $@

$(LAB_OVERRIDES): $(LAB_OVERRIDES_SRC) | $(PY)
	@mkdir -p $(@D)
	cp $< $@

# --- Browser files from npm (served from the site itself, never from a CDN) --

vendor: $(VENDOR_STAMP)

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm が見つかりません (Node.js と npm を入れてください)" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# The widget manager embed.js (ipywidgets 8 standard controls, no RequireJS),
# its licence notice and the font files it loads at run time (Font Awesome
# icons, found next to itself); it loads no code chunks. Its source map is not
# published, so the line that names it is dropped.
$(VENDOR_STAMP): $(NPM_STAMP) Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/html-manager
	sed '/^\/\/# sourceMappingURL=[^ ]*\.map$$/d' $(HTML_MANAGER)/dist/embed.js > $(VENDOR)/html-manager/embed.js
	cp $(HTML_MANAGER)/dist/embed.js.LICENSE.txt $(VENDOR)/html-manager/
	assets=$$(grep -oE '[0-9a-f]{20}\.(woff2|woff|ttf|eot|svg)' $(HTML_MANAGER)/dist/embed.js | sort -u); \
	test -n "$$assets"; \
	for f in $$assets; do cp $(HTML_MANAGER)/dist/$$f $(VENDOR)/html-manager/; done
	@touch $@

# --- Website -----------------------------------------------------------------

# The facilitator's answer tables, generated from the exercise registry
# (data/exercises/) into files that book/facilitator/answer_keys.md includes.
ANSWERS := book/facilitator/_generated/answers
answers: venv
	$(PY) -c 'import sys; from kyodo.solutions import write_answer_pages; write_answer_pages(sys.argv[1])' $(ANSWERS)

# The facilitator kit: A4 PDFs of every worksheet, answer sheet, run sheet and
# answer card (Chromium and IPAexGothic; a clear message when either is missing),
# and the kit's generated book pages (run sheets, projector pages).
KIT := book/_kit
kit: venv
	$(PY) -m kyodo.kit --out $(KIT)

# Sphinx reads and writes only the pages that changed (its environment and the
# notebook execution cache are kept). The warnings of unchanged pages are
# remembered and reported again (book/_ext/remembered_warnings.py), so with -W
# a warning on any page still fails the build. BOOK_FRESH=1 removes the
# previous HTML and environment first (a build from scratch); so does a change
# in book/_ext (Sphinx does not notice changed extension code). At the end,
# book/_ext/lighter_pages.py empties the theme's fontawesome.js, removes .map
# files and writes .gz copies. KYODO_WORKSPACE: a fresh, empty folder, so no
# saved exercise work reaches the pages.
BOOK_FRESH ?=
book: venv vendor answers
	@mkdir -p $(BUILD)
	$(if $(BOOK_FRESH),rm -rf $(BUILD)/html $(BUILD)/.doctrees)
	@env=$(BUILD)/.doctrees/environment.pickle; \
	if [ -f "$$env" ] && [ -n "$$(find book/_ext -name '*.py' -newer "$$env")" ]; then \
		echo "book/_ext が変わったので、すべてのページを読み直します"; rm -rf $(BUILD)/html $(BUILD)/.doctrees; \
	fi
	@echo "execute_notebooks: $(BOOK_EXECUTE) -> $(BOOK_CONFIG)"
	@$(PY) -c "$$WRITE_BOOK_CONFIG" book/_config.yml $(BOOK_EXECUTE) $(BOOK_CONFIG)
	ws=$$(mktemp -d); trap 'rm -rf "$$ws"' EXIT; \
	KYODO_WORKSPACE="$$ws" KYODO_READING=website PYTHONWARNINGS=$(GLYPH_WARNINGS) \
	$(VENV)/bin/jupyter-book build -W -n --keep-going --config $(BOOK_CONFIG) book

# --- Notebooks ---------------------------------------------------------------

# Run notebooks top to bottom and save their outputs in place: nbval (make test)
# compares against these. A fresh KYODO_WORKSPACE, so the saved outputs show
# the exercises in their initial state.
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
NB ?= $(NOTEBOOKS)
notebooks: venv
	@test -n "$(NB)" || { echo "notebooks/ にノートブックがありません" >&2; exit 1; }
	ws=$$(mktemp -d); trap 'rm -rf "$$ws"' EXIT; \
	KYODO_WORKSPACE="$$ws" PYTHONWARNINGS=$(GLYPH_WARNINGS) \
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=120 $(NB)

# --- Tests -------------------------------------------------------------------

# One pytest run on two workers: unit tests, every notebook under nbval (strict:
# outputs compared), tests/test_book.py, which runs `make book` itself once and
# inspects the result, and the browser tests of the built site. The order keeps
# both workers busy: one builds the book while the other runs the notebooks and
# unit tests; the browser tests, which need the build, come last.
BOOK_TEST := tests/test_book.py
BROWSER_TESTS := $(sort $(wildcard tests/test_browser_*.py))
UNIT_TESTS := $(filter-out $(BOOK_TEST) $(BROWSER_TESTS),$(sort $(wildcard tests/test_*.py)))
test: venv vendor
	ws=$$(mktemp -d); trap 'rm -rf "$$ws"' EXIT; \
	KYODO_WORKSPACE="$$ws" PYTHONWARNINGS=$(GLYPH_WARNINGS) \
	$(PY) -m pytest -n 2 --dist loadscope \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		$(BOOK_TEST) $(NOTEBOOKS) $(UNIT_TESTS) $(BROWSER_TESTS)

# Speed and weight in one run (src/kyodo/bench.py): lesson start against a bare kernel,
# check latency per exercise kind against a no-op, the room board for 300 learners, and the
# built book's pages against an empty page of the theme (skipped when book/_build/html is
# missing). Prints the table and writes artifacts/bench.md; timings never fail it.
.PHONY: bench
bench: venv
	$(PY) -m kyodo.bench $${BENCH_ARGS-}

# --- JupyterLab --------------------------------------------------------------

# Japanese interface and no news/update checks: .jupyter/lab/settings/overrides.json,
# copied into the venv by `make venv`. Extra options: make lab LAB_ARGS="--no-browser".
LAB_ARGS ?=
lab: venv
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $(LAB_ARGS)

clean:
	rm -rf $(BUILD) $(VENDOR) $(ANSWERS) node_modules .pytest_cache

# --- Classroom: hubs that already exist ---------------------------------------

# The nbgitpuller link that brings the course into a learner's home on an
# existing JupyterHub and opens a lesson (classroom/README.md):
#   make classroom-link HUB=https://hub.example.jp REPO=https://github.com/org/kyodo-course BRANCH=main \
#       [LESSON=case3] [MODE=workshop|lab] [FOLDER=kyodo-course] [ALL=1]
# The values reach the command through the environment (make exports the
# variables given on its command line), never pasted into the shell line.
.PHONY: classroom-link
classroom-link: venv
	@$(PY) -m kyodo.classroom.links --hub "$${HUB-}" --repo "$${REPO-}" --branch "$${BRANCH-}" \
		--lesson "$${LESSON-}" --mode "$${MODE:-workshop}" --folder "$${FOLDER-}" $(if $(ALL),--all)

# --- Classroom: one room on this machine (JupyterHub) ----------------------------
#
#   export KYODO_CLASSROOM_PASSWORD=...               # the workshop password learners type
#   export KYODO_CLASSROOM_FACILITATOR_PASSWORD=...   # the facilitators' own password
#   sudo --preserve-env make classroom                # as root: learners get system users
#
# Settings (address, port, mode, facilitators, content, idle minutes, state
# folder): environment variables, see classroom/jupyterhub_config.py.
# The checks run first and start nothing when one fails (Japanese message,
# exit 1). The hub runs in the foreground: Ctrl-C stops it, the idle culler,
# every learner's server and the proxy; `make classroom-stop` does the same
# from another terminal (classroom/state/jupyterhub.pid). Work is saved as it
# is made, so stopping loses none.
# The room board over a folder of learners' progress files (a shared drive, or
# files collected by hand), on the facilitator's own machine at 127.0.0.1:
#   make board KYODO_CLASS_FOLDER=/path/to/folder [BOARD_PORT=8765]
# In the classroom hub the board is a service (classroom/jupyterhub_config.py).
.PHONY: board board-bench
board: venv
	@$(PY) -m kyodo.board --folder "$${KYODO_CLASS_FOLDER:?KYODO_CLASS_FOLDER=フォルダ を指定してください}" \
		--port "$${BOARD_PORT:-8765}"

board-bench: venv
	@$(PY) -m kyodo.board.bench --learners "$${N:-300}"

.PHONY: classroom classroom-stop classroom-forget
classroom: venv vendor
	@$(PY) -m kyodo.classroom.preflight check
	exec $(VENV)/bin/jupyterhub -f classroom/jupyterhub_config.py

classroom-stop:
	@test -x $(PY) || { echo "教室は動いていません (.venv がありません)" >&2; exit 0; }
	@$(PY) -m kyodo.classroom.preflight stop

# A learner forgot their 合言葉: make classroom-forget NAME=田中 (the name
# reaches the command through the environment, never pasted into the shell line).
classroom-forget:
	@test -n "$${NAME-}" || { echo "名前を NAME=... で指定してください (例: make classroom-forget NAME=田中)" >&2; exit 1; }
	@$(PY) -m kyodo.classroom.auth forget "$${NAME}"

# Benchmark of one room (as root, 127.0.0.1 only): N learners sign in and open CASE3 at
# the same moment; figures in artifacts/bench_classroom.md (classroom/bench.py).
.PHONY: classroom-bench
classroom-bench: venv vendor
	@$(PY) classroom/bench.py --learners "$(or $(N),10)"
