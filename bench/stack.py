"""What the benchmarks share: the environment of the stack under test, a fresh PostgreSQL
database, gunicorn started and stopped by its pidfile, percentiles and the machine's figures.

Used by bench/run.py and bench/reads.py, which run as scripts (so this folder is on sys.path).
"""

import http.client
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


def stack_env(database_url: str) -> dict:
    """The environment of every process of the stack: DEBUG off, emails rendered but not sent,
    Celery eager (a request pays for its own background work), no rate limits."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_DEBUG": "false",
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "DISABLE_RATE_LIMITS": "true",
    }


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def sql(database_url: str, query: str, params: tuple = (), *, fetch: bool = True) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if fetch else []


def start_gunicorn(
    *, database_url: str, port: int, workers: int, pidfile: Path, ready_path: str, timeout: int = 60
) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1 and wait (at most 60 s) until `ready_path` answers 200."""
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--pid",
            str(pidfile),
            "--log-level",
            "warning",
            "--timeout",
            str(timeout),
        ],
        cwd=ROOT,
        env=stack_env(database_url),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", ready_path)
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(process, pidfile)
    raise SystemExit("gunicorn did not start within 60 s")


def stop_gunicorn(process: subprocess.Popen, pidfile: Path) -> None:
    try:
        os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
    except (OSError, ValueError):
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def machine(database_url: str) -> dict:
    cpu = memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "postgres": sql(database_url, "SHOW server_version")[0][0],
    }
