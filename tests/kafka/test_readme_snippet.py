"""The README's "Reading our topics" snippet, run as written: a team with confluent-kafka and schemas/ decodes our records."""

from __future__ import annotations

import os
import re
import uuid

import pytest

from streams.core import pipeline
from streams.core.pipeline import Provenance, cable_record
from streams.kafka.codec import Codec
from tests.conftest import REPO
from tests.integration.conftest import kafka  # noqa: F401 - the real broker fixture

SEED = (REPO / "streams" / "samples" / "seed-cable.txt").read_bytes()


def snippet(name: str) -> str:
    """The python block after ``<!-- snippet: NAME -->`` in README.md."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- snippet: {name} -->\s*```python\n(.*?)```", readme, re.S)
    assert m, f"README.md has no snippet {name!r}"
    return m.group(1)


def seed_record() -> dict:
    outcome = pipeline.process(SEED, max_bytes=1_000_000)
    return cable_record(outcome.cable, outcome.route, Provenance("cables.raw", 0, 7, 1))


def run_decode_snippet(registry_url: str | None = None) -> dict:
    """The decode snippet's namespace, executed from the repository root (where schemas/ is)."""
    code = snippet("decode")
    if registry_url:
        code = code.replace("REGISTRY_URL = None", f"REGISTRY_URL = {registry_url!r}")
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        namespace: dict = {"__name__": "readme_snippet"}
        exec(compile(code, "README.md:snippet:decode", "exec"), namespace)  # noqa: S102 - our own README
        return namespace
    finally:
        os.chdir(cwd)


def test_snippet_decodes_a_single_object_record_of_ours():
    """The snippet, with only fastavro and confluent-kafka, decodes a cable our codec wrote without a registry."""
    record = seed_record()
    value = Codec.named("cable").encode(record)
    decoded = run_decode_snippet()["decode"]("cables.confidential", value)
    assert decoded["level"] == "confidential" and decoded["origin"] == "ALMATY"
    assert decoded == Codec.named("cable").decode(value)


def test_snippet_imports_nothing_of_ours():
    """The snippet is for teams without our package: it never imports streams."""
    for name in ("decode", "consume"):
        assert "streams" not in snippet(name)


@pytest.mark.registry
@pytest.mark.integration
def test_snippet_decodes_a_confluent_framed_record_with_the_registry(kafka):
    """With REGISTRY_URL set, the snippet decodes a Confluent-framed record whose schema our worker registered."""
    from tests.integration.test_registry import REGISTRY_URL as url

    import httpx

    try:
        httpx.get(f"{url}/subjects", timeout=3).raise_for_status()
    except httpx.HTTPError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no registry at {url}: {exc}")
        pytest.skip(f"no registry at {url}: {exc}")
    from streams.kafka.registry import codecs_for, registry_client, subject_for
    from streams.settings import Settings

    topic = f"snippet-{uuid.uuid4().hex[:8]}.confidential"
    settings = Settings(bootstrap_servers=kafka, schema_registry_url=url)
    codec = codecs_for(settings, {topic: "cable"})[topic]
    try:
        value = codec.encode(seed_record())
        assert value[:1] == b"\x00"
        decoded = run_decode_snippet(url)["decode"](topic, value)
        assert decoded["level"] == "confidential" and decoded["origin"] == "ALMATY"
    finally:
        client = registry_client(settings)
        client.delete_subject(subject_for(topic))
        client.delete_subject(subject_for(topic), permanent=True)
