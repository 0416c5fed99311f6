"""The worker's Kafka credentials: :class:`Settings` turned into what Faust takes.

Faust (aiokafka) takes SASL and TLS only as a credentials object passed as ``broker_credentials``;
a broker URL alone connects in PLAINTEXT. The librdkafka side (every ``cables`` command) is
:meth:`Settings.kafka_client_config`; both read the same settings.
"""

from __future__ import annotations

import ssl

import faust
from faust.types.auth import CredentialsT

from streams.settings import Settings, warn_plaintext
from streams.vocab import WORKER


def worker_settings(settings: Settings) -> Settings:
    """The settings the worker connects with: as principal ``worker`` unless CABLES_SASL_USERNAME is set."""
    return settings.as_principal(WORKER)


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A TLS context that verifies the brokers against CABLES_SSL_CA_FILE (or the system CAs); None without TLS."""
    if not settings.uses_tls:
        return None
    return ssl.create_default_context(cafile=str(settings.ssl_ca_file) if settings.ssl_ca_file else None)


def faust_credentials(settings: Settings) -> CredentialsT | None:
    """``broker_credentials`` for :class:`faust.App`: SASL (with TLS if set), TLS alone, or None (PLAINTEXT)."""
    context = ssl_context(settings)
    if settings.uses_sasl:
        return faust.SASLCredentials(
            username=settings.sasl_username, password=settings.sasl_secret(),
            mechanism=settings.sasl_mechanism, ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    warn_plaintext(settings)
    return None
