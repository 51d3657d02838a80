"""docker-compose.scale.yml, the scale-out shape, holds together as an operator relies on it:
two web nodes and two workers from the one image, a three-node Elasticsearch cluster whose
nodes know each other, a load balancer that names both web nodes, nothing published beyond
this machine, and every required variable documented.

No Docker engine runs where the tests run, so the files are read as data, with `extends`
resolved the way compose resolves it.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
BASE_FILE = REPO_ROOT / "docker-compose.yml"
SCALE_FILE = REPO_ROOT / "docker-compose.scale.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
DOCKERFILE = REPO_ROOT / "Dockerfile"
PROFILE = "scale"
WEB_NODES = 2
WORKER_NODES = 2
ELASTICSEARCH_NODES = 3
ELASTICSEARCH_DATA = "/usr/share/elasticsearch/data"
GUNICORN_PORT = 8000
# Sequences compose joins when one service extends another; any other value is replaced.
JOINED_SEQUENCES = {"ports", "volumes", "expose"}
REQUIRED_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):\?")
UPSTREAM_SERVER = re.compile(r"^\s*server\s+([A-Za-z0-9_.-]+):(\d+)\b", re.MULTILINE)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def merged(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        result = dict(base)
        for key, value in override.items():
            if key in JOINED_SEQUENCES and isinstance(value, list):
                result[key] = [
                    *base.get(key, []),
                    *(v for v in value if v not in base.get(key, [])),
                ]
            else:
                result[key] = merged(base.get(key), value) if key in base else value
        return result
    return override


def resolved(services: dict, name: str, directory: Path = REPO_ROOT) -> dict:
    """A service as compose runs it: what it extends, then its own keys over that.
    depends_on is never inherited through `extends`."""
    service = dict(services[name])
    reference = service.pop("extends", None)
    if reference is None:
        return service
    source = directory / reference["file"] if "file" in reference else None
    base_services = load(source)["services"] if source else services
    base = resolved(base_services, reference["service"], source.parent if source else directory)
    base.pop("depends_on", None)
    return merged(base, service)


@pytest.fixture(scope="module")
def scale() -> dict:
    return load(SCALE_FILE)


@pytest.fixture(scope="module")
def services(scale) -> dict[str, dict]:
    return {name: resolved(scale["services"], name) for name in scale["services"]}


@pytest.fixture(scope="module")
def profile_services(services) -> dict[str, dict]:
    return {name: s for name, s in services.items() if PROFILE in s.get("profiles", [])}


def command_of(service: dict) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else list(command)


def web_nodes(profile_services) -> dict[str, dict]:
    return {n: s for n, s in profile_services.items() if command_of(s)[:1] == ["gunicorn"]}


def worker_nodes(profile_services) -> dict[str, dict]:
    return {n: s for n, s in profile_services.items() if "db_worker" in command_of(s)}


def elasticsearch_nodes(profile_services) -> dict[str, dict]:
    return {
        n: s
        for n, s in profile_services.items()
        if str(s.get("image", "")).startswith("docker.elastic.co/elasticsearch/")
    }


def names(comma_separated: str) -> set[str]:
    return {item.strip() for item in str(comma_separated).split(",") if item.strip()}


def upstream_servers(config_path: Path) -> dict[str, int]:
    return {host: int(port) for host, port in UPSTREAM_SERVER.findall(config_path.read_text())}


def mounted_config(service: dict) -> Path:
    """The nginx config file a proxy service mounts from the repository."""
    for volume in service.get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if target == "/etc/nginx/conf.d/default.conf":
            return REPO_ROOT / source
    pytest.fail(f"{service.get('image')} mounts no nginx config")


def service_proxying_to(profile_services, nodes: set[str]) -> dict:
    for service in profile_services.values():
        is_nginx = str(service.get("image", "")).startswith("nginx:")
        if is_nginx and set(upstream_servers(mounted_config(service))) & nodes:
            return service
    pytest.fail(f"no nginx service proxies to any of {sorted(nodes)}")


def test_default_file_keeps_every_service_out_of_profiles():
    profiled = [n for n, s in load(BASE_FILE)["services"].items() if s.get("profiles")]
    assert not profiled, f"`docker compose up` would no longer start {profiled}"


def test_two_web_nodes_and_two_workers_from_the_one_image(profile_services):
    base_app = load(BASE_FILE)["x-portal-app"]
    webs, workers = web_nodes(profile_services), worker_nodes(profile_services)
    assert len(webs) == WEB_NODES, f"web nodes in the scale profile: {sorted(webs)}"
    assert len(workers) == WORKER_NODES, f"workers in the scale profile: {sorted(workers)}"
    for name, service in {**webs, **workers}.items():
        assert service.get("image") == base_app["image"], f"{name} runs {service.get('image')}"
        assert service.get("build") == base_app["build"], f"{name} builds {service.get('build')}"
        assert service.get("environment", {}).items() >= base_app["environment"].items(), (
            f"{name} does not get docker-compose.yml's shared portal environment"
        )


def test_web_nodes_run_gunicorn_as_the_dockerfile_does_and_are_probed_alike(profile_services):
    dockerfile_command = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE.read_text(), re.M)[1])
    base_web = load(BASE_FILE)["services"]["web"]
    for name, service in web_nodes(profile_services).items():
        assert command_of(service) == dockerfile_command, f"{name} runs {command_of(service)}"
        assert service.get("healthcheck") == base_web["healthcheck"], (
            f"{name}'s healthcheck differs from docker-compose.yml's web"
        )
        assert "WEB_CONCURRENCY" in service["environment"]
        assert not service.get("ports"), f"{name} publishes {service['ports']}: only lb should"


def test_three_elasticsearch_nodes_list_each_other(profile_services):
    nodes = elasticsearch_nodes(profile_services)
    assert len(nodes) == ELASTICSEARCH_NODES, f"Elasticsearch nodes: {sorted(nodes)}"
    everyone = set(nodes)
    for name, node in nodes.items():
        environment = node["environment"]
        assert environment.get("node.name") == name
        assert "discovery.type" not in environment, f"{name} would start a cluster of its own"
        seeds = names(environment.get("discovery.seed_hosts", ""))
        assert seeds | {name} == everyone, f"{name} seeds from {sorted(seeds)}"
        masters = names(environment.get("cluster.initial_master_nodes", ""))
        assert masters == everyone, f"{name} bootstraps with masters {sorted(masters)}"
    cluster_names = {node["environment"].get("cluster.name") for node in nodes.values()}
    assert len(cluster_names) == 1, f"the nodes name different clusters: {cluster_names}"


def test_elasticsearch_nodes_match_the_single_node_release_and_set_their_heap(profile_services):
    single = load(BASE_FILE)["services"]["search"]
    for name, node in elasticsearch_nodes(profile_services).items():
        assert node["image"] == single["image"], f"{name} runs {node['image']}"
        heap = node["environment"].get("ES_JAVA_OPTS", "")
        for flag in ("-Xms", "-Xmx"):
            assert flag in heap, f"{name} leaves its heap ({flag}) to the JVM"


def test_every_elasticsearch_node_has_its_own_volume(scale, profile_services):
    sources = {}
    for name, node in elasticsearch_nodes(profile_services).items():
        data = [v.split(":")[0] for v in node.get("volumes", []) if ELASTICSEARCH_DATA in v]
        assert len(data) == 1, f"{name} mounts {data} at {ELASTICSEARCH_DATA}"
        assert data[0] in scale["volumes"], f"{name}'s volume {data[0]} is not declared"
        sources[name] = data[0]
    assert len(set(sources.values())) == len(sources), f"nodes share a volume: {sources}"


def test_load_balancer_names_both_web_nodes(profile_services):
    webs = set(web_nodes(profile_services))
    balancer = service_proxying_to(profile_services, webs)
    servers = upstream_servers(mounted_config(balancer))
    assert set(servers) == webs, f"the load balancer sends to {sorted(servers)}"
    assert set(servers.values()) == {GUNICORN_PORT}
    for name in webs:
        assert balancer["depends_on"][name]["condition"] == "service_healthy"


def test_portal_reaches_every_elasticsearch_node_through_its_one_address(profile_services):
    nodes = set(elasticsearch_nodes(profile_services))
    proxy = service_proxying_to(profile_services, nodes)
    assert set(upstream_servers(mounted_config(proxy))) == nodes
    for name, service in {**web_nodes(profile_services), **worker_nodes(profile_services)}.items():
        host = re.match(r"https?://([^:/]+)", service["environment"]["ELASTICSEARCH_URL"])[1]
        assert profile_services.get(host) is proxy, f"{name} searches at {host}, not the proxy"


def test_every_dependency_is_a_service_of_this_file(services):
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on undefined {dependency!r}"


def test_published_ports_bind_to_loopback_only(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            host_ip = port.get("host_ip") if isinstance(port, dict) else None
            if not isinstance(port, dict):
                parts = str(port).split(":")
                host_ip = parts[0] if len(parts) == 3 else None
            assert host_ip == "127.0.0.1", f"{name} publishes {port!r} beyond this machine"


def test_every_required_variable_is_documented_in_env_example(services):
    documented = {
        line.split("=", 1)[0].strip()
        for line in ENV_EXAMPLE.read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    text = SCALE_FILE.read_text() + yaml.safe_dump(services)
    required = set(REQUIRED_VARIABLE.findall(text))
    assert required, "the scale file requires no variable at all: the pattern is broken"
    assert not required - documented, f"undocumented: {sorted(required - documented)}"
