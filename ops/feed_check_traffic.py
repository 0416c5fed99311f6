"""Traffic for the Prometheus check: generated cables of every level plus bad input.

Publishes 200 generated cables and the generator's garbage (so failure, dead-letter
and quarantine series exist) to the raw topic of the current CABLES_* settings,
then waits until the worker has produced an output for each.
"""

from __future__ import annotations

import sys
import time

from streams import synth
from streams.kafka.offsets import topic_counts
from streams.kafka.publish import publish
from streams.settings import get_settings
from streams.kafka.topics import output_topics
from streams.vocab import ADMIN, FEED

WAIT_S = 120


def main() -> int:
    s = get_settings().as_principal(ADMIN)  # counts; the cables go in as the feed
    outputs = list(output_topics(s).values())
    before = sum(topic_counts(s, end_only=True).get(t, 0) for t in outputs)
    messages = [(f"check-{i}".encode(), c.raw.encode(), []) for i, c in enumerate(synth.generate(200, seed=7))]
    messages += [(None, b, []) for b in synth.garbage(7)]
    messages += [(b"unmarked", b"SUBJECT: NO MARKINGS\n\n1. A cable without any classification marking.\n", [])]
    report = publish(get_settings().as_principal(FEED), messages)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        done = sum(topic_counts(s, end_only=True).get(t, 0) for t in outputs) - before
        if done >= report.acknowledged:
            print(f"feed_check_traffic: {report.acknowledged} published, {done} processed")
            return 0
        time.sleep(0.5)
    print(f"feed_check_traffic: only {done} of {report.acknowledged} processed in {WAIT_S}s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
