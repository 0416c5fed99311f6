"""The compose brokers' start command, ops/compose/kafka-broker.sh, run for real without Docker.

The script runs with the environment docker-compose.yml gives the `kafka` container (host names and
ports moved to free loopback ports, its data in a temporary folder) against the Maven-fetched Kafka of
ops/kafka.sh: shims stand in for the image's /opt/kafka/bin scripts. The passwords are the ones
ops/compose/credentials.sh writes. What a client may do is written out here from the issue (a
principal logs in, an anonymous client and a wrong password are refused, a reader is refused a level
above its own), not taken from the scripts under test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "ops/compose/kafka-broker.sh"
LIBS = REPO / ".cache/kafka/libs"
LOG4J = REPO / "ops/kafka/log4j2.properties"
# The ports the compose broker listens on, inside its container: client, controller, host.
COMPOSE_PORTS = ("9092", "9093", "29092")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def libs() -> Path:
    """Kafka's jars (ops/kafka.sh fetch: from the local Maven repository once it holds them)."""
    subprocess.run(["bash", "ops/kafka.sh", "fetch"], cwd=REPO, check=True, capture_output=True, timeout=600)
    return LIBS


@pytest.fixture(scope="module")
def home(tmp_path_factory, libs) -> Path:
    """A folder with the credentials (credentials.sh), a bin/ of shims like /opt/kafka/bin, and logs/."""
    home = tmp_path_factory.mktemp("compose-broker")
    subprocess.run(["bash", "ops/compose/credentials.sh", str(home)], cwd=REPO, check=True, capture_output=True)
    (home / "bin").mkdir()
    (home / "logs").mkdir()
    java = f'exec java -Dlog4j2.configurationFile="{LOG4J}" -Dkafka.logs.dir="{home}/logs" -cp "{libs}/*"'
    for name, main in (("kafka-storage.sh", "kafka.tools.StorageTool"), ("kafka-server-start.sh", "kafka.Kafka")):
        shim = home / "bin" / name
        heap = " -Xmx384m" if main == "kafka.Kafka" else ""
        shim.write_text(f'#!/usr/bin/env bash\n{java.replace("exec java", "exec java" + heap)} {main} "$@"\n')
        shim.chmod(0o755)
    return home


def _compose_service(name: str) -> dict:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"][name]


def _interpolate(text: str) -> str:
    """Compose's ${VAR:-default} with an empty environment."""
    return re.sub(r"\$\{[A-Z_][A-Z0-9_]*:-([^}]*)\}", r"\1", text)


def _localize(value: str, ports: dict[str, int]) -> str:
    """A compose address moved to this machine: host `kafka` and empty hosts -> 127.0.0.1, the
    container's ports -> free ones."""
    value = re.sub(r"(://|@)(kafka)?:(\d+)", r"\g<1>127.0.0.1:\3", value)
    value = re.sub(r"^kafka:(\d+)$", r"127.0.0.1:\1", value)
    return re.sub(r":(\d+)\b", lambda m: f":{ports.get(m.group(1), m.group(1))}", value)


@pytest.fixture(scope="module")
def ports() -> dict[str, int]:
    return {p: _free_port() for p in COMPOSE_PORTS}


def _broker_env(home: Path, ports: dict[str, int], data: Path) -> dict[str, str]:
    """The `kafka` service's environment from docker-compose.yml, localized, plus the script's paths."""
    env = {k: _localize(_interpolate(str(v)), ports) for k, v in _compose_service("kafka")["environment"].items()}
    assert env["KAFKA_LOG_DIRS"] == "/var/lib/kafka/data"
    env["KAFKA_LOG_DIRS"] = str(data)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "CABLES_"))}
    return {**base, **env, "BROKER_BIN_DIR": str(home / "bin"), "BROKER_CONFIG_DIR": str(home / "config"),
            "BROKER_SECRETS_DIR": str(home / "credentials")}


def _password(home: Path, user: str) -> str:
    return (home / "credentials" / f"{user}.password").read_text().strip()


def _conf(port: int, user: str | None, password: str | None = None) -> dict:
    if user is None:
        return {"bootstrap.servers": f"127.0.0.1:{port}", "security.protocol": "PLAINTEXT"}
    return {"bootstrap.servers": f"127.0.0.1:{port}", "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": user, "sasl.password": password}


def _metadata(conf: dict, topic: str | None = None, timeout: float = 10.0):
    """Cluster metadata, or the KafkaException and every error the client reported meanwhile."""
    errors: list[KafkaError] = []
    admin = AdminClient({**conf, "error_cb": errors.append})
    try:
        return admin.list_topics(topic=topic, timeout=timeout), errors
    except KafkaException as exc:
        admin.poll(1)  # serves error_cb: what the client was told while it waited
        return exc, errors


class Broker:
    """One run of kafka-broker.sh in its own process group; its output goes to ``log``."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.proc: subprocess.Popen | None = None

    def start(self, port: int, admin_password: str, timeout: float = 90.0) -> None:
        self.launch()
        self.wait(port, admin_password, timeout)

    def launch(self) -> None:
        with open(self.log, "a") as out:
            self.proc = subprocess.Popen(["bash", str(SCRIPT)], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def wait(self, port: int, admin_password: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"kafka-broker.sh exited {self.proc.returncode}:\n{self.log.read_text()}"
            result, _ = _metadata(_conf(port, "admin", admin_password), timeout=3)
            if not isinstance(result, KafkaException):
                return
            time.sleep(1)
        pytest.fail(f"the broker did not answer admin within {timeout:.0f}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@pytest.fixture(scope="module")
def broker(home, ports, tmp_path_factory):
    """A broker started by kafka-broker.sh with the compose `kafka` service's environment."""
    b = Broker(_broker_env(home, ports, tmp_path_factory.mktemp("data")), home / "broker.out")
    b.start(ports["9092"], _password(home, "admin"))
    yield b
    b.stop()


def _properties(path: Path) -> dict[str, str]:
    lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    return dict(ln.split("=", 1) for ln in lines)


def test_rendered_configuration_is_what_the_images_own_wrapper_renders(home, ports, libs, tmp_path):
    """From the compose broker's environment, the script writes the properties the apache/kafka image's
    KafkaDockerWrapper (run here from the same Kafka jars) writes, plus one JAAS line per SASL listener."""
    env = _broker_env(home, ports, tmp_path / "data")
    env["BROKER_CONFIG_DIR"] = str(tmp_path / "script")
    subprocess.run(["bash", str(SCRIPT), "render"], env=env, check=True, capture_output=True, timeout=30)
    ours = _properties(tmp_path / "script" / "server.properties")

    dirs = [tmp_path / d for d in ("default", "mounted", "final")]
    for d in dirs:
        d.mkdir()
    wrapper_env = {**env, "KAFKA_LOG_DIRS": str(tmp_path / "wrapper-data")}  # the wrapper formats it too
    subprocess.run(["java", "-cp", f"{libs}/*", "kafka.docker.KafkaDockerWrapper", "setup",
                    "--default-configs-dir", str(dirs[0]), "--mounted-configs-dir", str(dirs[1]),
                    "--final-configs-dir", str(dirs[2])], env=wrapper_env, check=True, capture_output=True, timeout=120)
    theirs = _properties(dirs[2] / "server.properties")

    jaas = {k: v for k, v in ours.items() if k.endswith(".sasl.jaas.config")}
    assert {k: v for k, v in ours.items() if k not in jaas and k != "log.dirs"} == \
        {k: v for k, v in theirs.items() if k != "log.dirs"}
    assert set(jaas) == {"listener.name.client.scram-sha-512.sasl.jaas.config",
                         "listener.name.host.scram-sha-512.sasl.jaas.config",
                         "listener.name.controller.plain.sasl.jaas.config"}
    assert all(f'password="{_password(home, "broker")}"' in v for v in jaas.values())
    assert oct((tmp_path / "script" / "server.properties").stat().st_mode & 0o777) == "0o600"


def test_a_principal_logs_in_on_both_listeners_and_anonymous_or_wrong_passwords_are_refused(broker, home, ports):
    """`worker` with its password gets metadata on the client and the host listener; a PLAINTEXT client
    and `worker` with a wrong password get none, the latter an authentication error."""
    for port in (ports["9092"], ports["29092"]):
        ok, _ = _metadata(_conf(port, "worker", _password(home, "worker")))
        assert not isinstance(ok, KafkaException), f"worker refused on :{port}: {ok}"
        anonymous, _ = _metadata(_conf(port, None), timeout=5)
        assert isinstance(anonymous, KafkaException), f"an anonymous client got metadata on :{port}"
        wrong, errors = _metadata(_conf(port, "worker", "not-the-password"), timeout=5)
        assert isinstance(wrong, KafkaException), f"a wrong password got metadata on :{port}"
        assert any(e.code() == KafkaError._AUTHENTICATION for e in errors), errors


def _cables(service: str, home: Path, ports: dict[str, int], *args: str) -> subprocess.CompletedProcess:
    """`cables ARGS` with the environment the compose service `service` gives it, localized."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CABLES_")}
    for key, value in _compose_service(service)["environment"].items():
        value = _interpolate(str(value))
        if key == "CABLES_BOOTSTRAP_SERVERS":
            value = _localize(value, ports)
        env[key] = value.replace("/run/secrets/", f"{home}/credentials/")
    return subprocess.run([str(REPO / ".venv/bin/cables"), *args], env=env, capture_output=True, text=True, timeout=120)


def test_compose_init_services_create_topics_and_acls_the_broker_enforces(broker, home, ports):
    """topic-init's and acl-init's commands, with their compose environment, succeed as admin; then
    reader-confidential may describe the confidential topic and is refused the secret one, and feed is
    refused the confidential one (the issue's rules)."""
    from streams.settings import Settings

    for service, args in (("topic-init", ("topics", "create")), ("acl-init", ("acls", "apply"))):
        done = _cables(service, home, ports, *args)
        assert done.returncode == 0, f"{service}: {done.stdout}{done.stderr}"
    prefix = _compose_service("worker")["environment"].get("CABLES_TOPIC_PREFIX", Settings().topic_prefix)
    confidential, secret = f"{prefix}.confidential", f"{prefix}.secret"
    reader = _conf(ports["9092"], "reader-confidential", _password(home, "reader-confidential"))
    feed = _conf(ports["9092"], "feed", _password(home, "feed"))
    for conf, topic, allowed in ((reader, confidential, True), (reader, secret, False), (feed, confidential, False)):
        meta, _ = _metadata(conf, topic)
        assert not isinstance(meta, KafkaException), meta
        error = meta.topics[topic].error
        if allowed:
            assert error is None, f"{conf['sasl.username']} refused {topic}: {error}"
        else:
            assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, \
                f"{conf['sasl.username']} on {topic}: {error}"


@pytest.fixture(scope="module")
def topics_command(home, libs) -> Path:
    """A kafka-topics.sh like the image's (org.apache.kafka.tools.TopicCommand), on kafka-tools of the
    fetched Kafka version: Maven Central once, into .cache/compose/, then offline."""
    version = (libs / ".kafka-version").read_text().strip()
    tools = REPO / ".cache" / "compose" / f"kafka-tools-{version}"
    if not (tools / f"kafka-tools-{version}.jar").exists():
        pom = home / "tools-pom.xml"
        pom.write_text(
            '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
            "<groupId>cablestream</groupId><artifactId>compose-healthcheck</artifactId><version>1</version>"
            "<dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId>"
            f"<version>{version}</version></dependency></dependencies></project>")
        subprocess.run(["mvn", "-B", "-q", "--no-transfer-progress", "-f", str(pom), "dependency:copy-dependencies",
                        f"-DoutputDirectory={tools}.partial"], check=True, capture_output=True, timeout=600)
        Path(f"{tools}.partial").rename(tools)
    shim = home / "bin" / "kafka-topics.sh"
    shim.write_text(f'#!/usr/bin/env bash\nexec java -cp "{tools}/*" org.apache.kafka.tools.TopicCommand "$@"\n')
    shim.chmod(0o755)
    return shim


def test_the_brokers_healthcheck_passes_with_the_client_file_the_script_writes(broker, home, ports, topics_command):
    """The compose healthcheck (kafka-topics.sh --command-config client.properties --list) exits 0 against
    the broker; with a wrong password in that file it fails, so it checks a login, not merely a port."""
    check = _compose_service("kafka")["healthcheck"]["test"]
    assert check[:2] == ["CMD", "/opt/kafka/bin/kafka-topics.sh"]
    client = home / "config" / "client.properties"
    wrong = home / "wrong-client.properties"
    wrong.write_text(re.sub(r'password="[^"]*"', 'password="wrong"', client.read_text()))

    def run(client_file: Path) -> subprocess.CompletedProcess:
        args = [str(topics_command), *check[2:]]
        args = [f"127.0.0.1:{ports['9092']}" if a == "kafka:9092" else str(client_file)
                if a == "/opt/kafka/config/client.properties" else a for a in args]
        return subprocess.run(["timeout", "60", *args], capture_output=True, text=True)

    ok = run(client)
    assert ok.returncode == 0, ok.stderr[-2000:]
    refused = run(wrong)
    assert refused.returncode not in (0, 124), refused.stderr[-2000:]


def test_a_restarted_broker_keeps_its_storage_and_scram_users(broker, home, ports):
    """Stopped and started again on the same data (compose's `restart: unless-stopped`), the script
    does not format again and the SCRAM users still log in."""
    broker.stop()
    before = broker.log.read_text()
    broker.start(ports["9092"], _password(home, "admin"))
    after = broker.log.read_text()[len(before):]
    assert "already formatted" in after and "formatting" not in after
    ok, _ = _metadata(_conf(ports["9092"], "reader-secret", _password(home, "reader-secret")))
    assert not isinstance(ok, KafkaException), ok


def _cluster_env(home: Path, node: int, ports: dict[int, dict[str, int]], data: Path) -> dict[str, str]:
    """cluster-kafka-<node>'s environment from docker-compose.yml, every node's address moved to its
    own free loopback ports."""
    def localize(value: str) -> str:
        value = re.sub(r"cluster-kafka-(\d):(\d+)", lambda m: f"127.0.0.1:{ports[int(m.group(1))][m.group(2)]}", value)
        value = re.sub(r"://:(\d+)", lambda m: f"://127.0.0.1:{ports[node][m.group(1)]}", value)
        return re.sub(r"HOST://127\.0\.0\.1:\d+", f"HOST://127.0.0.1:{ports[node]['29092']}", value)

    env = {k: localize(_interpolate(str(v))) for k, v in _compose_service(f"cluster-kafka-{node}")["environment"].items()}
    env["KAFKA_LOG_DIRS"] = str(data)
    env["KAFKA_HEAP_OPTS"] = "-Xmx256m"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "CABLES_"))}
    return {**base, **env, "BROKER_BIN_DIR": str(home / "bin"), "BROKER_CONFIG_DIR": str(data.parent / "config"),
            "BROKER_SECRETS_DIR": str(home / "credentials")}


@pytest.mark.cluster
def test_cluster_profile_brokers_form_a_secured_quorum(home, tmp_path):
    """The three cluster-profile brokers, each started by the script with its compose environment, form
    one quorum over SASL (PLAIN between controllers, SCRAM between brokers): admin creates a topic with
    3 replicas, all in sync, and an anonymous client is refused by every node."""
    from confluent_kafka.admin import NewTopic

    ports = {n: {p: _free_port() for p in COMPOSE_PORTS} for n in (1, 2, 3)}
    nodes = {n: Broker(_cluster_env(home, n, ports, tmp_path / f"node-{n}" / "data"), tmp_path / f"node-{n}.out")
             for n in (1, 2, 3)}
    admin_password = _password(home, "admin")
    try:
        for node in nodes.values():
            node.launch()
        for n, node in nodes.items():
            node.wait(ports[n]["9092"], admin_password, timeout=150)
        admin = AdminClient({**_conf(ports[2]["9092"], "admin", admin_password)})
        admin.create_topics([NewTopic("compose-cluster-check", 3, 3)])["compose-cluster-check"].result(60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            meta = admin.list_topics("compose-cluster-check", timeout=10)
            parts = meta.topics["compose-cluster-check"].partitions.values()
            if len(meta.brokers) == 3 and parts and all(len(p.isrs) == 3 for p in parts):
                break
            time.sleep(1)
        assert len(meta.brokers) == 3 and all(len(p.isrs) == 3 for p in parts), meta.topics
        for n in (1, 2, 3):
            anonymous, _ = _metadata(_conf(ports[n]["9092"], None), timeout=5)
            assert isinstance(anonymous, KafkaException), f"an anonymous client got metadata from node {n}"
    finally:
        for node in nodes.values():
            node.stop()
