"""docker-compose.yml and the ops files it mounts, checked without Docker: the Compose
specification's schema, the paths it mounts and builds from, healthcheck-backed start order,
and the consistency of the Prometheus and Grafana files with streams/obs/metrics.py.

The Compose specification schema is the copy vendored by check-jsonschema (a dev dependency).
"""

from __future__ import annotations

import fnmatch
import importlib.resources
import json
import os
import re
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from prometheus_client import CollectorRegistry

from streams.obs.metrics import Metrics

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
sys.path.insert(0, str(REPO / "ops"))
import promql_exprs  # noqa: E402  (ops/promql_exprs.py, a script beside the ops files)

HEALTH_CONDITIONS = {"service_healthy", "service_completed_successfully"}
DATASOURCE_UID = "cables-prometheus"


@pytest.fixture(scope="module")
def compose() -> dict:
    """docker-compose.yml as data."""
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose_schema() -> dict:
    """The Compose specification's JSON schema, as shipped by check-jsonschema (skipped without it
    outside CI, a failure under CI=true where the dev dependencies are always installed)."""
    try:
        vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    except ModuleNotFoundError:
        msg = "check-jsonschema is not installed (dev dependency: pip install -e '.[dev]')"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return json.loads((vendor / "compose-spec.json").read_text(encoding="utf-8"))


def _validator(schema: dict) -> jsonschema.protocols.Validator:
    """A validator of the draft the schema declares (the Compose schema says draft-07)."""
    if "draft-07" in schema.get("$schema", ""):
        return jsonschema.Draft7Validator(schema)
    return jsonschema.validators.validator_for(schema)(schema)


def _interpolate(text: str) -> str:
    """Compose's ${VAR:-default} interpolation with an empty environment."""
    return re.sub(r"\$\{[A-Z_][A-Z0-9_]*:-([^}]*)\}", r"\1", text)


def _bind_sources(service: dict) -> list[str]:
    """Host paths of a service's bind mounts (short and long volume syntax)."""
    sources = []
    for vol in service.get("volumes", []):
        if isinstance(vol, str):
            source = vol.split(":", 1)[0]
            if source.startswith((".", "/", "~")):
                sources.append(source)
        elif vol.get("type") == "bind":
            sources.append(vol["source"])
    return sources


def _metric_sample_names() -> set[str]:
    """Every sample name the worker's metrics can expose (counters with _total, histograms' series)."""
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "info": ("_info",),
        "gauge": ("",),
    }
    names = set()
    for family in Metrics(CollectorRegistry()).registry.collect():
        names.update(family.name + s for s in suffixes[family.type])
    return names


def test_compose_file_is_valid_against_the_compose_specification(compose, compose_schema):
    """docker-compose.yml validates against the Compose specification's JSON schema."""
    errors = sorted(_validator(compose_schema).iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_check_rejects_an_invalid_file(compose, compose_schema):
    """The schema check can fail: an unknown service key and a malformed healthcheck are errors."""
    broken = json.loads(json.dumps(compose))
    broken["services"]["worker"]["helthcheck"] = {"test": ["CMD", "true"]}
    broken["services"]["kafka"]["healthcheck"]["interval"] = ["10s"]
    assert len(list(_validator(compose_schema).iter_errors(broken))) >= 2


def test_no_top_level_version_key(compose):
    """The obsolete top-level `version:` key is absent (the Compose specification ignores it)."""
    assert "version" not in compose


def test_expected_services_are_present(compose):
    """The stack has Kafka, topic init, the registry, the worker, kafka-exporter, Prometheus and Grafana."""
    assert set(compose["services"]) >= {
        "kafka", "topic-init", "schema-registry", "worker", "kafka-exporter", "prometheus", "grafana"
    }


def test_every_bind_mounted_host_path_exists(compose):
    """Every host path a service bind-mounts exists in the repository."""
    for name, service in compose["services"].items():
        for source in _bind_sources(service):
            assert (REPO / source).exists(), f"{name}: mounts {source}, which does not exist"


def test_build_contexts_and_dockerfiles_exist(compose):
    """Every build context exists and holds its Dockerfile."""
    builds = [(n, s["build"]) for n, s in compose["services"].items() if "build" in s]
    assert builds
    for name, build in builds:
        build = {"context": build} if isinstance(build, str) else build
        context = REPO / build.get("context", ".")
        assert context.is_dir(), f"{name}: build context {context} missing"
        assert (context / build.get("dockerfile", "Dockerfile")).is_file(), f"{name}: Dockerfile missing"


def test_dockerfile_copies_only_existing_files_that_dockerignore_keeps():
    """Each COPY source of the Dockerfile exists and is not excluded by .dockerignore."""
    patterns = [
        line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def kept(path: str) -> bool:
        keep = True
        for pattern in patterns:  # the last matching pattern wins, "!" re-includes
            negate = pattern.startswith("!")
            pat = pattern.lstrip("!").rstrip("/")
            if fnmatch.fnmatch(path, pat):
                keep = negate
        return keep

    copies = re.findall(r"^COPY\s+(?!--from)(.+)$", (REPO / "Dockerfile").read_text(), flags=re.M)
    assert copies
    for line in copies:
        *sources, _dest = line.split()
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: not in the repository"
            assert kept(source.rstrip("/")), f"COPY {source}: excluded by .dockerignore"


def test_every_dependency_waits_on_a_healthcheck_or_completion(compose):
    """Each depends_on uses service_healthy (on a service with a healthcheck) or service_completed_successfully."""
    services = compose["services"]
    for name, service in services.items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on must use the long form with conditions"
        for dep, spec in depends.items():
            assert dep in services, f"{name}: depends on unknown service {dep}"
            condition = spec.get("condition")
            assert condition in HEALTH_CONDITIONS, f"{name} -> {dep}: condition {condition!r}"
            if condition == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep}, which has no healthcheck"
            else:
                assert services[dep].get("restart", "no") == "no", f"{dep} is one-shot: it must not restart"


def test_named_services_have_healthchecks(compose):
    """Kafka, the registry, the worker, Prometheus and Grafana declare healthchecks."""
    for name in ("kafka", "schema-registry", "worker", "prometheus", "grafana"):
        assert compose["services"][name].get("healthcheck", {}).get("test"), name


def test_no_wait_loops_and_pinned_images(compose):
    """No service waits with nc or shell loops, and every image names a version (never latest)."""
    for name, service in compose["services"].items():
        text = json.dumps({k: service.get(k) for k in ("command", "entrypoint", "healthcheck")})
        assert not re.search(r"\bnc\b|\bwhile\b|\buntil\b", text), f"{name}: wait loop"
        image = _interpolate(service.get("image", ""))
        if image and "build" not in service:
            tag = image.rsplit(":", 1)[-1] if ":" in image.split("/")[-1] else ""
            assert tag and tag != "latest", f"{name}: image {image} is not pinned"


def test_kafka_runs_in_kraft_mode(compose):
    """Kafka is the apache/kafka image as a combined KRaft broker and controller, no ZooKeeper."""
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert not any("ZOOKEEPER" in k for k in env)
    assert not any("zookeeper" in n for n in compose["services"])


def test_worker_settings_point_at_compose_services(compose):
    """The worker reaches Kafka and the registry by service name and listens on all interfaces."""
    env = compose["services"]["worker"]["environment"]
    assert env["CABLES_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert env["CABLES_SCHEMA_REGISTRY_URL"] == "http://schema-registry:8080/apis/ccompat/v7"
    assert env["CABLES_WEB_HOST"] == "0.0.0.0"


def test_prometheus_compose_targets_are_compose_services(compose):
    """Every target of prometheus.compose.yml is a compose service (or Prometheus itself)."""
    config = yaml.safe_load((REPO / "ops/prometheus/prometheus.compose.yml").read_text())
    hosts = {
        target.split(":")[0]
        for job in config["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }
    assert hosts - {"localhost"} <= set(compose["services"])
    assert "worker" in hosts and "kafka-exporter" in hosts


def test_local_prometheus_scrapes_the_worker_on_its_default_port():
    """ops/prometheus/prometheus.yml scrapes 127.0.0.1 on the settings' default web port and loads the alerts."""
    from streams.settings import Settings

    config = yaml.safe_load((REPO / "ops/prometheus/prometheus.yml").read_text())
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "cables-worker"]
    assert job["static_configs"][0]["targets"] == [f"127.0.0.1:{Settings().web_port}"]
    assert config["rule_files"] == ["alerts.yml"]


def test_every_panel_uses_the_datasource_variable_defaulting_to_the_provisioned_uid():
    """Every panel and target reads `${datasource}`, whose default is the uid that provisioning fixes."""
    provisioned = yaml.safe_load((REPO / "ops/grafana/provisioning/datasources/prometheus.yml").read_text())
    assert [d["uid"] for d in provisioned["datasources"]] == [DATASOURCE_UID]
    dashboards = sorted((REPO / "ops/grafana/dashboards").glob("*.json"))
    assert dashboards
    for path in dashboards:
        dashboard = json.loads(path.read_text())
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
        assert variables["datasource"]["current"]["value"] == DATASOURCE_UID
        for panel in dashboard["panels"]:
            if panel["type"] == "row":
                continue
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
            for target in panel["targets"]:
                assert target["datasource"]["uid"] == "${datasource}", panel["title"]


def test_every_worker_panel_is_filtered_by_job_and_instance():
    """The dashboard has $job and $instance variables, and every worker expression selects on both."""
    dashboard = json.loads((REPO / "ops/grafana/dashboards/cables.json").read_text())
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert {"datasource", "job", "instance"} <= set(variables)
    assert variables["instance"]["includeAll"] and variables["instance"]["multi"]
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            metrics = set(re.findall(r"\b(cables_[a-z_]+|process_[a-z_]+|faust_[a-z_]+|up)\b\s*\{", target["expr"]))
            if metrics:
                assert 'job=~"$job"' in target["expr"] and 'instance=~"$instance"' in target["expr"], panel["title"]


def test_dashboard_has_exporter_lag_restarts_outcomes_ratios_and_age_percentiles():
    """The operators' panels exist: broker-side lag per partition, restarts, per-outcome rates, ratios, age p50/p95/p99."""
    exprs = [e.expr for e in promql_exprs.dashboard_expressions()]
    assert any("kafka_consumergroup_lag" in e and "partition" in e for e in exprs)
    assert any("changes(process_start_time_seconds" in e for e in exprs)
    assert any("cables_quarantined_messages_total" in e and "/" in e for e in exprs)
    assert any("cables_dlq_messages_total" in e and "/" in e for e in exprs)
    assert any("topic!~" in e and "cables_messages_produced_total" in e for e in exprs)
    ages = [e for e in exprs if "cables_event_age_seconds_bucket" in e]
    assert sorted(e.split(",")[0] for e in ages) == [
        "histogram_quantile(0.5", "histogram_quantile(0.95", "histogram_quantile(0.99"]


def test_prometheus_starts_without_waiting_for_the_worker(compose):
    """A broken worker must not hide the metrics that explain it: Prometheus does not depend on it."""
    assert "worker" not in compose["services"]["prometheus"].get("depends_on", {})


def test_dashboard_provider_points_at_the_mounted_dashboards(compose):
    """The dashboard provider's path is where docker-compose.yml mounts ops/grafana/dashboards."""
    provider = yaml.safe_load((REPO / "ops/grafana/provisioning/dashboards/cables.yml").read_text())
    path = provider["providers"][0]["options"]["path"]
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./ops/grafana/dashboards:{path}:ro" in mounts


def test_dashboard_and_alert_metrics_are_declared_in_streams_metrics():
    """Every cables_* series a dashboard or alert queries is exposed by streams/obs/metrics.py."""
    exposed = _metric_sample_names()
    used = {
        name
        for e in promql_exprs.all_expressions()
        for name in re.findall(r"\bcables_[a-z_]+", e.expr)
    }
    assert used, "no cables_ metric found in the dashboards and alerts"
    assert not used - exposed, f"not exposed by streams/obs/metrics.py: {sorted(used - exposed)}"


def test_dashboard_rows_cover_overview_latency_kafka_runtime():
    """The dashboard has the overview, latency, Kafka and runtime rows."""
    panels = json.loads((REPO / "ops/grafana/dashboards/cables.json").read_text())["panels"]
    rows = [p["title"] for p in panels if p["type"] == "row"]
    assert rows == ["Overview", "Latency", "Kafka", "Runtime"]
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids))


def test_alert_probes_drop_thresholds_and_split_conditions():
    """An alert condition is checked through its operands: thresholds dropped, `and` parts split."""
    assert promql_exprs.probes('up{job="w"} == 0') == ('up{job="w"}',)
    assert promql_exprs.probes("(a / b) > 0.05") == ("(a / b)",)
    assert promql_exprs.probes("x > 10 and on (job) rate(y[5m]) > 3 * rate(y[1h])") == (
        "x", "rate(y[5m])", "3 * rate(y[1h])"
    )
    assert promql_exprs.probes("(a or b * 0) / c > 1") == ("(a or b * 0) / c",)
    assert promql_exprs.probes('sum(x{l=~"a|b"}) >= 0') == ('sum(x{l=~"a|b"})',)
    assert promql_exprs.probes('absent(up{job="w"})') == ('up{job="w"}',)


def test_every_alert_has_for_severity_and_annotations():
    """Each alert rule has a `for` duration, a severity label and summary/description annotations."""
    doc = yaml.safe_load((REPO / "ops/prometheus/alerts.yml").read_text())
    rules = [r for g in doc["groups"] for r in g["rules"]]
    assert {r["alert"] for r in rules} == {
        "CablesWorkerDown", "CablesNoProgressWhileLagGrows", "CablesErrorRatioHigh", "CablesDeadLetterSpike",
        "CablesQuarantineRatioHigh", "CablesWorkerAbsent", "CablesLagGrowing", "CablesRestartLoop",
    }
    for rule in rules:
        assert rule["for"] and rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], rule["alert"]


CLUSTER_PROFILE = "cluster"


def _cluster_services(compose: dict) -> dict:
    """The services of the `cluster` profile."""
    return {n: s for n, s in compose["services"].items() if CLUSTER_PROFILE in s.get("profiles", [])}


def _closure(compose: dict, name: str) -> set[str]:
    """``name`` and every service it depends on, transitively (what `docker compose up NAME` starts)."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(compose["services"][current].get("depends_on", {}))
    return seen


def test_cluster_profile_has_three_kraft_brokers_two_workers_and_the_ops_stack(compose):
    """`up cluster-grafana` starts three KRaft brokers, topic init, a registry, two workers, the exporter, Prometheus and Grafana, all in the profile."""
    cluster = _cluster_services(compose)
    started = _closure(compose, "cluster-grafana")
    assert started <= set(cluster), f"outside the profile: {started - set(cluster)}"
    brokers = sorted(n for n in started if cluster[n].get("image", "").startswith("apache/kafka:"))
    workers = sorted(n for n in started if n.startswith("cluster-worker-"))
    assert len(brokers) == 3 and len(workers) == 2
    assert {"cluster-topic-init", "cluster-schema-registry", "cluster-kafka-exporter", "cluster-prometheus"} <= started
    for name in brokers:
        env = cluster[name]["environment"]
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert not any("ZOOKEEPER" in k for k in env)


def test_cluster_brokers_form_one_quorum_with_distinct_ids(compose):
    """The three brokers share a cluster id and a voter set naming each broker once by its node id."""
    brokers = {n: s["environment"] for n, s in _cluster_services(compose).items() if n.startswith("cluster-kafka-")
               and n != "cluster-kafka-exporter"}
    assert len({env["CLUSTER_ID"] for env in brokers.values()}) == 1
    voters = {env["KAFKA_CONTROLLER_QUORUM_VOTERS"] for env in brokers.values()}
    assert len(voters) == 1
    expected = {f"{env['KAFKA_NODE_ID']}@{name}:9093" for name, env in brokers.items()}
    assert set(voters.pop().split(",")) == expected and len(expected) == 3


def test_cluster_workers_ask_for_durable_topics_the_brokers_can_hold(compose):
    """Both workers and topic init name all three brokers and replication 3 with min ISR 2, which Settings accepts."""
    from streams.settings import Settings

    cluster = _cluster_services(compose)
    for name in ("cluster-worker-1", "cluster-worker-2", "cluster-topic-init"):
        env = cluster[name]["environment"]
        assert env["CABLES_BOOTSTRAP_SERVERS"].split(",") == [f"cluster-kafka-{i}:9092" for i in (1, 2, 3)]
        s = Settings(bootstrap_servers=env["CABLES_BOOTSTRAP_SERVERS"],
                     replication_factor=env["CABLES_REPLICATION_FACTOR"],
                     min_insync_replicas=env["CABLES_MIN_INSYNC_REPLICAS"])
        assert (s.replication_factor, s.min_insync_replicas) == (3, 2)
    ids = {cluster[n]["environment"]["CABLES_INSTANCE_ID"] for n in ("cluster-worker-1", "cluster-worker-2")}
    assert len(ids) == 2, "each worker has its own static member id"


def test_cluster_profile_leaves_the_default_stack_alone(compose):
    """Plain `docker compose up` starts no cluster service, and no host port is published twice."""
    default = {n for n, s in compose["services"].items() if not s.get("profiles")}
    assert not default & set(_cluster_services(compose))
    ports = [p.rsplit(":", 1)[0] for s in compose["services"].values() for p in s.get("ports", [])]
    assert len(ports) == len(set(ports)), ports


def test_cluster_prometheus_scrapes_both_workers_and_grafana_finds_it(compose):
    """prometheus.cluster.yml targets both cluster workers and the cluster exporter; the Grafana datasource host is a cluster-network alias of cluster-prometheus."""
    config = yaml.safe_load((REPO / "ops/prometheus/prometheus.cluster.yml").read_text())
    targets = {t for job in config["scrape_configs"] for st in job["static_configs"] for t in st["targets"]}
    assert {"cluster-worker-1:6066", "cluster-worker-2:6066", "cluster-kafka-exporter:9308"} <= targets
    hosts = {t.split(":")[0] for t in targets} - {"localhost"}
    assert hosts <= set(_cluster_services(compose))
    provisioned = yaml.safe_load((REPO / "ops/grafana/provisioning/datasources/prometheus.yml").read_text())
    host = provisioned["datasources"][0]["url"].split("//")[1].split(":")[0]
    assert host in compose["services"]["cluster-prometheus"]["networks"]["cluster"]["aliases"]
    assert compose["services"]["cluster-grafana"]["networks"] == ["cluster"]
