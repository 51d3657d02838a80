"""Settings from the environment: a malformed value stops start-up with an error naming
its variable, and production settings with their required values pass the deploy check."""

import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.environment import env_bool, env_database, env_int, env_list, env_required
from tests.portal.settings_process import (
    PRODUCTION_SETTINGS,
    REPO_ROOT,
    VALID_PRODUCTION_VALUES,
    clean_environment,
    configuration_error,
    import_settings_concurrently,
)

# A bucket switches on the S3 settings, so their values are read and checked too.
PRODUCTION_WITH_STORAGE = {**VALID_PRODUCTION_VALUES, "S3_BUCKET": "oversight-portal"}

MALFORMED_VALUES = [
    ("SECURE_HSTS_SECONDS", "abc"),
    ("SECURE_HSTS_SECONDS", "-1"),
    ("SECURE_SSL_REDIRECT", "maybe"),
    ("EMAIL_USE_TLS", "sometimes"),
    ("EMAIL_PORT", "0"),
    ("DATABASE_URL", "mysql://x"),
    ("DATABASE_URL", "not-a-url"),
    ("ALLOWED_HOSTS", "a,,b"),
    ("ALLOWED_HOSTS", ""),
    ("SECRET_KEY", "   "),
    ("S3_URL_EXPIRY_SECONDS", "0"),
    ("SESSION_COOKIE_AGE", "59"),
    ("REDIS_URL", "http://cache.example.org:6379"),
]
VALID = "valid"
TEST_VARIABLE = "PORTAL_SETTINGS_TEST_VALUE"


def case_id(variable: str, value: str) -> str:
    return f"{variable}={value!r}"


@pytest.fixture(scope="module")
def production_imports() -> dict[str, subprocess.CompletedProcess]:
    """Production settings imported once per malformed value, plus once with none."""
    environments = {
        case_id(variable, value): clean_environment(
            PRODUCTION_SETTINGS, {**PRODUCTION_WITH_STORAGE, variable: value}
        )
        for variable, value in MALFORMED_VALUES
    }
    environments[VALID] = clean_environment(PRODUCTION_SETTINGS, PRODUCTION_WITH_STORAGE)
    return import_settings_concurrently(environments)


def test_production_settings_load_with_valid_values(production_imports):
    result = production_imports[VALID]
    assert result.returncode == 0, f"valid production values were rejected:\n{result.stderr}"


@pytest.mark.parametrize(
    ("variable", "value"),
    MALFORMED_VALUES,
    ids=[case_id(variable, value) for variable, value in MALFORMED_VALUES],
)
def test_malformed_value_stops_start_up_naming_its_variable(production_imports, variable, value):
    result = production_imports[case_id(variable, value)]
    assert result.returncode != 0, f"production settings accepted {variable}={value!r}"
    assert variable in configuration_error(result), (
        f"the error for {variable}={value!r} does not name {variable}:\n{result.stderr}"
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    environment = clean_environment(
        PRODUCTION_SETTINGS,
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "portal.example.org",
            "WAGTAILADMIN_BASE_URL": "https://portal.example.org",
            "EMAIL_HOST": "smtp.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        },
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"check --deploy found problems:\n{result.stderr}"


class TestEnvRequired:
    def test_returns_the_value_without_surrounding_space(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, "  smtp.example.org  ")
        assert env_required(TEST_VARIABLE, "the mail server") == "smtp.example.org"

    @pytest.mark.parametrize("value", [None, "", "   "])
    def test_missing_or_blank_names_the_variable_and_the_hint(self, monkeypatch, value):
        if value is None:
            monkeypatch.delenv(TEST_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(TEST_VARIABLE, value)
        with pytest.raises(ImproperlyConfigured, match=f"^{TEST_VARIABLE} must be set: the mail"):
            env_required(TEST_VARIABLE, "the mail server")


class TestEnvBool:
    @pytest.mark.parametrize("value", ["1", "true", "yes", "on", " Yes ", "TRUE"])
    def test_true_words(self, monkeypatch, value):
        monkeypatch.setenv(TEST_VARIABLE, value)
        assert env_bool(TEST_VARIABLE, default=False) is True

    @pytest.mark.parametrize("value", ["0", "false", "no", "off", "Off"])
    def test_false_words(self, monkeypatch, value):
        monkeypatch.setenv(TEST_VARIABLE, value)
        assert env_bool(TEST_VARIABLE, default=True) is False

    @pytest.mark.parametrize("default", [True, False])
    def test_unset_gives_the_default(self, monkeypatch, default):
        monkeypatch.delenv(TEST_VARIABLE, raising=False)
        assert env_bool(TEST_VARIABLE, default=default) is default

    @pytest.mark.parametrize("value", ["maybe", ""])
    def test_other_words_and_an_empty_value_name_the_variable(self, monkeypatch, value):
        # An empty value is a mistake, not "off": SECURE_SSL_REDIRECT= must not disable HTTPS.
        monkeypatch.setenv(TEST_VARIABLE, value)
        with pytest.raises(ImproperlyConfigured, match=f"^{TEST_VARIABLE}='{value}' is not a bool"):
            env_bool(TEST_VARIABLE, default=True)


class TestEnvInt:
    def test_reads_a_whole_number(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, " 300 ")
        assert env_int(TEST_VARIABLE, 5) == 300

    def test_unset_gives_the_default(self, monkeypatch):
        monkeypatch.delenv(TEST_VARIABLE, raising=False)
        assert env_int(TEST_VARIABLE, 5) == 5

    def test_the_minimum_itself_is_allowed(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, "1")
        assert env_int(TEST_VARIABLE, 5, minimum=1) == 1

    @pytest.mark.parametrize("value", ["abc", "1.5", ""])
    def test_not_a_whole_number_names_the_variable(self, monkeypatch, value):
        monkeypatch.setenv(TEST_VARIABLE, value)
        with pytest.raises(ImproperlyConfigured, match=f"^{TEST_VARIABLE}=.* is not a whole"):
            env_int(TEST_VARIABLE, 5)

    def test_below_the_minimum_names_the_variable(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, "0")
        with pytest.raises(ImproperlyConfigured, match=f"^{TEST_VARIABLE}=0 is below the minimum"):
            env_int(TEST_VARIABLE, 5, minimum=1)


class TestEnvList:
    def test_splits_on_commas_and_trims_each_item(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, "portal.example.org, www.example.org ,localhost")
        assert env_list(TEST_VARIABLE, []) == ["portal.example.org", "www.example.org", "localhost"]

    def test_unset_gives_the_default(self, monkeypatch):
        monkeypatch.delenv(TEST_VARIABLE, raising=False)
        assert env_list(TEST_VARIABLE, ["localhost"]) == ["localhost"]

    @pytest.mark.parametrize("value", ["a,,b", "a,", ",a", ""])
    def test_an_empty_item_names_the_variable(self, monkeypatch, value):
        monkeypatch.setenv(TEST_VARIABLE, value)
        with pytest.raises(ImproperlyConfigured, match=f"^{TEST_VARIABLE}=.* has an empty item"):
            env_list(TEST_VARIABLE, [])


class TestEnvDatabase:
    def test_reads_a_postgres_url(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, "postgres://portal:secret@db.example.org:5433/oversight")
        database = env_database(TEST_VARIABLE, "sqlite:///unused.sqlite3")
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert (database["HOST"], database["PORT"]) == ("db.example.org", 5433)
        assert (database["USER"], database["PASSWORD"]) == ("portal", "secret")
        assert database["NAME"] == "oversight"

    def test_reads_a_sqlite_url(self, monkeypatch, tmp_path):
        monkeypatch.setenv(TEST_VARIABLE, f"sqlite:///{tmp_path / 'portal.sqlite3'}")
        database = env_database(TEST_VARIABLE, "postgres://unused@127.0.0.1/unused")
        assert database["ENGINE"] == "django.db.backends.sqlite3"
        assert database["NAME"] == str(tmp_path / "portal.sqlite3")

    def test_unset_uses_the_default_url(self, monkeypatch, tmp_path):
        monkeypatch.delenv(TEST_VARIABLE, raising=False)
        database = env_database(TEST_VARIABLE, f"sqlite:///{tmp_path / 'default.sqlite3'}")
        assert database["NAME"] == str(tmp_path / "default.sqlite3")

    def test_an_unsupported_engine_names_the_variable(self, monkeypatch):
        monkeypatch.setenv(TEST_VARIABLE, "mysql://portal@db.example.org/portal")
        with pytest.raises(
            ImproperlyConfigured, match=f"^{TEST_VARIABLE} names the engine .*mysql"
        ):
            env_database(TEST_VARIABLE, "sqlite:///unused.sqlite3")

    @pytest.mark.parametrize("value", ["not-a-url", ""])
    def test_an_unreadable_url_names_the_variable(self, monkeypatch, value):
        monkeypatch.setenv(TEST_VARIABLE, value)
        with pytest.raises(
            ImproperlyConfigured, match=f"^{TEST_VARIABLE} is not a usable database"
        ):
            env_database(TEST_VARIABLE, "sqlite:///unused.sqlite3")
