#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite against real
# PostgreSQL and Redis (started here if they are not running), with a real
# Celery worker for the tests that need one and headless Chromium for the
# browser tests. The single sign-on tests start their own OpenLDAP (slapd)
# and OpenID Connect provider (npm oidc-provider) on loopback ports. Extra arguments go to pytest; TEST_CLOCK sets the date.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_apt postgresql redis-server chromium poppler-utils zbar-tools faketime slapd ldap-utils "${PDF_PACKAGES[@]}" "${LDAP_BUILD_PACKAGES[@]}"
ensure_venv requirements-dev.txt
ensure_npm
start_postgres
start_redis
ensure_db workrooms workrooms workrooms

export DATABASE_URL=${TEST_DATABASE_URL:-postgres://workrooms:workrooms@127.0.0.1:5432/workrooms}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}
export DJANGO_SETTINGS_MODULE=config.settings.test
# TEST_CLOCK=2028-02-29 runs pytest (and everything it starts) with the
# clock set to 10:00 Beijing time that day (libfaketime); see scripts/test_dates.sh.
if [ -n "${TEST_CLOCK:-}" ]; then
  exec faketime -f "@${TEST_CLOCK} 02:00:00" env TZ=UTC .venv/bin/python -m pytest "$@"
fi
exec .venv/bin/python -m pytest "$@"
