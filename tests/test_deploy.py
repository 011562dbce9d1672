"""Production settings pass Django's deployment checks and lock cookies down."""

import os
import re
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


def test_load_demo_refuses_to_run_under_production_settings(tmp_path):
    # An empty SQLite file: if the command ran, it would fail on missing tables instead.
    r = run_manage(
        "load_demo", DJANGO_SECRET_KEY=secrets.token_urlsafe(60), DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}"
    )
    assert r.returncode != 0
    assert "生产设置下不能加载演示数据" in r.stderr


def test_every_page_carries_a_content_security_policy_without_inline_script(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_no_template_has_inline_script_or_style():
    inline = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.parts:
            continue  # PDFs are rendered by the worker, never served to a browser
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", r"\sstyle=\"", r"\son[a-z]+=\"", r"javascript:"):
            if re.search(pattern, text):
                inline.append((path.relative_to(ROOT).as_posix(), pattern))
    assert inline == []


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
