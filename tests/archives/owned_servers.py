"""Servers a fault test owns, so that stopping them disturbs nobody else: a
redis-server and a PostgreSQL cluster (initdb/pg_ctl) on free loopback
ports with their data in a temporary folder, and switches that point this
test process's tasks and default database at them."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import kombu.pools
import psycopg
import redis
from django.db import connections

from config.celery import app
from tests.archives.conftest import wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on loopback, without persistence."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.proc = None

    def _ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._ping, timeout=20, message="redis-server up")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)
        assert not self._ping()


class PostgresCluster:
    """A PostgreSQL cluster of its own (the server's binaries, a temporary
    data folder, a free port), run as the ``postgres`` user when the tests
    run as root (PostgreSQL refuses to run as root)."""

    USER = "workrooms"

    def __init__(self):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="wr-pg-"))
        self.data = self.root / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / args[0]), *args[1:]], check=True, capture_output=True)

    def url(self, database: str) -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{database}"

    def settings(self, database: str) -> dict:
        return {"HOST": "127.0.0.1", "PORT": self.port, "NAME": database, "USER": self.USER, "PASSWORD": ""}

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", self.USER, "--auth=trust", "-E", "UTF8", "--no-locale")
        self.start()

    def ready(self) -> bool:
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=1):
                return True
        except psycopg.OperationalError:
            return False

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")
        wait_for(self.ready, timeout=30, message="PostgreSQL up")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        assert not self.ready()

    def copy_database(self, source_url: str, database: str) -> None:
        """A database here with the schema of ``source_url``, no rows (as a
        transactional test finds its database)."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        dump = subprocess.run(["pg_dump", "--format=custom", "--schema-only", "--no-owner", "--no-privileges", source_url],
                              check=True, capture_output=True).stdout
        subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", self.url(database)],
                       input=dump, check=True, capture_output=True)

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def default_database_at(settings: dict):
    """This process's default connection uses ``settings`` (host, port,
    name, user) meanwhile, then what it used before."""
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    conn.settings_dict.update(settings)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)


@contextlib.contextmanager
def app_broker(url: str):
    """Send this process's tasks to ``url`` (the app's connection pools are
    dropped so that they reconnect there), and back afterwards."""
    def switch(to):
        kombu.pools.reset()  # closes and forgets every pooled connection
        app.conf.broker_url = to
        app._after_fork()  # the app forgets its pools too: new ones connect to ``to``

    before = app.conf.broker_url
    switch(url)
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        switch(before)
