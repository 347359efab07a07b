"""Sentry is switched on by SENTRY_DSN alone, and the observability settings refuse bad values
with one sentence (real processes, as a deployment starts them)."""

import pytest

from tests.test_configuration import run_manage, shell_prints

SENTRY_STATE = (
    "import sentry_sdk; from django.conf import settings; client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options.get('send_default_pii') is False, "
    "getattr(client.options['before_send'], '__qualname__', None), "
    "settings.LOGGING['handlers']['mail_admins']['class'])"
)


def test_sentry_starts_with_a_dsn_without_personal_data_and_replaces_admin_mail():
    printed = shell_prints(
        SENTRY_STATE,
        # a port where nothing listens: nothing is sent by this command anyway
        env_overrides={"DEBUG": "1", "SENTRY_DSN": "http://public@127.0.0.1:9/1"},
    )
    assert printed.split() == [
        "True",
        "True",
        "scrub_event",
        "logging.NullHandler",
    ]


def test_without_a_dsn_sentry_stays_off_and_errors_mail_the_admins():
    printed = shell_prints(SENTRY_STATE, env_overrides={"DEBUG": "1"}, drop=("SENTRY_DSN",))
    assert printed.split() == [
        "False",
        "False",
        "None",
        "core.observability.QueuedAdminEmailHandler",
    ]


def test_admins_are_read_from_name_and_address_pairs():
    printed = shell_prints(
        "from django.conf import settings; print(settings.ADMINS)",
        env_overrides={"DEBUG": "1", "ADMINS": "Ana Ops <ana@example.org>, noc@example.org"},
    )
    assert printed == "[('Ana Ops', 'ana@example.org'), ('', 'noc@example.org')]"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SENTRY_DSN", "not a dsn"),
        ("ADMINS", "Ana Ops"),
        ("LOG_FORMAT", "xml"),
        ("METRICS_ALLOWED_IPS", "127.0.0.1,localhost"),
        ("METRICS_TOKEN", "short"),
    ],
)
def test_bad_observability_values_stop_with_one_sentence_naming_the_variable(name, value):
    result = run_manage("check", env_overrides={"DEBUG": "1", name: value})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Configuration error: ") and name in lines[0]
