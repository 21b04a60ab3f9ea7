import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ALLOWED_HOSTS", "CACHE_URL", "STAFF_MFA", "DISABLE_RATE"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k8#Jq2!vZp0rT5wLm9xYc3bN7dF1gH4sA6eU8iO2pK5lM0nB9vC",
    "ALLOWED_HOSTS": "crm.example.eu",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="crm.example.eu")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run_manage("check", DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_deploy_checks_without_warnings():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"STAFF_MFA_REQUIRED": "false"}, "STAFF_MFA_REQUIRED"),
        ({"DISABLE_RATE_LIMITS": "true"}, "DISABLE_RATE_LIMITS"),
        ({"CACHE_URL": ""}, "CACHE_URL"),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL"),
    ],
)
def test_production_refuses_to_start_with_a_safeguard_switched_off(override, named):
    result = _run_manage("check", **{**PRODUCTION, **override})
    assert result.returncode != 0
    assert named in result.stderr


def test_production_refuses_demo_data():
    for command in ("seed_demo", "demo_totp_code"):
        result = _run_manage(command, **PRODUCTION)
        assert result.returncode != 0
        assert "production" in result.stderr
