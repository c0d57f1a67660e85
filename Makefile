# Bottomline: `make demo` and `make test` are the two commands (see README.md).
PYTHON ?= python3
# uv comes from pip when it is missing; `python -m uv` works without a shell rehash.
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
export UV_PYTHON_DOWNLOADS := never
# Installed packages are compiled to bytecode once, at install: otherwise a machine that sets
# PYTHONDONTWRITEBYTECODE (containers often do) compiles Prefect, GX and scipy on every command.
export UV_COMPILE_BYTECODE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: install demo test lint unit integration clean

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --locked
	@touch $@

demo: install
	$(UV) run bottomline demo

test: lint
	$(UV) run pytest

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

unit: install
	$(UV) run pytest tests/unit tests/sql

integration: install
	$(UV) run pytest tests/integration

clean:
	rm -rf .venv var .mypy_cache .ruff_cache .pytest_cache
