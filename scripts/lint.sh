#!/usr/bin/env bash
# Lint: ruff (ruff.toml) and the import contracts (.importlinter: layers
# config > archives > assessment > workrooms > members > core, pure rules).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/lint-imports
