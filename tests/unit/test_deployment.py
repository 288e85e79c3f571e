"""The multi-machine topology docker-compose.yml describes (CI also validates the file against
the compose specification)."""

import yaml

from tests.support import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def replicas(name: str) -> int:
    return SERVICES[name].get("deploy", {}).get("replicas", 1)


def test_compose_runs_two_web_servers_two_workers_and_exactly_one_beat():
    assert replicas("web") == 2
    assert replicas("worker") == 2
    assert replicas("beat") == 1
    assert SERVICES["beat"]["deploy"]["replicas"] == 1  # said explicitly, not by default
    assert "beat" in SERVICES["beat"]["command"]
    assert not any("beat" in SERVICES[name]["command"] for name in ("web", "worker"))


def test_each_web_replica_gets_its_own_host_port():
    (mapping,) = SERVICES["web"]["ports"]
    host_ports, _container = mapping.rsplit(":", 1)
    first, last = (int(p) for p in host_ports.split("-"))
    assert last - first + 1 == replicas("web")


def test_every_process_gets_the_settings_a_second_machine_needs():
    environment = COMPOSE["x-app"]["environment"]
    for name in ("DATABASE_URL", "REDIS_URL", "PAGE_CACHE_URL", "DATABASE_POOLING"):
        assert name in environment
    for name in ("BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY"):
        assert f"MEDIA_S3_{name}" in environment
