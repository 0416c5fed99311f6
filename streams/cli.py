"""The ``cables`` command: everything a feed, a downstream team or an operator does.

    cables topics create|list      our topics, created explicitly
    cables publish PATH...         cables (file, folder, JSON Lines, CSV) to the raw topic
    cables synth N                 synthetic cables as a folder or JSON Lines
    cables parse [FILE...|-]       the offline twin of the worker: one JSON object per cable
    cables tail TOPIC              decoded records of an output topic (throwaway group)
    cables decode [FILE|-]         one record of an output topic (bytes, or --at TOPIC:PARTITION:OFFSET) as JSON
    cables replay-dlq              re-publish dead letters to the raw topic after a fix
    cables counts                  records per topic
    cables config                  the effective settings (secrets masked) and where each came from
    cables demo                    publish the seed and generated cables, show where each went
    cables worker                  the worker (streams/kafka/worker.py) until SIGTERM
    cables acls apply|show         the broker's access rules for our topics (streams/kafka/acls.py)

The worker itself runs with ``cables worker`` (see the README's architecture section).

Each command connects as the least Kafka principal that can do its job (publish as ``feed``, tail
as the reader of the topic's level, the rest as ``admin``) unless CABLES_SASL_USERNAME names one.
Errors are one line on stderr and a non-zero exit: a command that talks to Kafka (or the registry)
first checks that it answers within ``CABLES_CONNECT_TIMEOUT_S`` (:mod:`streams.kafka.reach`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from streams.settings import Settings, get_settings
from streams.vocab import ADMIN, ERROR_TYPES, FEED, LEVELS, STAGES

SEED = Path(__file__).resolve().parent / "samples" / "seed-cable.txt"


class _OneLineErrors(click.Group):
    """Turns the failures a user can cause or fix (unreachable services, Kafka errors, bad files)
    into click's one-line ``Error: ...`` and exit code 1, instead of a traceback."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        from confluent_kafka import KafkaException

        from streams.kafka.reach import Unreachable

        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `cables ... | head`: the reader left; stop quietly, like any Unix tool
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Unreachable as exc:
            raise click.ClickException(str(exc)) from None
        except KafkaException as exc:
            err = exc.args[0] if exc.args else exc
            raise click.ClickException(f"Kafka at {get_settings().bootstrap_servers}: {getattr(err, 'str', lambda: err)()}") from None
        except RuntimeError as exc:  # our own one-line failures: Kafka lost under a running tail, ...
            raise click.ClickException(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from None


@click.group(cls=_OneLineErrors)
def main() -> None:
    """cablestream: parse, enrich and route diplomatic cables by classification over Kafka."""
    from streams.obs.logs import configure_logging

    try:
        configure_logging(Settings())
    except Exception as exc:  # a setting that does not validate: one line, not a pydantic dump
        raise click.ClickException(_settings_error(exc)) from None
    get_settings()  # warns (through the logging just configured) about unknown CABLES_* names


def _settings_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, ValueError) and not first.get("loc"):  # a whole-settings check: its own sentence
            return str(cause)
        name = "CABLES_" + str(first["loc"][0]).upper() if first.get("loc") else "a CABLES_ setting"
        return f"{name}={first.get('input')!r}: {first.get('msg')}"
    return str(exc)


def _kafka(topics: tuple[str, ...] = (), registry: bool = False, principal: str = ADMIN) -> Settings:
    """The settings connecting as ``principal`` (unless CABLES_SASL_USERNAME names one), once Kafka (and
    the registry) answered and ``topics`` exist; else a one-line error."""
    from streams.kafka.reach import check_kafka, check_registry

    s = get_settings().as_principal(principal)
    existing = check_kafka(s)
    missing = [t for t in topics if t not in existing]
    if missing and s.uses_sasl and s.sasl_username != ADMIN:  # a principal sees only the topics it may use
        raise click.ClickException(f"{s.sasl_username} may not use {', '.join(missing)} at {s.bootstrap_servers} "
                                   "(not authorized, or the topic does not exist)")
    if missing:
        raise click.ClickException(f"topic {', '.join(missing)} does not exist at {s.bootstrap_servers}; "
                                   "create our topics with: cables topics create")
    if registry:
        check_registry(s)
    return s


# ---------------------------------------------------------------- worker
@main.command("worker")
def worker() -> None:
    """Run the worker: raw topic -> parse, enrich, route -> output topics, until SIGTERM."""
    import os

    from streams.kafka.worker import main as run

    code = run(get_settings())
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # librdkafka's threads need no interpreter teardown


# ---------------------------------------------------------------- topics
@main.group()
def topics() -> None:
    """Create or list our topics."""


@topics.command("create")
def topics_create() -> None:
    """Create every missing topic with the configured partitions."""
    from streams.kafka import topics as t

    s = _kafka()
    created = t.ensure_topics(s)
    click.echo(f"created {len(created)} topic(s): {', '.join(created) or '-'}")
    for name, parts in t.partition_counts(s).items():
        click.echo(f"  {name}  partitions={parts}")


@topics.command("list")
def topics_list() -> None:
    """List our topics and their partition counts."""
    from streams.kafka import topics as t

    for name, parts in t.partition_counts(_kafka()).items():
        click.echo(f"{name}  partitions={parts}")


# ---------------------------------------------------------------- publish
def _raw_messages(paths: tuple[str, ...], synthetic: int, seed: int, include_seed: bool):
    """Validated items (or rejections) of every input, in order: seed cable, paths, generated cables."""
    from streams.kafka.sources import cable_text, iter_items

    if include_seed:
        yield cable_text(SEED.name, SEED.read_text(encoding="utf-8"))
    for path in paths:
        yield from iter_items(path)
    if synthetic:
        from streams.synth import iter_cables

        for i, cable in enumerate(iter_cables(synthetic, seed=seed)):
            yield cable_text(f"synth-{seed}-{i}", cable.raw)


def _rejected(item) -> None:  # noqa: ANN001 - a sources.Rejected
    click.echo(f"rejected {item}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--synthetic", type=click.IntRange(min=0), default=0, help="Also publish N generated cables.")
@click.option("--seed", type=int, default=0, help="Seed of the generated cables.")
@click.option("--with-seed-cable", is_flag=True, help="Also publish the seed cable.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Publish at most N messages.")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Messages per second (replay at a given rate).")
@click.option("--topic", default=None, help="Target topic (default: the raw topic).")
@click.option("--progress/--no-progress", default=None, help="Progress line on stderr (default: on a terminal).")
def publish(paths, synthetic, seed, with_seed_cable, limit, rate, topic, progress) -> None:
    """Validate and publish cables to the raw topic; report sent, acknowledged and rejected.

    PATH is a cable file, a folder of them, a JSON Lines file (`raw` field, optional `id`), a
    cables.csv dump (columns id, date, refid, origin, classification, references, header, body;
    a header row names them), or - for stdin. A bad line, row or file is reported on stderr
    (`rejected FILE:LINE: reason`), counted and skipped; the rest is still sent. Exit code 1 when
    anything was rejected or not acknowledged. Keys: the JSON Lines `id`, the CSV `refid`, the
    parsed cable id, else the input's label.
    """
    from streams.kafka.publish import publish as do_publish

    if not (paths or synthetic or with_seed_cable):
        raise click.UsageError("nothing to publish: give PATH, --synthetic N or --with-seed-cable")
    target = topic or get_settings().raw_topic
    s = _kafka((target,), principal=FEED if topic is None else ADMIN)
    progress = sys.stderr.isatty() if progress is None else progress
    report = do_publish(s, _raw_messages(paths, synthetic, seed, with_seed_cable), topic=target, rate=rate,
                        limit=limit, progress=progress, on_reject=_rejected)
    click.echo(
        f"sent {report.sent} to {target}: {report.acknowledged} acknowledged, {report.failed} failed, "
        f"{report.rejected} rejected ({report.seconds:.1f}s)"
    )
    for err in report.errors:
        click.echo(f"error: {err}", err=True)
    sys.exit(0 if report.ok else 1)


# ---------------------------------------------------------------- synth
@main.command()
@click.argument("n", type=int)
@click.option("--seed", type=int, default=0)
@click.option("--out", type=click.Path(), required=True, help="A folder (one .txt per cable) or a .jsonl file.")
def synth(n, seed, out) -> None:
    """Write N realistic synthetic cables (seeded) with their intended metadata."""
    from streams.synth import iter_cables

    out_path = Path(out)
    if out_path.suffix == ".jsonl":
        with out_path.open("w", encoding="utf-8") as fh:
            for c in iter_cables(n, seed=seed):
                fh.write(json.dumps({"raw": c.raw, "expected": _truth(c)}) + "\n")
    else:
        out_path.mkdir(parents=True, exist_ok=True)
        for i, c in enumerate(iter_cables(n, seed=seed)):
            (out_path / f"synth-{seed}-{i:05d}.txt").write_text(c.raw, encoding="utf-8")
    click.echo(f"wrote {n} cable(s) to {out_path}")


def _truth(c) -> dict:
    import dataclasses

    return dataclasses.asdict(c.truth)


# ---------------------------------------------------------------- parse
@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--no-enrich", is_flag=True, help="Skip the enrichment stage.")
@click.option("--pretty", is_flag=True, help="Indented JSON.")
def parse(files, no_enrich, pretty) -> None:
    """Print the record the worker would produce for each cable, and the topic it would go to.

    FILES are read as `cables publish` reads them (files, folders, JSON Lines, CSV dumps, - for
    stdin); an item publish would refuse prints as {"input", "rejected"} and makes the exit code 1.
    """
    from streams.core import pipeline
    from streams.core.model import as_record
    from streams.kafka.sources import Rejected, iter_items, label_of

    s = get_settings()
    rejected = 0
    for path in files or ("-",):
        for item in iter_items(path):  # read exactly as `cables publish` reads it
            if isinstance(item, Rejected):
                rejected += 1
                click.echo(json.dumps({"input": item.where, "rejected": item.reason}, ensure_ascii=False))
                continue
            outcome = pipeline.process(item.value, max_bytes=s.max_cable_bytes, do_enrich=not no_enrich)
            out: dict = {"input": label_of(item), "outcome": outcome.kind, "topic": s.topic(outcome.topic)}
            if outcome.cable is not None:
                out["cable"] = as_record(outcome.cable)
                out["route"] = as_record(outcome.route)
            if outcome.failure is not None:
                out["failure"] = as_record(outcome.failure)
            click.echo(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None))
    if rejected:  # what `cables publish` would refuse to send: reported above, and in the exit code
        raise SystemExit(1)


# ---------------------------------------------------------------- tail
def _topic_name(s: Settings, topic: str) -> str:
    return topic if "." in topic else s.topic(topic)


@main.command()
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the earliest offset (default: only new records).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Stop after N records.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record (default off a terminal).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              help="Stop after this many idle seconds.")
def tail(topic, from_beginning, limit, as_json, timeout) -> None:
    """Print decoded records of an output topic (throwaway consumer group, never commits).

    TOPIC is a full name or a suffix: secret, confidential, quarantine, dlq, ...
    """
    from streams.kafka.tail import tail as do_tail

    from streams.kafka.acls import reader

    s = get_settings()
    name = _topic_name(s, topic)
    level = name[len(s.topic_prefix) + 1:] if name.startswith(f"{s.topic_prefix}.") else None
    s = _kafka((name,), registry=True, principal=reader(level) if level in LEVELS else ADMIN)
    as_json = as_json or not sys.stdout.isatty()
    do_tail(s, name, from_beginning=from_beginning, limit=limit, as_json=as_json, timeout=timeout)


# ---------------------------------------------------------------- decode
def _fetch(s: Settings, at: str) -> tuple[str, bytes]:
    """The value of the record at ``TOPIC:PARTITION:OFFSET``."""
    import uuid

    from confluent_kafka import Consumer, TopicPartition

    from streams.kafka.reach import client_config

    topic, _, rest = at.rpartition(":")
    topic, _, part = topic.rpartition(":")
    if not (topic and part.isdigit() and rest.isdigit()):
        raise click.BadParameter(f"{at!r} is not TOPIC:PARTITION:OFFSET (e.g. secret:0:12)", param_hint="--at")
    name = _topic_name(s, topic)
    _kafka((name,), registry=True)
    consumer = Consumer(client_config(s, **{"group.id": f"cables-decode-{uuid.uuid4()}", "enable.auto.commit": False}))
    try:
        consumer.assign([TopicPartition(name, int(part), int(rest))])
        msg = consumer.poll(s.connect_timeout_s)
        if msg is None or msg.error() or msg.offset() != int(rest):
            raise click.ClickException(f"no record at {name}:{part}:{rest}"
                                       + (f" ({msg.error().str()})" if msg is not None and msg.error() else ""))
        return name, msg.value() or b""
    finally:
        consumer.close()


@main.command()
@click.argument("file", required=False, type=click.File("rb"))
@click.option("--at", default=None, metavar="TOPIC:PARTITION:OFFSET", help="Fetch the record from Kafka instead.")
@click.option("--topic", default=None, help="The topic the bytes came from (needed for Confluent-framed records).")
@click.option("--pretty", is_flag=True, help="Indented JSON.")
def decode(file, at, topic, pretty) -> None:
    """Print one record of an output topic as JSON: the value bytes in FILE (or - for stdin), or --at a record.

    Decodes Avro single-object records with schemas/ and Confluent-framed records with the registry
    (CABLES_SCHEMA_REGISTRY_URL). Bytes fields (a dead letter's original) print as base64.
    """
    from streams.kafka.decode import DecodeError, Decoder
    from streams.kafka.tail import _jsonable

    s = get_settings()
    if (file is None) == (at is None):
        raise click.UsageError("give FILE (or -) with the record's bytes, or --at TOPIC:PARTITION:OFFSET")
    if at is not None:
        name, value = _fetch(s, at)
    else:
        name, value = (_topic_name(s, topic) if topic else None), file.read()
    try:
        record = Decoder(s.schema_registry_url).decode(value, name)
    except DecodeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(record, default=_jsonable, ensure_ascii=False, indent=2 if pretty else None))


# ---------------------------------------------------------------- replay-dlq
@main.command("replay-dlq")
@click.option("--error-type", multiple=True, type=click.Choice(ERROR_TYPES),
              help="Only dead letters of this error type (repeatable).")
@click.option("--stage", multiple=True, type=click.Choice(STAGES), help="Only dead letters of this stage (repeatable).")
@click.option("--dry-run", is_flag=True, help="Count what would be replayed; publish and commit nothing.")
@click.option("--from-beginning", is_flag=True, help="Re-read the whole dead-letter topic, not only new dead letters.")
@click.option("--skip-and-commit", is_flag=True,
              help="Pass over the dead letters the filter leaves out for good (default: leave them for a later replay).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              help="Seconds to wait for dead letters.")
def replay_dlq(error_type, stage, dry_run, from_beginning, skip_and_commit, timeout) -> None:
    """Re-publish dead letters (their original bytes) to the raw topic after a fix.

    The group's offset is never committed past a dead letter the filter leaves out: it stays for a
    later replay (unless --skip-and-commit); matching letters after it are replayed and recorded, so
    no later replay repeats them.
    """
    from streams.kafka.replay import replay_dead_letters

    names = get_settings()
    s = _kafka((names.dlq_topic, names.raw_topic))
    r = replay_dead_letters(
        s, error_types=set(error_type), stages=set(stage), dry_run=dry_run,
        from_beginning=from_beginning, skip_and_commit=skip_and_commit, timeout=timeout,
    )
    verb = "would replay" if dry_run else "replayed"
    click.echo(f"read {r.read} dead letter(s): {verb} {r.replayed}, skipped {r.skipped} (filter), acknowledged {r.acknowledged}")
    for (stg, et), n in sorted(r.by_reason.items()):
        click.echo(f"  {verb} {stg}/{et}: {n}")
    if r.already:
        click.echo(f"passed over {r.already} dead letter(s) that an earlier replay already replayed")
    if r.left:
        where = ", ".join(f"partition {p} from offset {o}" for p, o in sorted(r.left_from.items()))
        click.echo(f"left {r.left} dead letter(s) for a later replay ({where}); "
                   "--skip-and-commit passes over the filtered-out ones for good")
        for (stg, et), n in sorted(r.left_by_reason.items()):
            click.echo(f"  left {stg}/{et}: {n}")
    elif r.skipped and skip_and_commit and not dry_run:
        click.echo(f"committed past {r.skipped} skipped dead letter(s) (--skip-and-commit): no later replay sees them")
    if not r.ok:
        click.echo(f"error: {r.replayed - r.acknowledged} replayed message(s) not acknowledged; nothing committed", err=True)
    sys.exit(0 if r.ok else 1)


# ---------------------------------------------------------------- config
@main.command()
def config() -> None:
    """Print the effective settings (secrets masked), each with where its value came from."""
    from streams.settings import effective_settings

    rows = effective_settings(get_settings())
    width = max(len(var) for var, _, _ in rows)
    for var, value, source in rows:
        click.echo(f"{var:<{width}}  {value}  ({source})")


# ---------------------------------------------------------------- counts / demo
@main.command()
def counts() -> None:
    """Records currently in each of our topics (end offset minus start offset)."""
    from streams.kafka.offsets import topic_counts

    for name, n in topic_counts(_kafka()).items():
        click.echo(f"{n:>8}  {name}")


@main.command()
@click.option("--synthetic", type=int, default=300, help="Generated cables to publish besides the seed.")
@click.option("--seed", type=int, default=2026)
@click.option("--timeout", type=float, default=120.0, help="Seconds to wait for the worker.")
def demo(synthetic, seed, timeout) -> None:
    """Publish the seed and N generated cables, wait for the worker, show where each went."""
    from streams.kafka.offsets import topic_counts
    from streams.kafka.publish import publish as do_publish
    from streams.kafka.topics import output_topics

    names = get_settings()
    outputs = list(output_topics(names).values())
    s = _kafka((names.raw_topic, *outputs))
    before = topic_counts(s, end_only=True)
    report = do_publish(s.as_principal(FEED), _raw_messages((), synthetic, seed, True), progress=sys.stderr.isatty(),
                        on_reject=_rejected)
    click.echo(f"published {report.sent} cable(s): {report.acknowledged} acknowledged by the broker")
    deadline = time.monotonic() + timeout
    while True:
        after = topic_counts(s, end_only=True)
        delta = {t: after.get(t, 0) - before.get(t, 0) for t in outputs}
        if sum(delta.values()) >= report.acknowledged or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    click.echo("where they went (this run):")
    for t in outputs:
        click.echo(f"{delta[t]:>8}  {t}")
    done = sum(delta.values())
    click.echo(f"{done:>8}  total ({report.acknowledged} published)")
    if done < report.acknowledged:
        click.echo(f"the worker processed {done} of {report.acknowledged} within {timeout:.0f}s: is it running?", err=True)
        sys.exit(1)


# ---------------------------------------------------------------- acls
@main.group()
def acls() -> None:
    """The broker's access rules (ACLs) for our topics: who reads and writes what."""


@acls.command("apply")
def acls_apply() -> None:
    """Create the ACLs for CABLES_TOPIC_PREFIX and CABLES_APP_ID, as admin (idempotent)."""
    from streams.kafka import acls as a

    s = _kafka()
    n = a.apply(s)
    click.echo(f"applied {n} ACL(s) for topics {s.topic_prefix}.* and worker {s.app_id}")


@acls.command("show")
def acls_show() -> None:
    """Print the ACL table (principal, resource, pattern, name, operation); no broker needed."""
    from streams.kafka import acls as a

    s = get_settings()
    click.echo(a.table(s.topic_prefix, s.app_id))


if __name__ == "__main__":
    main()
