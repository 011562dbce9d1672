# Shared set-up steps for scripts/run.sh and scripts/test.sh (sourced, not run).
# Installs only what is missing: Debian packages with apt-get, Python
# packages into .venv from a lock file (requirements.txt for production,
# requirements-dev.txt for tests; every package pinned with its hashes).

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> 安装系统软件包：${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# System libraries WeasyPrint needs, the CJK font of the PDFs.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
# python-ldap (for LDAP/AD single sign-on) is built from source against OpenLDAP's client library.
LDAP_BUILD_PACKAGES=(gcc python3-dev libldap-dev libsasl2-dev)

ensure_venv() {
  make_venv .venv "$1"
}

# make_venv DIR LOCK: a virtual environment at DIR with exactly the packages
# of LOCK, checked against the lock's hashes; reinstalled when the lock changes.
make_venv() {
  local dir=$1 lock=$2 python=${PYTHON:-python3} stamp
  if [ ! -x "$dir/bin/python" ]; then
    echo "==> 创建 Python 虚拟环境 $dir"
    if ! "$python" -m venv "$dir" 2>/dev/null; then
      rm -rf "$dir"
      ensure_apt python3-venv
      "$python" -m venv "$dir"
    fi
  fi
  stamp=$(sha256sum "$lock" | cut -c1-16)
  if [ "$(cat "$dir/.installed" 2>/dev/null)" != "$stamp-$(basename "$lock")" ]; then
    echo "==> 安装 Python 依赖（$lock）"
    "$dir/bin/python" -m pip install -q --require-hashes --no-deps -r "$lock"
    echo "$stamp-$(basename "$lock")" > "$dir/.installed"
  fi
}

# npm packages the tests use (package-lock.json), installed into node_modules/.
ensure_npm() {
  command -v npm >/dev/null || ensure_apt nodejs npm
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock.json.installed; then
    echo "==> 安装 npm 软件包"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.package-lock.json.installed
  fi
}

start_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "==> 启动 PostgreSQL"
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$version" ] && command -v pg_ctlcluster >/dev/null; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root service postgresql start
    else
      as_root service postgresql start
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL 未能启动" >&2; exit 1; }
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# A login role with CREATEDB (pytest creates test_<name>) and its database.
ensure_db() {
  local role=$1 password=$2 db=$3
  if ! PGPASSWORD=$password psql -h 127.0.0.1 -U "$role" -d postgres -tAc "select 1" >/dev/null 2>&1; then
    echo "==> 创建数据库角色 $role"
    as_postgres psql -q -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'; ELSE ALTER ROLE $role LOGIN CREATEDB PASSWORD '$password'; END IF; END\$\$;"
  fi
  if ! PGPASSWORD=$password psql -h 127.0.0.1 -U "$role" -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
    PGPASSWORD=$password createdb -h 127.0.0.1 -U "$role" "$db"
  fi
}

start_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "==> 启动 Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis 未能启动" >&2; exit 1; }
}
