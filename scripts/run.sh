#!/usr/bin/env bash
# Installs what is missing and runs the app the embedded way: SQLite,
# in-process background tasks, the demo school loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_apt "${PDF_PACKAGES[@]}" "${LDAP_BUILD_PACKAGES[@]}"
ensure_venv requirements.txt

# Embedded run: no external database or broker.
unset DATABASE_URL REDIS_URL
export DJANGO_SETTINGS_MODULE=config.settings.dev
# Only this machine can connect unless HOST says otherwise (e.g. HOST=0.0.0.0).
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
export HOST="$host" PORT="$port"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo

shown=$host
if [ "$host" = "0.0.0.0" ] || [ "$host" = "::" ]; then shown=127.0.0.1; fi
echo
echo "==> 系统已启动：打开 http://$shown:$port/ ，演示账号见 README.md（密码均为 demo12345）"
exec .venv/bin/python manage.py runserver "$host:$port"
