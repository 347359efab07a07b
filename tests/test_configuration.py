"""Start-up behaviour with bad or production configuration, run as real processes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env() -> dict[str, str]:
    """The least a production start needs: DEBUG off, a fresh secret, its host and address."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "utds.example.org",
        "PORTAL_URL": "https://utds.example.org",
    }


def run_manage(*args, env_overrides, drop=()):
    # The browser tests allow sync ORM calls beside Playwright's loop; a deployment never does.
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def shell_prints(code, *, env_overrides, drop=()):
    """The last line `manage.py shell -c code` prints, after checking that it ran cleanly."""
    result = run_manage("shell", "-c", code, env_overrides=env_overrides, drop=drop)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_missing_secret_key_with_debug_off_stops_with_one_sentence():
    result = run_manage("check", env_overrides={"DEBUG": "0"}, drop=("SECRET_KEY",))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set; set SECRET_KEY to a long random value "
        "(or DEBUG=1 for local development)."
    ]


def test_missing_portal_url_in_production_stops_with_one_sentence():
    result = run_manage(
        "check",
        env_overrides={"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)},
        drop=("PORTAL_URL",),
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("Configuration error: PORTAL_URL is not set")


@pytest.mark.parametrize("url", ["not a url", "mysql://root@localhost/utds"])
def test_malformed_or_foreign_database_url_names_the_variable(url):
    result = run_manage("check", env_overrides={"DEBUG": "1", "DATABASE_URL": url})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_names_the_variable_without_a_traceback():
    result = run_manage(
        "migrate",
        env_overrides={"DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:1/utds"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "DATABASE_URL" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides=production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_cache_url_must_be_redis():
    result = run_manage("check", env_overrides={"DEBUG": "1", "CACHE_URL": "memcached://x"})
    assert result.returncode == 1
    assert "CACHE_URL" in result.stderr


def test_redis_cache_url_selects_the_redis_backend():
    printed = shell_prints(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env_overrides={"DEBUG": "1", "CACHE_URL": "redis://127.0.0.1:6379/3"},
    )
    assert printed == "django.core.cache.backends.redis.RedisCache"
