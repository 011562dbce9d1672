#!/usr/bin/env bash
# Production check (CI): the production install as README.md describes it,
# from the production lock alone, with the production settings. On loopback:
# a throwaway PostgreSQL database and Redis, `check --deploy`, migrate,
# collectstatic, gunicorn, a Celery worker and beat; then signs in and gets
# one certificate PDF through the worker (read back with pdftotext).
#
# The virtual environment is cached per lock hash (PROD_CHECK_CACHE, by
# default ~/.cache/workrooms), so an unchanged lock installs nothing. Every
# process and the database it made are removed at the end, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_apt postgresql redis-server poppler-utils "${PDF_PACKAGES[@]}" "${LDAP_BUILD_PACKAGES[@]}"
start_postgres
ensure_db workrooms workrooms workrooms

cache=${PROD_CHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/workrooms}
venv=$cache/prod-venv-$(sha256sum requirements.txt | cut -c1-16)
mkdir -p "$cache"
make_venv "$venv" requirements.txt
# Older environments of earlier locks are of no further use.
find "$cache" -maxdepth 1 -name 'prod-venv-*' ! -path "$venv" -exec rm -rf {} +

work=$(mktemp -d)
db=workrooms_prodcheck_$$
pids=()
cleanup() {
  local status=$? pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ $status -ne 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $(basename "$log")"; tail -n 40 "$log"; }; done
  fi
  PGPASSWORD=workrooms dropdb -h 127.0.0.1 -U workrooms --if-exists "$db" 2>/dev/null || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_until() {  # wait_until SECONDS WHAT COMMAND...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "prod check: $what did not come up" >&2
  return 1
}

echo "==> 生产检查：一次性数据库 $db 与 Redis"
PGPASSWORD=workrooms createdb -h 127.0.0.1 -U workrooms "$db"
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
wait_until 20 "redis-server" redis-cli -p "$redis_port" ping

web_port=$(free_port)
export DJANGO_SETTINGS_MODULE=config.settings.prod
export DJANGO_SECRET_KEY
DJANGO_SECRET_KEY=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(60))')
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$web_port
export DATABASE_URL=postgres://workrooms:workrooms@127.0.0.1:5432/$db
export REDIS_URL=redis://127.0.0.1:$redis_port/0
export SITE_URL=http://127.0.0.1:$web_port
export MEDIA_ROOT=$work/media
export STATIC_ROOT=$work/static
unset DJANGO_SECURE_SSL_REDIRECT DEBUG

py=$venv/bin/python
echo "==> check --deploy"
"$py" manage.py check --deploy --fail-level WARNING
echo "==> migrate, collectstatic, load_demo"
"$py" manage.py migrate --noinput >"$work/migrate.log"
"$py" manage.py collectstatic --noinput >"$work/collectstatic.log"
"$py" manage.py load_demo --allow-production >"$work/load_demo.log"

# Plain HTTP on loopback stands in for the TLS proxy: only these processes
# skip the HTTPS redirect (the deploy check above ran without this).
export DJANGO_SECURE_SSL_REDIRECT=0
echo "==> gunicorn, Celery worker 与 beat"
"$venv/bin/gunicorn" config.wsgi --workers 2 --bind "127.0.0.1:$web_port" >"$work/gunicorn.log" 2>&1 &
pids+=($!)
"$venv/bin/celery" -A config worker --concurrency 2 --loglevel INFO -n "prodcheck-$$@%h" >"$work/worker.log" 2>&1 &
pids+=($!)
"$venv/bin/celery" -A config beat --loglevel INFO --schedule "$work/beat-schedule" >"$work/beat.log" 2>&1 &
pids+=($!)
wait_until 60 "gunicorn" "$py" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$web_port/accounts/login/')"
wait_until 60 "Celery worker" grep -q "ready\." "$work/worker.log"

echo "==> 登录并经 worker 生成一张证书"
"$py" scripts/prod_check.py "http://127.0.0.1:$web_port" "$work/certificate.pdf"
text=$(pdftotext -layout "$work/certificate.pdf" -)
for word in 张昇 优秀学员 王喆名班主任工作室; do
  grep -q "$word" <<<"${text// /}" || { echo "prod check: 证书中没有「$word」" >&2; echo "$text" >&2; exit 1; }
done
kill -0 "${pids[@]}" || { echo "prod check: a process died" >&2; exit 1; }
echo "==> 生产检查通过"
