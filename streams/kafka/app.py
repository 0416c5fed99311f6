"""The Faust application: built from :class:`Settings` in this one place.

Run it with ``faust -A streams.kafka.app worker -l info``. At first start it creates
our topics explicitly, registers the Avro schemas when a registry is set, and
then one agent (concurrency 1, so no commit can pass an in-flight message)
hands each raw message to :class:`streams.kafka.agents.CableProcessor`.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import faust
import structlog
from faust.sensors.prometheus import setup_prometheus_sensors
from prometheus_client import REGISTRY

from streams.kafka import topics
from streams.kafka.agents import CableProcessor, build_codecs
from streams.kafka.security import faust_credentials, worker_settings
from streams.obs.logs import configure_logging, logging_config
from streams.obs.metrics import METRICS
from streams.core.pipeline import Provenance
from streams.settings import Settings, get_settings

log = structlog.get_logger("streams.kafka.app")
LAG_INTERVAL_S = 5.0  # how often consumer lag is recomputed for /metrics
EXIT_PUBLISH_FAILED = 75  # EX_TEMPFAIL: an output was refused; restart me and I will retry it


class CablesApp(faust.App):
    """faust.App that creates our topics and registers schemas before agents start."""

    cables_settings: Settings
    processor: CableProcessor

    async def on_first_start(self) -> None:
        await super().on_first_start()
        s = self.cables_settings
        configure_logging(s)  # after Faust's own set-up, so ours wins
        log.info("worker.starting", settings=s.masked_dump())
        if s.enrich:
            from streams.core import enrich

            enrich.configure(s.enrich_matcher)
            enrich.warm()  # build the gazetteer automaton now, not on the first cable
            log.info("enrich.ready", **enrich.runtime_info())  # which matcher
        loop = asyncio.get_running_loop()
        created = await loop.run_in_executor(None, topics.ensure_topics, s)
        log.info("topics.ensured", created=created, partitions=s.partitions)
        if s.schema_registry_url:
            from streams.kafka.registry import register_schemas

            outs = topics.output_topics(s)
            wanted = {t: topics.OUTPUT_SCHEMAS[suffix] for suffix, t in outs.items()}
            ids = await loop.run_in_executor(None, register_schemas, s, wanted)
            self.processor.codecs = build_codecs({suffix: ids[t] for suffix, t in outs.items()})
            log.info("schemas.registered", ids=ids)


def create_app(settings: Settings) -> CablesApp:
    """The worker app and its wiring: raw topic -> agent -> output topics."""
    settings = worker_settings(settings)  # principal `worker` unless CABLES_SASL_USERNAME is set
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)  # Faust does not create parents
    app = CablesApp(
        settings.app_id,
        logging_config=logging_config(settings),
        broker=settings.broker_url,
        broker_credentials=faust_credentials(settings),  # SASL/TLS reach aiokafka only this way
        web_port=settings.web_port,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        datadir=settings.data_dir,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        processing_guarantee=settings.processing_guarantee,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_request_timeout=settings.publish_timeout_s,
        key_serializer="raw",
        value_serializer="raw",
    )
    app.cables_settings = settings
    setup_prometheus_sensors(app, pattern="/metrics", registry=REGISTRY, name_prefix="faust")
    # Faust's faust_events_runtime_ms is in milliseconds, which `promtool check metrics`
    # rejects; our cables_stage_duration_seconds covers the same ground in base units.
    REGISTRY.unregister(app.monitor._metrics.events_runtime_latency)
    METRICS.init_labels(topics.all_topics(settings))

    raw_topic = app.topic(settings.raw_topic, key_type=bytes, value_type=bytes, allow_empty=True)
    outputs = {name: app.topic(name, key_type=bytes, value_type=bytes) for name in topics.output_topics(settings).values()}

    async def send(topic: str, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> None:
        fut = await outputs[topic].send(key=key, value=value, headers=headers)
        await fut  # wait for the broker's ack: the input offset is committed only after this

    app.processor = CableProcessor(settings, build_codecs(), METRICS, send)

    @app.agent(raw_topic, concurrency=1)
    async def process_cables(stream):
        async for event in stream.events():
            msg = event.message
            source = Provenance(msg.topic, msg.partition, msg.offset, int(msg.timestamp * 1000) if msg.timestamp else None)
            try:
                await app.processor.handle(event.value, msg.key, source)
            except Exception as exc:
                # The pipeline never raises, so this is the broker refusing an output after the
                # producer's retries. Exit at once, without Faust's shutdown: a clean stop (or
                # app.crash) acks and commits the in-flight offset, losing the message (seen in a
                # test). Exiting here leaves it uncommitted, so the restarted worker redelivers it.
                log.critical("worker.crash", error=f"{type(exc).__name__}: {str(exc)[:200]}", offset=msg.offset)
                sys.stderr.flush()
                os._exit(EXIT_PUBLISH_FAILED)

    @app.timer(LAG_INTERVAL_S)
    async def record_lag() -> None:
        consumer = app.consumer
        for tp in consumer.assignment():
            if tp.topic != settings.raw_topic:
                continue
            last = app.processor.last_offsets.get((tp.topic, tp.partition))
            position = last + 1 if last is not None else (await consumer.position(tp) or 0)
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            lag = max(0, highwater - position)
            METRICS.lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)

    return app


app = create_app(get_settings())
