#!/usr/bin/env bash
# Installs what is missing and runs the app the embedded way: SQLite,
# in-process background tasks, the demo school loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_apt "${PDF_PACKAGES[@]}"
ensure_venv requirements.txt

# Embedded run: no external database or broker.
unset DATABASE_URL REDIS_URL
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo

port=${PORT:-8000}
echo
echo "==> 系统已启动：打开 http://127.0.0.1:$port/ ，演示账号见 README.md（密码均为 demo12345）"
exec .venv/bin/python manage.py runserver "0.0.0.0:$port"
