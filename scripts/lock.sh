#!/usr/bin/env bash
# Regenerates the lock files from their inputs: requirements.txt (production)
# from requirements.in, requirements-dev.txt (tests, lint) from
# requirements-dev.in, every transitive dependency pinned with its hashes.
# Extra arguments go to pip-compile, e.g. --upgrade-package celery.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv requirements-dev.txt
# Only the public index: no local mirrors or wheel folders named in the locks.
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL
compile() {
  CUSTOM_COMPILE_COMMAND="bash scripts/lock.sh" .venv/bin/pip-compile -q --generate-hashes --allow-unsafe \
    --strip-extras --no-emit-index-url --no-emit-find-links "$@"
}
compile --output-file requirements.txt requirements.in "${@}"
compile --output-file requirements-dev.txt requirements-dev.in "${@}"
