"""The one settings class. It is the only reader of the environment.

Every variable carries the ``CABLES_`` prefix: Faust reads unprefixed variables
such as ``BROKER_URL`` or ``WEB_PORT`` itself and lets them override arguments to
``faust.App``, so ours never share a name with them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, Mapping

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Kafka's default max.message.bytes is about 1 MB; cables above this size are
# dead-lettered as "too_large" before parsing so one message cannot stall a worker.
DEFAULT_MAX_CABLE_BYTES = 1_000_000


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
    bootstrap_servers: str = Field("127.0.0.1:9092", description="host:port[,host:port] of the brokers")
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None

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
    data_dir: str = Field(".cache/faust", description="Faust's local state folder")
    max_cable_bytes: int = DEFAULT_MAX_CABLE_BYTES
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

    def kafka_client_config(self) -> dict[str, str]:
        """librdkafka (confluent-kafka) connection properties."""
        conf = {"bootstrap.servers": self.bootstrap_servers, "security.protocol": self.security_protocol}
        if self.sasl_mechanism:
            conf["sasl.mechanism"] = self.sasl_mechanism
        if self.sasl_username:
            conf["sasl.username"] = self.sasl_username
        if self.sasl_password:
            conf["sasl.password"] = self.sasl_password.get_secret_value()
        return conf

    def masked_dump(self) -> dict[str, object]:
        """All settings for the start-up log line, secrets masked."""
        return {k: ("***" if isinstance(v, SecretStr) else v) for k, v in self.__dict__.items()}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once.

    Settings that cannot work end the process here, before anything starts, with one line per
    problem on stderr (not pydantic's multi-line report).
    """
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
