"""The one settings class. It is the only reader of the environment.

Every variable carries the ``CABLES_`` prefix: Faust reads unprefixed variables
such as ``BROKER_URL`` or ``WEB_PORT`` itself and lets them override arguments to
``faust.App``, so ours never share a name with them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Kafka's default max.message.bytes is about 1 MB; cables above this size are
# dead-lettered as "too_large" before parsing so one message cannot stall a worker.
DEFAULT_MAX_CABLE_BYTES = 1_000_000
# The one message size limit: the producer's message.max.bytes, every topic's max.message.bytes
# and the local broker's message.max.bytes (ops/kafka.sh, docker-compose.yml) all come from it.
# Kafka's default (1 MiB); an output record that would not fit is dead-lettered as "too_large".
DEFAULT_MAX_MESSAGE_BYTES = 1_048_576


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
    replication_factor: int = Field(1, ge=1)

    # --- Worker
    app_id: str = "cablestream"
    web_port: int = Field(6066, description="the worker's HTTP port (/metrics)")
    web_host: str = "127.0.0.1"
    data_dir: str = Field(".cache/faust", description="local state folder (the worker keeps none since it left Faust; kept so existing configurations still load)")
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
    """The process-wide settings, read from the environment once."""
    return Settings()
