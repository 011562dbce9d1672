"""Real single sign-on servers for the tests, on loopback ports of their
own: OpenLDAP's slapd (Debian's package, not the system service: a
throwaway configuration and database in a temporary folder) and an OpenID
Connect provider (the npm package oidc-provider, driven by provider.mjs)."""

import json
import selectors
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SLAPD = "/usr/sbin/slapd"
LDAP_SUFFIX = "dc=school,dc=test"
LDAP_ADMIN = f"cn=admin,{LDAP_SUFFIX}"
LDAP_ADMIN_PASSWORD = "admin-secret"
LDAP_PEOPLE = f"ou=people,{LDAP_SUFFIX}"
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start on port {port}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def ldif_person(uid: str, *, password: str, cn: str, staff_no: str = "", mail: str = "") -> str:
    lines = [f"dn: uid={uid},{LDAP_PEOPLE}", "objectClass: inetOrgPerson", f"uid: {uid}", f"cn: {cn}",
             f"sn: {cn[:1]}", f"userPassword: {password}"]
    if staff_no:
        lines.append(f"employeeNumber: {staff_no}")
    if mail:
        lines.append(f"mail: {mail}")
    return "\n".join(lines)


@contextmanager
def run_slapd(people: list[str]):
    """slapd on a free loopback port with the entries ``people`` (LDIF of
    ``ldif_person``) under ou=people; yields its URI."""
    folder = Path(tempfile.mkdtemp(prefix="wr-slapd-"))
    (folder / "data").mkdir()
    (folder / "slapd.conf").write_text(f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
suffix "{LDAP_SUFFIX}"
rootdn "{LDAP_ADMIN}"
rootpw {LDAP_ADMIN_PASSWORD}
directory {folder}/data
maxsize 10485760
""")
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}/"
    # -d keeps slapd in the foreground, so this process owns it.
    proc = subprocess.Popen([SLAPD, "-f", str(folder / "slapd.conf"), "-h", uri, "-d", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, proc, "slapd")
        entries = [
            f"dn: {LDAP_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: school\ndc: school",
            f"dn: {LDAP_PEOPLE}\nobjectClass: organizationalUnit\nou: people",
            *people,
        ]
        subprocess.run(["ldapadd", "-x", "-H", uri, "-D", LDAP_ADMIN, "-w", LDAP_ADMIN_PASSWORD],
                       input="\n\n".join(entries) + "\n", text=True, check=True, capture_output=True)
        yield uri
    finally:
        _stop(proc)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def run_oidc_provider(*, redirect_uri: str, people: dict, client_id="workrooms", client_secret="rp-secret"):
    """The OpenID Connect provider on a free loopback port; yields the
    settings that point mozilla-django-oidc at it."""
    config = {"port": 0, "client_id": client_id, "client_secret": client_secret,
              "redirect_uri": redirect_uri, "people": people}
    proc = subprocess.Popen(["node", str(Path(__file__).with_name("provider.mjs")), json.dumps(config)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout=STARTUP_SECONDS):
                raise RuntimeError("the OpenID Connect provider did not start")
        line = proc.stdout.readline()
        if not line.startswith("listening "):
            raise RuntimeError(f"the OpenID Connect provider did not start: {line!r}")
        issuer = line.split()[1]
        yield {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": client_id,
            "OIDC_RP_CLIENT_SECRET": client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
        }
    finally:
        _stop(proc)
