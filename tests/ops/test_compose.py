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


# --- Access control (issue 12): the compose stack speaks SASL/SCRAM like ops/kafka.sh. `docker compose
# config` would be the first check, but no machine of ours has Docker: these read the YAML instead.
# The expected security settings come from ops/kafka/security-sasl.properties.template (what the local
# broker runs) and the issue, not from docker-compose.yml itself.

CREDENTIALS_SCRIPT = REPO / "ops/compose/credentials.sh"
SECRETS_DIR = "/run/secrets"
BROKER_SCRIPT_MOUNT = "./ops/compose/kafka-broker.sh:/opt/cablestream/kafka-broker.sh:ro"
BROKER_ADDRESS = re.compile(r"\b(?:cluster-)?kafka(?:-\d)?:9092\b")
# The local broker's template says how ops/kafka.sh secures the broker; these are its settings without a password.
TEMPLATE_SECURITY = {
    key: value
    for key, value in (
        line.split("=", 1)
        for line in (REPO / "ops/kafka/security-sasl.properties.template").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    )
    if "jaas" not in key
}


class _NoDuplicatesLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same key twice (PyYAML keeps the last silently)."""


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge"]
    duplicated = {k for k in keys if keys.count(k) > 1}  # written twice; a key that overrides a merged one is fine
    if duplicated:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate key(s) {sorted(duplicated)}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_NoDuplicatesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _broker_properties(env: dict) -> dict[str, str]:
    """The broker properties a KAFKA_* environment gives, by the apache/kafka image's rule (strip
    KAFKA_, lower-case, `_` -> `.`, `___` -> `-`, `__` -> `_`), JVM variables left out."""
    out = {}
    for name, value in env.items():
        if name.startswith("KAFKA_") and not name.endswith("_OPTS"):
            key = name[len("KAFKA_"):].lower().replace("_", ".").replace("...", "-").replace("..", "_")
            out[key] = str(value)
    return out


def _brokers(compose: dict) -> dict:
    return {n: s for n, s in compose["services"].items() if s.get("image", "").startswith("apache/kafka:")}


def _strings(value) -> list[str]:
    """Every string inside a YAML value (mappings' keys and values, lists)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def _secret_targets(service: dict) -> dict[str, str]:
    """target path in the container -> top-level secret name, for a service's secrets."""
    out = {}
    for secret in service.get("secrets", []):
        source, target = (secret, secret) if isinstance(secret, str) else (secret["source"], secret.get("target", secret["source"]))
        out[target if target.startswith("/") else f"{SECRETS_DIR}/{target}"] = source
    return out


def _secret_file(compose: dict, service: dict, path: str) -> str:
    """The host file behind the secret a service mounts at ``path`` (fails if none is mounted there)."""
    targets = _secret_targets(service)
    assert path in targets, f"{path} is not a secret of the service (has {sorted(targets)})"
    return compose["secrets"][targets[path]]["file"]


def _principals() -> list[str]:
    from streams.kafka.acls import principals

    return principals()


def _grace_seconds(text: str) -> float:
    """A Compose duration ("30s", "1m30s", "500ms") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", text)
    assert parts and "".join(n + u for n, u in parts) == text, f"not a duration: {text!r}"
    return sum(float(n) * units[u] for n, u in parts)


def test_compose_file_has_no_duplicate_keys():
    """No mapping repeats a key (YAML loaders keep the last one silently; a repeated key hid a setting once)."""
    yaml.load(COMPOSE.read_text(encoding="utf-8"), Loader=_NoDuplicatesLoader)


def test_duplicate_key_check_can_fail():
    """The duplicate-key loader refuses a service with `networks` written twice."""
    with pytest.raises(yaml.constructor.ConstructorError, match="networks"):
        yaml.load("services:\n  a:\n    networks: [x]\n    networks: [x]\n", Loader=_NoDuplicatesLoader)


def test_no_service_speaks_plaintext(compose):
    """No listener, protocol map or client setting in docker-compose.yml is PLAINTEXT (only SASL_PLAINTEXT)."""
    for name, service in compose["services"].items():
        for text in _strings(service):
            assert not re.search(r"(?<!SASL_)PLAINTEXT", text), f"{name}: {text}"
        protocol = service.get("environment", {}).get("CABLES_SECURITY_PROTOCOL")
        assert protocol in (None, "SASL_PLAINTEXT", "SASL_SSL"), f"{name}: CABLES_SECURITY_PROTOCOL={protocol}"


def test_every_broker_enforces_the_local_brokers_access_control(compose):
    """Each broker (single and cluster) has the SASL/SCRAM, authorizer, deny-by-default and super-user
    settings of ops/kafka.sh's security template, and every listener it has is SASL."""
    brokers = _brokers(compose)
    assert set(brokers) >= {"kafka", "cluster-kafka-1", "cluster-kafka-2", "cluster-kafka-3"}
    assert TEMPLATE_SECURITY["allow.everyone.if.no.acl.found"] == "false"
    assert set(TEMPLATE_SECURITY["super.users"].split(";")) == {"User:broker", "User:admin"}
    for name, service in brokers.items():
        props = _broker_properties(service["environment"])
        for key, value in TEMPLATE_SECURITY.items():
            assert props.get(key) == value, f"{name}: {key}={props.get(key)!r}, ops/kafka.sh has {value!r}"
        protocols = dict(entry.split(":") for entry in props["listener.security.protocol.map"].split(","))
        listeners = [entry.split("://")[0] for entry in props["listeners"].split(",")]
        assert listeners and all(protocols[lst] == "SASL_PLAINTEXT" for lst in listeners), f"{name}: {protocols}"
        assert props["inter.broker.listener.name"] in listeners and props["controller.listener.names"] in listeners


def test_every_broker_starts_through_the_scram_script_with_every_principals_password(compose):
    """Each broker runs ops/compose/kafka-broker.sh (mounted read-only), creates a SCRAM user for every
    principal of streams/kafka/acls.py (broker first), and mounts each one's password secret."""
    principals = _principals()
    for name, service in _brokers(compose).items():
        assert service["command"] == ["/bin/bash", "/opt/cablestream/kafka-broker.sh"], name
        assert BROKER_SCRIPT_MOUNT in service["volumes"], name
        users = service["environment"]["SCRAM_USERS"].split()
        assert users[0] == "broker" and sorted(users) == sorted(principals), f"{name}: {users}"
        for user in users:
            assert _secret_file(compose, service, f"{SECRETS_DIR}/{user}.password").endswith(f"/{user}.password"), name
        check = service["healthcheck"]["test"]
        assert "--command-config" in check and "/opt/kafka/config/client.properties" in check, f"{name}: {check}"


def _kafka_clients(compose: dict) -> dict:
    """Every service that is not a broker but names a broker address."""
    brokers = _brokers(compose)
    return {n: s for n, s in compose["services"].items()
            if n not in brokers and any(BROKER_ADDRESS.search(t) for t in _strings(s))}


def test_every_kafka_client_logs_in_with_only_its_own_password(compose):
    """Every non-broker service that talks to Kafka logs in with SCRAM-SHA-512 as a known principal and
    mounts exactly the one secret it logs in with: cables commands, the exporters and the registries."""
    principals = set(_principals())
    clients = _kafka_clients(compose)
    kinds = {}
    for name, service in clients.items():
        env, command = service.get("environment", {}), service.get("command")
        if "CABLES_BOOTSTRAP_SERVERS" in env:
            user = env["CABLES_SASL_USERNAME"]
            assert env["CABLES_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT" and env["CABLES_SASL_MECHANISM"] == "SCRAM-SHA-512", name
            assert user in principals and user != "broker", f"{name}: {user}"
            path = env["CABLES_SASL_PASSWORD_FILE"]
            assert _secret_file(compose, service, path).endswith(f"/{user}.password"), name
            kinds[name] = "cables"
        elif "QUARKUS_CONFIG_LOCATIONS" in env:
            path = env["QUARKUS_CONFIG_LOCATIONS"]
            assert _secret_file(compose, service, path).endswith("/registry-kafkasql.properties"), name
            kinds[name] = "registry"
        elif service.get("image", "").startswith("danielqsj/kafka-exporter:"):
            text = " ".join(command)
            user = re.search(r"--sasl\.username=(\S+)", text).group(1)
            assert "--sasl.enabled" in text and "--sasl.mechanism=scram-sha512" in text, name
            assert user in principals, name
            path = re.search(r'--sasl\.password="\$\$\(cat (\S+)\)"', text).group(1)
            assert _secret_file(compose, service, path).endswith(f"/{user}.password"), name
            kinds[name] = "exporter"
        else:
            pytest.fail(f"{name} talks to Kafka but none of the known kinds of client: add its SASL check")
        assert len(service["secrets"]) == 1, f"{name} mounts more secrets than the one it logs in with"
    assert sorted(kinds.values()).count("exporter") == 2 and sorted(kinds.values()).count("registry") == 2
    assert {"worker", "topic-init", "acl-init", "cluster-worker-1", "cluster-worker-2", "cluster-topic-init",
            "cluster-acl-init"} <= {n for n, k in kinds.items() if k == "cables"}


def test_kafka_client_check_can_fail(compose):
    """A client service that names the broker without a password file, or a new kind of client, fails the check."""
    broken = json.loads(json.dumps(compose))
    del broken["services"]["worker"]["environment"]["CABLES_SASL_PASSWORD_FILE"]
    with pytest.raises(KeyError):
        test_every_kafka_client_logs_in_with_only_its_own_password(broken)
    broken = json.loads(json.dumps(compose))
    broken["services"]["kcat"] = {"image": "edenhill/kcat:1.7.1", "command": ["-b", "kafka:9092", "-L"]}
    with pytest.raises(pytest.fail.Exception, match="kcat"):
        test_every_kafka_client_logs_in_with_only_its_own_password(broken)


def test_acls_are_applied_by_admin_before_any_worker_starts(compose):
    """In each profile a one-shot `cables acls apply` runs as admin, for the workers' topic prefix and app
    id, and every worker waits for it to complete."""
    services = compose["services"]
    workers = {n: s for n, s in services.items() if s.get("image") == "cablestream:local" and "command" not in s}
    acl = {n: s for n, s in services.items() if s.get("command") == ["cables", "acls", "apply"]}
    assert {"worker", "cluster-worker-1", "cluster-worker-2"} <= set(workers)
    assert set(acl) == {"acl-init", "cluster-acl-init"}
    for name, service in acl.items():
        assert service["environment"]["CABLES_SASL_USERNAME"] == "admin" and service.get("restart") == "no", name
    for name, worker in workers.items():
        (acl_name,) = [d for d in worker["depends_on"] if d in acl]
        assert worker["depends_on"][acl_name]["condition"] == "service_completed_successfully", name
        assert worker.get("profiles") == services[acl_name].get("profiles"), f"{name} waits for {acl_name} of another profile"
        for key in ("CABLES_TOPIC_PREFIX", "CABLES_APP_ID", "CABLES_BOOTSTRAP_SERVERS"):
            assert worker["environment"].get(key) == services[acl_name]["environment"].get(key), f"{name}: {key}"


def test_worker_stop_grace_period_exceeds_its_sigterm_budget(compose):
    """Docker's SIGKILL comes later than the worker's own SIGTERM budget (CABLES_SHUTDOWN_TIMEOUT_S) plus
    10 s to close its consumer and flush the producer, for the single and the cluster workers."""
    from streams.settings import Settings

    workers = [n for n, s in compose["services"].items() if s.get("image") == "cablestream:local" and "command" not in s]
    assert len(workers) == 3
    for name in workers:
        service = compose["services"][name]
        budget = Settings(shutdown_timeout_s=service["environment"].get(
            "CABLES_SHUTDOWN_TIMEOUT_S", Settings.model_fields["shutdown_timeout_s"].default)).shutdown_timeout_s
        assert _grace_seconds(service["stop_grace_period"]) >= budget + 10, name


def test_grace_period_parser():
    """Compose durations are read as Docker writes them, and a malformed one is refused."""
    assert _grace_seconds("30s") == 30 and _grace_seconds("1m30s") == 90 and _grace_seconds("500ms") == 0.5
    with pytest.raises(AssertionError):
        _grace_seconds("30")


def test_no_password_in_the_compose_file(compose):
    """No variable carries a password: only *_FILE variables pointing at mounted secrets (Grafana included)."""
    for name, service in compose["services"].items():
        for key, value in service.get("environment", {}).items():
            if "PASSWORD" in key.upper():
                assert key.endswith("_FILE") and str(value).startswith(f"{SECRETS_DIR}/"), f"{name}: {key}"
                _secret_file(compose, service, value)


def test_secrets_are_the_files_credentials_sh_writes(compose, tmp_path):
    """Every top-level secret is a file under .cache/compose/credentials/ (git-ignored) that
    ops/compose/credentials.sh writes, one per principal among them."""
    import subprocess

    subprocess.run(["bash", str(CREDENTIALS_SCRIPT), str(tmp_path)], check=True, capture_output=True)
    written = {p.name for p in (tmp_path / "credentials").iterdir()}
    files = [s["file"] for s in compose["secrets"].values()]
    for file in files:
        assert file.startswith("./.cache/compose/credentials/"), file
        assert Path(file).name in written, f"{file}: credentials.sh does not write it"
    assert {f"{p}.password" for p in _principals()} <= {Path(f).name for f in files}
    for name, service in compose["services"].items():  # Compose's own loader leaves this to `up`
        assert set(_secret_targets(service).values()) <= set(compose["secrets"]), f"{name}: undefined secret"
    assert ".cache/" in (REPO / ".gitignore").read_text().splitlines()


def test_credentials_script_writes_random_private_passwords_once(tmp_path):
    """credentials.sh writes one distinct 48-hex-digit password per principal and Grafana into a 0700
    folder, keeps them when run again, and writes the registry's login with admin's password in the
    property names that ops/registry.sh gives the local registry."""
    import stat
    import subprocess

    def run() -> dict[str, str]:
        subprocess.run(["bash", str(CREDENTIALS_SCRIPT), str(tmp_path)], check=True, capture_output=True)
        return {p.name: p.read_text() for p in (tmp_path / "credentials").iterdir()}

    first = run()
    folder = tmp_path / "credentials"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    passwords = {n: v for n, v in first.items() if n.endswith(".password")}
    assert set(passwords) == {f"{p}.password" for p in [*_principals(), "grafana-admin"]}
    assert all(re.fullmatch(r"[0-9a-f]{48}", v) for v in passwords.values())
    assert len(set(passwords.values())) == len(passwords)
    assert run() == first
    props = dict(ln.split("=", 1) for ln in first["registry-kafkasql.properties"].splitlines() if not ln.startswith("#"))
    registry_sh = (REPO / "ops/registry.sh").read_text()
    for role in ("producer", "consumer", "admin"):
        assert props[f"apicurio.kafkasql.{role}.security.protocol"] == "SASL_PLAINTEXT"
        assert props[f"apicurio.kafkasql.{role}.sasl.mechanism"] == "SCRAM-SHA-512"
        assert f'username="admin" password="{passwords["admin.password"]}"' in props[f"apicurio.kafkasql.{role}.sasl.jaas.config"]
    for key in {k.split(".", 3)[3] for k in props}:
        assert f"apicurio.kafkasql.$role.{key}=" in registry_sh, f"ops/registry.sh does not set {key}"


def test_every_worker_keeps_its_data_dir_on_a_volume(compose):
    """Each worker's CABLES_DATA_DIR (where the compiled gazetteer is kept) is a mounted named volume, so a restart finds it."""
    workers = [n for n in compose["services"] if n == "worker" or n.startswith("cluster-worker-")]
    assert len(workers) == 3
    for name in workers:
        service = compose["services"][name]
        data_dir = service["environment"]["CABLES_DATA_DIR"]
        targets = {v.split(":")[1] for v in service.get("volumes", []) if isinstance(v, str) and v.split(":")[0] in compose["volumes"]}
        assert data_dir in targets, (name, data_dir, targets)
