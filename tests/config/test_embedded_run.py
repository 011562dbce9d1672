"""The embedded run (scripts/run.sh, config.settings.dev) is safe and friendly:
DEBUG off, Chinese error pages, static files served, the site address follows
HOST/PORT, no e-mails printed to the console."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parent.parent.parent


def dev_settings(**env) -> dict:
    """The embedded run's settings as a fresh process sees them."""
    environ = {k: v for k, v in os.environ.items()
               if k not in {"DJANGO_DEBUG", "SITE_URL", "EMAIL_BACKEND", "HOST", "PORT", "DATABASE_URL", "REDIS_URL"}}
    environ.update(env, DJANGO_SETTINGS_MODULE="config.settings.dev")
    code = ("import json; from django.conf import settings as s; print(json.dumps({k: str(getattr(s, k, '')) for k in "
            "['DEBUG', 'SITE_URL', 'EMAIL_BACKEND', 'WHITENOISE_USE_FINDERS', 'MIDDLEWARE']}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_embedded_run_shows_no_tracebacks_but_still_serves_static_files():
    s = dev_settings()
    assert s["DEBUG"] == "False"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in s["MIDDLEWARE"] and s["WHITENOISE_USE_FINDERS"] == "True"
    assert dev_settings(DJANGO_DEBUG="1")["DEBUG"] == "True"


def test_the_site_address_on_certificates_and_in_e_mails_follows_the_port():
    assert dev_settings()["SITE_URL"] == "http://127.0.0.1:8000"
    assert dev_settings(PORT="8123")["SITE_URL"] == "http://127.0.0.1:8123"
    assert dev_settings(PORT="8123", HOST="0.0.0.0")["SITE_URL"] == "http://127.0.0.1:8123"
    assert dev_settings(HOST="192.168.1.20", PORT="9000")["SITE_URL"] == "http://192.168.1.20:9000"
    assert dev_settings(SITE_URL="https://wr.example.edu.cn/")["SITE_URL"] == "https://wr.example.edu.cn"


def test_the_embedded_run_does_not_print_e_mails_to_the_console():
    assert "console" not in dev_settings()["EMAIL_BACKEND"]


def test_the_run_script_binds_to_this_machine_unless_host_says_otherwise():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert 'host=${HOST:-127.0.0.1}' in script
    assert 'runserver "$host:$port"' in script and "0.0.0.0:$port" not in script


@pytest.mark.django_db
def test_a_server_error_shows_a_chinese_page():
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in body and "返回首页" in body and 'lang="zh-CN"' in body


def test_every_page_has_a_favicon(client, teacher):
    assert finders.find("favicon.svg")
    client.force_login(teacher.user)
    assert 'rel="icon"' in client.get("/").content.decode()
