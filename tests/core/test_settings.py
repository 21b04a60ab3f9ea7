import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALLOWED_HOSTS"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="crm.example.eu")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run_manage("check", DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_deploy_checks_without_warnings():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="k8#Jq2!vZp0rT5wLm9xYc3bN7dF1gH4sA6eU8iO2pK5lM0nB9vC",
        ALLOWED_HOSTS="crm.example.eu",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
