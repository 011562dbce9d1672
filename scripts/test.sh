#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite against real
# PostgreSQL and Redis (started here if they are not running), with a real
# Celery worker for the tests that need one and headless Chromium for the
# browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_apt postgresql redis-server chromium poppler-utils zbar-tools "${PDF_PACKAGES[@]}"
ensure_venv requirements-dev.txt
start_postgres
start_redis
ensure_db workrooms workrooms workrooms

export DATABASE_URL=${TEST_DATABASE_URL:-postgres://workrooms:workrooms@127.0.0.1:5432/workrooms}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}
export DJANGO_SETTINGS_MODULE=config.settings.test
exec .venv/bin/python -m pytest "$@"
