"""The one settings class. It is the only reader of the environment.

Every variable carries the ``CABLES_`` prefix: Faust reads unprefixed variables
such as ``BROKER_URL`` or ``WEB_PORT`` itself and lets them override arguments to
``faust.App``, so ours never share a name with them.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Kafka's default max.message.bytes is about 1 MB; cables above this size are
# dead-lettered as "too_large" before parsing so one message cannot stall a worker.
DEFAULT_MAX_CABLE_BYTES = 1_000_000

PREFIX = "CABLES_"
# CABLES_* variables read by the ops/ scripts and the tests, not by this class: known, so no warning.
OPS_VARIABLES = frozenset({
    "KAFKA_CONTROLLER_PORT", "KAFKA_HEAP", "KAFKA_VERSION", "KAFKA_START_TIMEOUT", "KAFKA_STOP_TIMEOUT",
    "KAFKA_MAVEN_ARGS", "REGISTRY_PORT", "REGISTRY_MANAGEMENT_PORT", "REGISTRY_VERSION", "REGISTRY_STORAGE",
    "REGISTRY_JAVA_HOME", "REGISTRY_HEAP", "REGISTRY_START_TIMEOUT", "REGISTRY_STOP_TIMEOUT",
    "REGISTRY_MAVEN_ARGS", "WITH_REGISTRY", "WORKER_STATE_DIR", "PROMETHEUS_PORT", "PROMETHEUS_CHECK_TIMEOUT",
    "TEST_REGISTRY_URL", "SHARED_DATA", "PYTHON", "DEMO_CABLES", "PROMCHECK_WEB_PORT",
})


class Settings(BaseSettings):
    """Configuration of the worker, the CLI and the ops scripts (env prefix ``CABLES_``)."""

    model_config = SettingsConfigDict(env_prefix="CABLES_", frozen=True, extra="ignore")

    # --- Kafka
    kafka_port: int = Field(9092, description="port of the local broker (ops/kafka.sh); gives the default bootstrap")
    bootstrap_servers: str = Field("", description="host:port[,host:port] of the brokers (default 127.0.0.1:<kafka_port>)")
    connect_timeout_s: float = Field(10.0, gt=0, description="a command gives up on an unreachable Kafka or registry after this")
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

    @model_validator(mode="before")
    @classmethod
    def _derive_bootstrap(cls, data: Any) -> Any:
        """Without CABLES_BOOTSTRAP_SERVERS the brokers are the local one on CABLES_KAFKA_PORT."""
        if isinstance(data, dict) and not data.get("bootstrap_servers"):
            data = {**data, "bootstrap_servers": f"127.0.0.1:{data.get('kafka_port') or 9092}"}
        return data

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
    """The process-wide settings, read from the environment once; unknown CABLES_* names are warned about."""
    warn_unknown_variables()
    return Settings()
