"""The ``cables`` command: everything a feed, a downstream team or an operator does.

    cables topics create|list      our topics, created explicitly
    cables publish PATH...         cables (file, folder, JSON Lines, CSV) to the raw topic
    cables synth N                 synthetic cables as a folder or JSON Lines
    cables parse [FILE...|-]       the offline twin of the worker: one JSON object per cable
    cables tail TOPIC              decoded records of an output topic (throwaway group)
    cables replay-dlq              re-publish dead letters to the raw topic after a fix
    cables counts                  records per topic
    cables demo                    publish the seed and generated cables, show where each went
    cables acls apply|show         the broker's access rules for our topics (streams/kafka/acls.py)

The worker itself runs with ``faust -A streams.kafka.app worker``.

Each command connects as the least Kafka principal that can do its job (publish as ``feed``, tail
as the reader of the topic's level, the rest as ``admin``) unless CABLES_SASL_USERNAME names one.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from streams.settings import Settings, get_settings
from streams.vocab import ADMIN, FEED, LEVELS


def _as(principal: str) -> Settings:
    """The settings, connecting as ``principal`` unless CABLES_SASL_USERNAME is set."""
    return get_settings().as_principal(principal)

SEED = Path(__file__).resolve().parent / "samples" / "seed-cable.txt"


@click.group()
def main() -> None:
    """cablestream: parse, enrich and route diplomatic cables by classification over Kafka."""


# ---------------------------------------------------------------- topics
@main.group()
def topics() -> None:
    """Create or list our topics."""


@topics.command("create")
def topics_create() -> None:
    """Create every missing topic with the configured partitions."""
    from streams.kafka import topics as t

    s = _as(ADMIN)
    created = t.ensure_topics(s)
    click.echo(f"created {len(created)} topic(s): {', '.join(created) or '-'}")
    for name, parts in t.partition_counts(s).items():
        click.echo(f"  {name}  partitions={parts}")


@topics.command("list")
def topics_list() -> None:
    """List our topics and their partition counts."""
    from streams.kafka import topics as t

    for name, parts in t.partition_counts(_as(ADMIN)).items():
        click.echo(f"{name}  partitions={parts}")


# ---------------------------------------------------------------- publish
def _raw_messages(paths: tuple[str, ...], synthetic: int, seed: int, include_seed: bool):
    if include_seed:
        yield b"seed-cable.txt", SEED.read_bytes(), [("source", b"seed-cable.txt")]
    for path in paths:
        from streams.core.parse.inputs import iter_messages

        for label, text in iter_messages(path):
            yield label.encode()[:200], text.encode("utf-8", "surrogateescape"), [("source", label.encode()[:200])]
    if synthetic:
        from streams.synth import iter_cables

        for i, cable in enumerate(iter_cables(synthetic, seed=seed)):
            label = f"synth-{seed}-{i}"
            yield label.encode(), cable.raw.encode("utf-8"), [("source", label.encode())]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--synthetic", type=int, default=0, help="Also publish N generated cables.")
@click.option("--seed", type=int, default=0, help="Seed of the generated cables.")
@click.option("--with-seed-cable", is_flag=True, help="Also publish the seed cable.")
@click.option("--limit", type=int, default=None, help="Publish at most N messages.")
@click.option("--rate", type=float, default=None, help="Messages per second (replay at a given rate).")
@click.option("--topic", default=None, help="Target topic (default: the raw topic).")
@click.option("--progress/--no-progress", default=None, help="Progress line on stderr (default: on a terminal).")
def publish(paths, synthetic, seed, with_seed_cable, limit, rate, topic, progress) -> None:
    """Publish cables to the raw topic and report how many the broker acknowledged.

    PATH is a cable file, a folder of them, a JSON Lines file with a `raw` field
    (like the corpus), a cables.csv dump (one message per row), or - for stdin.
    """
    from streams.kafka.publish import publish as do_publish

    if not (paths or synthetic or with_seed_cable):
        raise click.UsageError("nothing to publish: give PATH, --synthetic N or --with-seed-cable")
    s = _as(FEED) if topic is None else _as(ADMIN)
    progress = sys.stderr.isatty() if progress is None else progress
    report = do_publish(
        s, _raw_messages(paths, synthetic, seed, with_seed_cable), topic=topic, rate=rate, limit=limit, progress=progress
    )
    click.echo(
        f"published {report.sent} to {topic or s.raw_topic}: {report.acknowledged} acknowledged, "
        f"{report.failed} failed ({report.seconds:.1f}s)"
    )
    for err in report.errors:
        click.echo(f"  error: {err}", err=True)
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
    """Print the record the worker would produce for each cable, and the topic it would go to."""
    from streams.core import pipeline
    from streams.core.model import as_record
    from streams.core.parse.inputs import iter_messages

    s = get_settings()
    for path in files or ("-",):
        for label, text in iter_messages(path):
            outcome = pipeline.process(text.encode("utf-8", "surrogateescape"), max_bytes=s.max_cable_bytes, do_enrich=not no_enrich)
            out: dict = {"input": label, "outcome": outcome.kind, "topic": s.topic(outcome.topic)}
            if outcome.cable is not None:
                out["cable"] = as_record(outcome.cable)
                out["route"] = as_record(outcome.route)
            if outcome.failure is not None:
                out["failure"] = as_record(outcome.failure)
            click.echo(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None))


# ---------------------------------------------------------------- tail
@main.command()
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the earliest offset (default: only new records).")
@click.option("--limit", type=int, default=None, help="Stop after N records.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record (default off a terminal).")
@click.option("--timeout", type=float, default=10.0, help="Stop after this many idle seconds.")
def tail(topic, from_beginning, limit, as_json, timeout) -> None:
    """Print decoded records of an output topic (throwaway consumer group, never commits).

    TOPIC is a full name or a suffix: secret, confidential, quarantine, dlq, ...
    """
    from streams.kafka.tail import tail as do_tail

    from streams.kafka.acls import reader

    s = get_settings()
    name = topic if "." in topic else s.topic(topic)
    level = name[len(s.topic_prefix) + 1:] if name.startswith(f"{s.topic_prefix}.") else None
    s = s.as_principal(reader(level) if level in LEVELS else ADMIN)  # a level's reader, else admin
    as_json = as_json or not sys.stdout.isatty()
    try:
        do_tail(s, name, from_beginning=from_beginning, limit=limit, as_json=as_json, timeout=timeout)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


# ---------------------------------------------------------------- replay-dlq
@main.command("replay-dlq")
@click.option("--error-type", multiple=True, help="Only dead letters of this error type (repeatable).")
@click.option("--stage", multiple=True, help="Only dead letters of this stage (repeatable).")
@click.option("--dry-run", is_flag=True, help="Count what would be replayed; publish and commit nothing.")
@click.option("--from-beginning", is_flag=True, help="Re-read the whole dead-letter topic, not only new dead letters.")
@click.option("--timeout", type=float, default=10.0)
def replay_dlq(error_type, stage, dry_run, from_beginning, timeout) -> None:
    """Re-publish dead letters (their original bytes) to the raw topic after a fix."""
    from streams.kafka.replay import replay_dead_letters

    r = replay_dead_letters(
        _as(ADMIN), error_types=set(error_type), stages=set(stage), dry_run=dry_run,
        from_beginning=from_beginning, timeout=timeout,
    )
    verb = "would replay" if dry_run else "replayed"
    click.echo(f"read {r.read} dead letter(s): {verb} {r.replayed}, skipped {r.skipped} (filter), acknowledged {r.acknowledged}")
    for (stg, et), n in sorted(r.by_reason.items()):
        click.echo(f"  {stg}/{et}: {n}")
    sys.exit(0 if r.ok else 1)


# ---------------------------------------------------------------- counts / demo
@main.command()
def counts() -> None:
    """Records currently in each of our topics (end offset minus start offset)."""
    from streams.kafka.offsets import topic_counts

    for name, n in topic_counts(_as(ADMIN)).items():
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

    s = _as(ADMIN)
    outputs = list(output_topics(s).values())
    before = topic_counts(s, end_only=True)
    report = do_publish(_as(FEED), _raw_messages((), synthetic, seed, True), progress=sys.stderr.isatty())
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

    s = _as(ADMIN)
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
