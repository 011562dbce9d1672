"""A small real HTTP server on loopback that plays a WeCom or DingTalk robot
endpoint: it records every request and answers from a script."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from config.celery import app as celery_app
from core.models import GroupRobot, RobotEvent
from tests.archives.conftest import running_worker


class Endpoint:
    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict]] = []  # answers in turn; then 200 ok

    def answer(self) -> tuple[int, dict]:
        return self.script.pop(0) if self.script else (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def endpoint(settings):
    # In-process tasks run their retries at once (the backoff is the real
    # worker's); a retry is the task's own business, as on the worker.
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    state = Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            parsed = urllib.parse.urlsplit(self.path)
            state.requests.append({
                "path": parsed.path, "query": urllib.parse.parse_qs(parsed.query), "raw_query": parsed.query,
                "content_type": self.headers.get("Content-Type"), "body": json.loads(self.rfile.read(length)),
            })
            status, body = state.answer()
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    state.wecom = f"{base}/cgi-bin/webhook/send?key="
    state.dingtalk = f"{base}/robot/send?access_token="
    settings.ROBOT_WEBHOOK_PREFIXES = {"wecom": [state.wecom], "dingtalk": [state.dingtalk]}
    yield state
    server.shutdown()
    server.server_close()
    celery_app.conf.task_eager_propagates = before


SECRET = "SECd1f0a2b3c4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd"


@pytest.fixture
def dingtalk_robot(workroom, host, endpoint):
    from core.robots import robot_connect

    return robot_connect(
        owner=workroom, actor=host, name="成员钉钉群", platform=GroupRobot.Platform.DINGTALK,
        webhook_url=f"{endpoint.dingtalk}tok123456789", secret=SECRET, msgtype="markdown", events=list(RobotEvent.values),
    )


@pytest.fixture
def wecom_robot(workroom, host, endpoint):
    from core.robots import robot_connect

    return robot_connect(
        owner=workroom, actor=host, name="成员企业微信群", platform=GroupRobot.Platform.WECOM,
        webhook_url=f"{endpoint.wecom}693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa", msgtype="text",
        events=[RobotEvent.SIGNIN_OPEN],
    )


@pytest.fixture
def robot_worker(transactional_db, tmp_path):
    """A real worker process on Redis for this test, retrying after 1, 2, 4… seconds."""
    celery_app.conf.task_always_eager = False
    try:
        with running_worker(redis_url=settings.REDIS_URL, log=tmp_path / "worker.log", ROBOT_RETRY_BASE_SECONDS="1") as proc:
            yield proc
    finally:
        celery_app.conf.task_always_eager = True
