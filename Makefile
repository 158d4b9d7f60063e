# One command per job. `make test` is what CI runs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# The day the demo program describes: `make run` serves it as of then, whatever the real date.
DEMO_TODAY := $(shell sed -n 's/^today: *//p' knowledge/demo/program.yaml)

.PHONY: install run test check lint format typecheck eval bench cassettes clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

# The product alone (quick); the dev extras add the test tools, including a llama.cpp build.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	touch $(RUN_STAMP).began
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	mv $(RUN_STAMP).began $(RUN_STAMP)

# llama-cpp-python has no Linux wheel on PyPI, so the dev extras compile llama.cpp (the bulk of
# a fresh install). Only what the test server needs: no multimodal library, and AVX2 code instead
# of -march=native, whose AMX kernels crash on this machine's CPU (SIGSEGV in
# ggml_backend_amx_mul_mat on the first completion). pip caches the wheel it builds and reuses it
# whatever CMAKE_ARGS say: after changing them, `.venv/bin/pip cache remove llama_cpp_python`.
LLAMA_CMAKE_ARGS := -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_BMI2=ON

# The stamps are dated when the install began, so a pyproject.toml edited meanwhile installs again.
$(STAMP): pyproject.toml | $(BIN)/python
	touch $(STAMP).began
	$(BIN)/pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install --quiet -e ".[dev]"
	touch -r $(STAMP).began $(RUN_STAMP)
	mv $(STAMP).began $(STAMP)

install: $(STAMP)

run: $(RUN_STAMP)  ## Load the demo program and serve it, on its own date, on 127.0.0.1:8000
	$(BIN)/python -m assistant demo
	ASSISTANT_TODAY=$(DEMO_TODAY) $(BIN)/python -m assistant serve --host 127.0.0.1 --port 8000

test: check  ## Every check and test (what CI runs)

# The slowest tests are listed after every run, so a test that gets slow shows at once.
check: $(STAMP) lint typecheck
	$(BIN)/pytest -W error --durations=15

lint: $(STAMP)
	$(BIN)/ruff format --check assistant api tests bench
	$(BIN)/ruff check assistant api tests bench

format: $(STAMP)
	$(BIN)/ruff format assistant api tests bench
	$(BIN)/ruff check --fix assistant api tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

eval: $(STAMP)  ## Retrieval quality on the labeled questions
	$(BIN)/python bench/eval_retrieval.py

bench: $(STAMP)  ## Speed benchmarks (print JSON figures)
	$(BIN)/python bench/ingest.py --json
	$(BIN)/python bench/engines.py --json
	$(BIN)/python bench/tasks.py --json
	$(BIN)/python bench/api.py --json
	$(BIN)/python bench/pairings.py --json
	$(BIN)/python bench/dashboard.py --json
	$(BIN)/python bench/reminders.py --json

# The LLM tests replay answers recorded from the real llama.cpp server (tests/test_llm_replay.py);
# this starts the server and records them again (after a change to a prompt, a schema or a request).
cassettes: $(STAMP)  ## Record the replayed model answers again from the real local server
	$(BIN)/pytest tests/test_llm_replay.py --record-mode=rewrite

clean:
	rm -rf $(VENV) .assistant .pytest_cache .mypy_cache .ruff_cache
