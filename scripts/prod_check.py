"""The production check's browser-less visitor (run by scripts/prod_check.sh;
standard library only): signs in as the demo office on the running gunicorn,
issues one 荣誉证书 to a member of the demo workroom, waits for the worker to
render it and saves the PDF.

    python3 scripts/prod_check.py http://127.0.0.1:PORT OUT.pdf
"""

import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request

WORKROOM = "王喆名班主任工作室"
RECIPIENT = "张昇"
TIMEOUT = 180  # seconds for the worker to render one certificate


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; the check talks plain HTTP on loopback
    (where the TLS proxy would stand), so send them anyway."""

    def return_ok_secure(self, cookie, request):
        return True


class Visitor:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar(LoopbackCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _open(self, path: str, data: dict | list | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            request.add_header("Origin", self.base)
            request.add_header("Referer", self.base + path)
        return self.opener.open(request, timeout=60)

    def get(self, path: str) -> tuple[str, str]:
        with self._open(path) as r:
            return r.geturl(), r.read().decode()

    def post(self, path: str, data: dict) -> tuple[str, str]:
        _, page = self.get(path)
        data = {**data, "csrfmiddlewaretoken": _find(r'name="csrfmiddlewaretoken" value="([^"]+)"', page, "CSRF token")}
        with self._open(path, data) as r:
            return r.geturl(), r.read().decode()

    def bytes(self, path: str) -> bytes:
        with self._open(path) as r:
            return r.read()


def _find(pattern: str, text: str, what: str) -> str:
    match = re.search(pattern, text)
    if not match:
        raise SystemExit(f"prod check: {what} not found on the page")
    return match.group(1)


def main(base: str, out: str) -> None:
    v = Visitor(base)
    url, _ = v.post("/accounts/login/", {"username": "office", "password": "demo12345"})
    if "/accounts/login/" in url:
        raise SystemExit("prod check: signing in as office failed")
    print("signed in as office")

    _, page = v.get("/archives/certificates/issue/")
    workroom = _find(rf'<option value="(\d+)"[^>]*>{WORKROOM}', page, WORKROOM)
    issue = f"/archives/certificates/issue/?workroom={workroom}&kind=honour"
    _, page = v.get(issue)
    recipient = _find(rf'value="(\d+)"[^>]*>\s*(?:</?[^>]+>\s*)*{RECIPIENT}', page, RECIPIENT)
    url, _ = v.post(issue, {"recipients": recipient, "honour": "优秀学员"})
    job = _find(r"/archives/jobs/(\d+)/$", url, "job page")
    print(f"certificate job {job} queued")

    deadline = time.monotonic() + TIMEOUT
    while True:
        status = json.loads(v.get(f"/archives/jobs/{job}/status/")[1])
        if status["status"] == "done":
            break
        if status["status"] == "failed" or time.monotonic() > deadline:
            raise SystemExit(f"prod check: certificate job ended as {status}")
        time.sleep(0.5)
    with open(out, "wb") as f:
        f.write(v.bytes(status["download_url"]))
    print(f"certificate PDF saved ({status['status_label']})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
