"""Production settings pass Django's deployment checks and lock cookies down."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environ(**env):
    # The test process allows async-unsafe ORM calls for browser tests; a
    # production process never does.
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY"}}
    return {**base, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env}


def run_manage(*args, **env):
    environ = production_environ(**env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def test_it_passes_the_deploy_check_at_warning_level():
    r = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60), DJANGO_ALLOWED_HOSTS="workrooms.example.edu.cn",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_it_refuses_to_start_production_without_a_secret_key():
    r = run_manage("check")
    assert r.returncode != 0
    assert "DJANGO_SECRET_KEY" in r.stderr


def test_it_marks_session_and_csrf_cookies_secure_in_production():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    environ = production_environ(DJANGO_SECRET_KEY=secrets.token_urlsafe(60))
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)
    assert r.stdout.split() == ["True", "True", "True", "False"], r.stderr


def test_collectstatic_builds_the_production_manifest(tmp_path):
    # The manifest storage rewrites every URL a stylesheet or script names
    # (source maps included) and fails on one that is not there.
    r = run_manage(
        "collectstatic", "--noinput", DJANGO_SECRET_KEY=secrets.token_urlsafe(60), STATIC_ROOT=str(tmp_path)
    )
    assert r.returncode == 0, r.stdout + r.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest and "vendor/chartjs/chart.umd.min.js" in manifest
    assert list(tmp_path.glob("vendor/bootstrap/bootstrap.min.*.css.br"))  # hashed and compressed
