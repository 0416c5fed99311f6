"""The one settings class. It is the only reader of the environment.

Every variable carries the ``CABLES_`` prefix: Faust reads unprefixed variables
such as ``BROKER_URL`` or ``WEB_PORT`` itself and lets them override arguments to
``faust.App``, so ours never share a name with them.
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Kafka's default max.message.bytes is about 1 MB; cables above this size are
# dead-lettered as "too_large" before parsing so one message cannot stall a worker.
DEFAULT_MAX_CABLE_BYTES = 1_000_000
# Where ops/kafka.sh keeps the local broker's passwords (<principal>.password, mode 0600).
LOCAL_CREDENTIALS_DIR = Path(__file__).resolve().parent.parent / ".cache" / "kafka" / "credentials"


class KafkaSecurityError(ValueError):
    """The Kafka security settings cannot make a working client (missing principal or password)."""

PREFIX = "CABLES_"
# CABLES_* variables read by the ops/ scripts and the tests, not by this class: known, so no warning.
OPS_VARIABLES = frozenset({
    "KAFKA_CONTROLLER_PORT", "KAFKA_HEAP", "KAFKA_VERSION", "KAFKA_START_TIMEOUT", "KAFKA_STOP_TIMEOUT",
    "KAFKA_MAVEN_ARGS", "REGISTRY_PORT", "REGISTRY_MANAGEMENT_PORT", "REGISTRY_VERSION", "REGISTRY_STORAGE",
    "REGISTRY_JAVA_HOME", "REGISTRY_HEAP", "REGISTRY_START_TIMEOUT", "REGISTRY_STOP_TIMEOUT",
    "REGISTRY_MAVEN_ARGS", "WITH_REGISTRY", "WORKER_STATE_DIR", "PROMETHEUS_PORT", "PROMETHEUS_CHECK_TIMEOUT",
    "TEST_REGISTRY_URL", "SHARED_DATA", "PYTHON", "DEMO_CABLES", "PROMCHECK_WEB_PORT", "KAFKA_SECURITY",
    "KAFKA_TLS", "REGISTRY_KAFKA_PASSWORD_FILE",
    # ops/cluster.sh and tests/integration/test_cluster.py (.ci/run)
    "KAFKA_NODES", "KAFKA_CLUSTER_REPLICATION", "KAFKA_CLUSTER_MIN_ISR", "CLUSTER_TEST_CABLES", "CLUSTER_TEST_RATE",
    "CI_CLUSTER",
})

# The one message size limit: the producer's message.max.bytes, every topic's max.message.bytes
# and the local broker's message.max.bytes (ops/kafka.sh, docker-compose.yml) all come from it.
# Kafka's default (1 MiB); an output record that would not fit is dead-lettered as "too_large".
DEFAULT_MAX_MESSAGE_BYTES = 1_048_576


class DurabilitySettingsError(ValueError):
    """Replication settings no cluster of the declared size can satisfy."""


def durability_problem(replication_factor: int, min_insync_replicas: int, brokers: int) -> str | None:
    """One line saying why these replication settings cannot work, or None if they can."""
    if replication_factor > brokers:
        return (f"CABLES_REPLICATION_FACTOR={replication_factor} needs {replication_factor} brokers, but there are "
                f"{brokers} (CABLES_BROKERS, or the count of CABLES_BOOTSTRAP_SERVERS): topics could not be created")
    if min_insync_replicas > replication_factor:
        return (f"CABLES_MIN_INSYNC_REPLICAS={min_insync_replicas} is above CABLES_REPLICATION_FACTOR="
                f"{replication_factor}: no write with acks=all could ever succeed")
    return None


class Settings(BaseSettings):
    """Configuration of the worker, the CLI and the ops scripts (env prefix ``CABLES_``)."""

    model_config = SettingsConfigDict(env_prefix="CABLES_", frozen=True, extra="ignore")

    # --- Kafka
    kafka_port: int = Field(9092, description="port of the local broker (ops/kafka.sh); gives the default bootstrap")
    bootstrap_servers: str = Field("", description="host:port[,host:port] of the brokers (default 127.0.0.1:<kafka_port>)")
    connect_timeout_s: float = Field(10.0, gt=0, description="a command gives up on an unreachable Kafka or registry after this")
    # Security (README "Access control"): SASL/SCRAM on by default, like the local broker. PLAINTEXT
    # only for a broker started with CABLES_KAFKA_SECURITY=plain; it warns at every client start.
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "SASL_PLAINTEXT"
    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    sasl_username: str | None = Field(None, description="the principal; unset: the command's own (worker, feed, ...)")
    sasl_password: SecretStr | None = None
    sasl_password_file: Path | None = Field(None, description="a file holding the password (one line)")
    credentials_dir: Path = Field(LOCAL_CREDENTIALS_DIR, description="<principal>.password files of the local broker")
    ssl_ca_file: Path | None = Field(None, description="CA bundle (PEM) that signed the brokers' certificates")

    # --- Topics (names and partitions)
    topic_prefix: str = Field("cables", description="every topic name starts with this and a dot")
    partitions: int = Field(3, ge=1, description="partitions of every topic we create")
    replication_factor: int = Field(1, ge=1, description="replicas of every topic we create (3 on a cluster)")
    # With acks=all a write is acknowledged once this many replicas have it: 2 of 3 survives one broker down.
    min_insync_replicas: int = Field(1, ge=1, description="min.insync.replicas of every topic we create (2 on a cluster)")
    brokers: int | None = Field(None, ge=1, description="brokers in the cluster; unset: the count of bootstrap servers")

    # --- Worker
    app_id: str = "cablestream"
    web_port: int = Field(6066, description="the worker's HTTP port (/metrics)")
    web_host: str = "127.0.0.1"
    data_dir: str = Field(".cache/worker", description="local folder of the worker: its compiled gazetteer is kept there, so a restart loads it instead of compiling it again")
    max_cable_bytes: int = DEFAULT_MAX_CABLE_BYTES
    max_message_bytes: int = Field(
        DEFAULT_MAX_MESSAGE_BYTES, ge=10_000, description="largest message on any of our topics (producer, topics, broker)")
    instance_id: str | None = Field(
        None, description="static group member id (group.instance.id); default: <app_id>-<host>-<slot>, "
        "the slot being the lowest free one on this host (a lock file in the temp folder)")
    session_timeout_s: float = Field(
        30.0, ge=6, description="a silent member loses its partitions after this (a restart with the same instance id does not wait)")
    commit_interval_s: float = Field(0.2, gt=0, description="how often the acknowledged prefix of each partition is committed")
    max_in_flight: int = Field(5000, ge=1, description="outputs awaiting the broker's acknowledgement before the worker stops taking input")
    compression: Literal["zstd", "lz4", "snappy", "gzip", "none"] = Field("lz4", description="compression of output batches")
    shutdown_timeout_s: float = Field(8.0, gt=0, description="on SIGTERM, wait this long for in-flight outputs before exiting")
    enrich: bool = Field(True, description="run the enrichment stage")
    enrich_matcher: Literal["auto", "hyperscan", "ahocorasick"] = Field(
        "auto", description="gazetteer matcher: auto (hyperscan where installed) | hyperscan | ahocorasick")
    processing_guarantee: str = Field("at_least_once", description="at_least_once | exactly_once")
    # Faust's default (1200 s) would leave a worker stuck for 20 minutes on an output the broker
    # refuses; after this many seconds the send fails and the worker exits to be restarted.
    publish_timeout_s: float = Field(120.0, gt=0, description="give up on an unacknowledged output after this")

    # --- Schema registry (empty: schemaless Avro single-object encoding)
    schema_registry_url: str | None = None

    # --- Logs
    log_level: str = "INFO"
    log_format: str = Field("auto", description="auto (console on a terminal, else json) | json | console")

    @model_validator(mode="before")
    @classmethod
    def _derive_bootstrap(cls, data: Any) -> Any:
        """Without CABLES_BOOTSTRAP_SERVERS the brokers are the local one on CABLES_KAFKA_PORT."""
        if isinstance(data, dict) and not data.get("bootstrap_servers"):
            data = {**data, "bootstrap_servers": f"127.0.0.1:{data.get('kafka_port') or 9092}"}
        return data

    @model_validator(mode="after")
    def _durability_is_possible(self) -> "Settings":
        problem = durability_problem(self.replication_factor, self.min_insync_replicas, self.broker_count)
        if problem:
            raise DurabilitySettingsError(problem)
        return self

    @property
    def broker_count(self) -> int:
        """The brokers we expect: CABLES_BROKERS, else one per bootstrap server."""
        return self.brokers or len([hp for hp in self.bootstrap_servers.split(",") if hp.strip()])

    @property
    def broker_url(self) -> str:
        """Faust's broker URL (aiokafka transport) for every configured bootstrap server."""
        return ";".join(f"kafka://{hp.strip()}" for hp in self.bootstrap_servers.split(","))

    def topic(self, suffix: str) -> str:
        """Full topic name for ``suffix`` (``raw``, ``secret``, ``quarantine``, ``dlq``, ...)."""
        return f"{self.topic_prefix}.{suffix}"

    @property
    def raw_topic(self) -> str:
        return self.topic("raw")

    @property
    def quarantine_topic(self) -> str:
        return self.topic("quarantine")

    @property
    def dlq_topic(self) -> str:
        return self.topic("dlq")

    @model_validator(mode="after")
    def _password_names_its_principal(self) -> "Settings":
        if (self.sasl_password or self.sasl_password_file) and not self.sasl_username:
            raise KafkaSecurityError("CABLES_SASL_PASSWORD(_FILE) is set but CABLES_SASL_USERNAME is not: whose password is it?")
        return self

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol.endswith("SSL")

    def as_principal(self, principal: str) -> "Settings":
        """These settings for ``principal``, unless the user chose one (CABLES_SASL_USERNAME wins).

        Each command connects as the least principal that can do its job (the worker as ``worker``,
        ``cables publish`` as ``feed``, ...); a downstream team sets its own user name instead.
        """
        if self.sasl_username or not self.uses_sasl:
            return self
        return self.model_copy(update={"sasl_username": principal})

    def sasl_secret(self) -> str:
        """The SASL password: CABLES_SASL_PASSWORD, else CABLES_SASL_PASSWORD_FILE, else the local
        broker's ``<credentials_dir>/<principal>.password``. Raises KafkaSecurityError if none."""
        if not self.sasl_username:
            raise KafkaSecurityError("no Kafka principal: set CABLES_SASL_USERNAME")
        if self.sasl_password is not None:
            return self.sasl_password.get_secret_value()
        path = self.sasl_password_file or self.credentials_dir / f"{self.sasl_username}.password"
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError:
            raise KafkaSecurityError(
                f"no password for Kafka principal {self.sasl_username!r}: set CABLES_SASL_PASSWORD or "
                f"CABLES_SASL_PASSWORD_FILE (the local broker's are in {path.parent}, written by "
                "`bash ops/kafka.sh start`)") from None

    def kafka_client_config(self) -> dict[str, str]:
        """librdkafka (confluent-kafka) connection properties, credentials included (never log them)."""
        conf = {"bootstrap.servers": self.bootstrap_servers, "security.protocol": self.security_protocol}
        if self.uses_sasl:
            conf.update({"sasl.mechanism": self.sasl_mechanism, "sasl.username": self.sasl_username or "",
                         "sasl.password": self.sasl_secret()})
        else:
            warn_plaintext(self)
        if self.uses_tls and self.ssl_ca_file:
            conf["ssl.ca.location"] = str(self.ssl_ca_file)
        return conf

    def masked_dump(self) -> dict[str, object]:
        """All settings for the start-up log line, secrets masked."""
        return {k: ("***" if isinstance(v, SecretStr) else v) for k, v in self.__dict__.items()}


_warned: set[str] = set()


def warn_plaintext(settings: Settings) -> None:
    """Say loudly, once per process, that the connection is not authenticated."""
    if settings.security_protocol == "PLAINTEXT" and settings.bootstrap_servers not in _warned:
        _warned.add(settings.bootstrap_servers)
        print(f"WARNING: CABLES_SECURITY_PROTOCOL=PLAINTEXT: connecting to {settings.bootstrap_servers} WITHOUT "
              "authentication or encryption; any client can read every classification. Development only.",
              file=sys.stderr)


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[tuple[str, str | None]]:
    """``(name, closest known name or None)`` for every CABLES_* variable that nothing reads."""
    environ = os.environ if environ is None else environ
    known = {PREFIX + f.upper() for f in Settings.model_fields} | {PREFIX + v for v in OPS_VARIABLES}
    out = []
    for name in sorted(environ):
        if name.upper().startswith(PREFIX) and name.upper() not in known:
            close = difflib.get_close_matches(name.upper(), sorted(known), n=1, cutoff=0.6)
            out.append((name, close[0] if close else None))
    return out


def warn_unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """Log (and return) one warning per unknown CABLES_* variable, naming the closest known one."""
    lines = []
    for name, close in unknown_variables(environ):
        hint = f"; did you mean {close}?" if close else "; `cables config` lists the settings"
        lines.append(f"{name} is not a cablestream setting and is ignored{hint}")
        logging.getLogger("streams.settings").warning(lines[-1])
    return lines


def effective_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """``(variable, value, source)`` of every setting, secrets masked; source: env, derived or default."""
    environ = os.environ if environ is None else environ
    rows = []
    for name, value in settings.masked_dump().items():
        var = PREFIX + name.upper()
        source = "env" if var in environ else "default"
        if name == "bootstrap_servers" and var not in environ:
            source = f"derived from {PREFIX}KAFKA_PORT" if f"{PREFIX}KAFKA_PORT" in environ else "default"
        rows.append((var, "-" if value is None else str(value), source))
    return rows


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once; unknown CABLES_* names are warned about.

    Settings that cannot work end the process here, before anything starts, with one line per
    problem on stderr (not pydantic's multi-line report).
    """
    warn_unknown_variables()
    try:
        return Settings()
    except ValidationError as exc:
        raise SystemExit("cablestream: invalid settings: " + "; ".join(_one_line(e) for e in exc.errors())) from None


def _one_line(error: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence: our own validators' message, else the variable and pydantic's."""
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ValueError):
        return str(cause)
    where = "CABLES_" + "_".join(str(part) for part in error.get("loc", ())).upper()
    return f"{where}: {error.get('msg', '?')}"
