"""docker-compose.yml starts in order, exposes nothing beyond this machine, and hands the
portal every variable production settings refuse to start without.

No Docker engine runs where the tests run, so the file is checked as data.
"""

import re
from collections.abc import Iterator

import pytest
import yaml

from tests.portal.settings_process import (
    PRODUCTION_SETTINGS,
    REPO_ROOT,
    VALID_PRODUCTION_VALUES,
    clean_environment,
    configuration_error,
    import_settings,
)

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
APP_SERVICES = ("web", "worker", "migrate")
# Production reads these only when present, but the stack wires its storage and search
# services to the portal through them.
STACK_VARIABLES = {
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "ELASTICSEARCH_URL",
}
# `$$` is a literal dollar passed on to the container's shell; `${NAME...}` and `$NAME`
# are compose's own interpolation.
INTERPOLATION = re.compile(r"\$\$|\$\{?([A-Za-z_][A-Za-z0-9_]*)")
READY_CONDITIONS = {"service_healthy", "service_completed_successfully"}
# Guards the discovery loop against a settings module that keeps asking for more.
MAX_REQUIRED_VARIABLES = 30


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def dependencies(service: dict) -> dict[str, str]:
    """Each service this one depends on, with the condition it waits for."""
    depends_on = service.get("depends_on", {})
    if isinstance(depends_on, list):
        return dict.fromkeys(depends_on, "service_started")
    return {name: entry.get("condition", "service_started") for name, entry in depends_on.items()}


def one_shot_services(services: dict) -> set[str]:
    """Services that others wait on to finish rather than to be healthy."""
    return {
        name
        for service in services.values()
        for name, condition in dependencies(service).items()
        if condition == "service_completed_successfully"
    }


def environment_of(service: dict) -> dict[str, str | None]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(entry.split("=", 1) if "=" in entry else (entry, None) for entry in environment)
    return environment


def published_host_ip(port: str | int | dict) -> str | None:
    """The host address a `ports` entry binds to; None when it binds to all of them."""
    if isinstance(port, dict):
        return port.get("host_ip")
    parts = str(port).split(":")
    # HOST_IP:HOST_PORT:CONTAINER_PORT; shorter forms publish on every interface.
    return parts[0] if len(parts) == 3 else None


def strings_in(node) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings_in(key)
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)


def env_example_names() -> set[str]:
    names = set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line.split("=", 1)[0].strip())
    return names


def interpolated_names() -> set[str]:
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    return {
        match.group(1)
        for text in strings_in(compose)
        for match in INTERPOLATION.finditer(text)
        if match.group(1)
    }


def variables_production_requires() -> set[str]:
    """Import production settings with nothing set, adding each variable the error names
    until the import succeeds: the full list, whatever the settings come to require."""
    provided: dict[str, str] = {}
    for _ in range(MAX_REQUIRED_VARIABLES):
        result = import_settings(clean_environment(PRODUCTION_SETTINGS, provided))
        if result.returncode == 0:
            return set(provided)
        message = configuration_error(result)
        assert message, f"production settings failed without naming a variable:\n{result.stderr}"
        # Every settings error starts with the variable's name: `NAME must be set`,
        # `NAME='value' is not ...`.
        name = message.split()[0].split("=")[0]
        assert name not in provided, (
            f"production settings rejected the sample value {provided[name]!r} for {name} "
            f"({message}); add a value it accepts to VALID_PRODUCTION_VALUES"
        )
        provided[name] = VALID_PRODUCTION_VALUES.get(name, "placeholder")
    pytest.fail(f"production settings still fail after {MAX_REQUIRED_VARIABLES} variables")


def test_every_dependency_is_a_defined_service(services):
    for name, service in services.items():
        for dependency in dependencies(service):
            assert dependency in services, (
                f"{name} depends on {dependency!r}, which docker-compose.yml does not define"
            )


def test_dependents_wait_for_health_or_completion_not_mere_start(services):
    for name, service in services.items():
        for dependency, condition in dependencies(service).items():
            assert condition in READY_CONDITIONS, (
                f"{name} waits for {dependency} with {condition!r}; a started container may "
                f"not accept connections yet: use one of {sorted(READY_CONDITIONS)}"
            )


def test_services_waited_on_as_healthy_define_a_healthcheck(services):
    for name, service in services.items():
        for dependency, condition in dependencies(service).items():
            if condition == "service_healthy":
                assert services.get(dependency, {}).get("healthcheck", {}).get("test"), (
                    f"{name} waits for {dependency} to be healthy, but {dependency} has no "
                    "healthcheck, so compose can never report it healthy"
                )


def test_long_lived_services_have_healthchecks(services):
    for name in services.keys() - one_shot_services(services):
        healthcheck = services[name].get("healthcheck", {})
        assert healthcheck.get("test"), (
            f"{name} runs for the life of the stack but has no healthcheck, "
            "so a hung container looks the same as a working one"
        )
        assert not healthcheck.get("disable"), f"{name} has its healthcheck disabled"


def test_one_shot_services_are_never_restarted(services):
    for name in one_shot_services(services):
        restart = services[name].get("restart", "no")
        assert restart == "no", (
            f"{name} is a one-shot that others wait on to finish, but restart: {restart!r} "
            "starts it again after it exits"
        )


def test_published_ports_bind_to_loopback_only(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            assert published_host_ip(port) == "127.0.0.1", (
                f"{name} publishes {port!r} on every interface of the host; "
                "bind it to 127.0.0.1, e.g. '127.0.0.1:8000:8000'"
            )


def test_every_interpolated_variable_is_documented_in_env_example():
    undocumented = interpolated_names() - env_example_names()
    assert not undocumented, (
        f"docker-compose.yml uses {sorted(undocumented)}, which .env.example does not list; "
        "an operator copying .env.example would not know to set them"
    )


def test_env_example_lists_only_variables_compose_uses():
    unused = env_example_names() - interpolated_names()
    assert not unused, (
        f".env.example lists {sorted(unused)}, which docker-compose.yml never reads; "
        "setting them would silently do nothing"
    )


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_app_containers_run_production_settings(services, service_name):
    settings_module = environment_of(services[service_name]).get("DJANGO_SETTINGS_MODULE")
    assert settings_module == PRODUCTION_SETTINGS, (
        f"{service_name} runs with DJANGO_SETTINGS_MODULE={settings_module!r}, "
        f"not {PRODUCTION_SETTINGS}"
    )


def test_app_containers_receive_every_variable_production_requires(services):
    required = variables_production_requires() | STACK_VARIABLES
    for service_name in APP_SERVICES:
        environment = environment_of(services[service_name])
        missing = sorted(name for name in required if not environment.get(name))
        assert not missing, f"{service_name} is not given {missing}, which production needs"


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(variable):
    values = {name: value for name, value in VALID_PRODUCTION_VALUES.items() if name != variable}
    result = import_settings(clean_environment(PRODUCTION_SETTINGS, values))
    assert result.returncode != 0, f"production settings loaded without {variable}"
    assert variable in configuration_error(result), (
        f"the start-up error does not name {variable}:\n{result.stderr}"
    )
