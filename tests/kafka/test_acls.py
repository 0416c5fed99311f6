"""The ACL table (pure data): each principal gets exactly the access the issue grants, nothing more."""

from __future__ import annotations

from streams.kafka.acls import principals, rules

P, APP = "cables", "cablestream"
# Written out from the issue, lowest first: not derived from the module under test.
ORDER = ["unclassified", "controlled", "confidential", "secret", "top-secret"]


def _topic_ops(principal: str) -> dict[str, set[str]]:
    """Literal topic name -> operations allowed to ``principal``."""
    out: dict[str, set[str]] = {}
    for r in rules(P, APP):
        if r.principal == principal and r.resource == "topic" and r.pattern == "literal":
            out.setdefault(r.name, set()).add(r.operation)
    return out


def test_every_principal_of_the_issue_exists():
    """feed, worker, admin, the broker and one reader per level are the broker's users."""
    assert set(principals()) == {"broker", "admin", "feed", "worker", *(f"reader-{lv}" for lv in ORDER)}


def test_each_reader_reads_its_level_and_the_lower_ones_only():
    """reader-<L> may read exactly the topics of L and every lower level (never raw, quarantine or dlq)."""
    for i, level in enumerate(ORDER):
        readable = {t for t, ops in _topic_ops(f"reader-{level}").items() if "read" in ops}
        assert readable == {f"{P}.{lv}" for lv in ORDER[: i + 1]}, level


def test_readers_get_no_prefixed_topic_rule_and_never_write():
    """No reader rule is prefixed on topics (a prefix could reach a higher level) or writes anything."""
    for r in rules(P, APP):
        if r.principal.startswith("reader-"):
            assert not (r.resource == "topic" and r.pattern == "prefixed"), r
            assert r.operation in {"read", "describe"}, r


def test_reader_groups_are_prefixed_by_its_own_name():
    """A reader's only group rule is the prefix '<its name>-', which no other reader's name starts with."""
    for level in ORDER:
        who = f"reader-{level}"
        groups = [r for r in rules(P, APP) if r.principal == who and r.resource == "group"]
        assert [(g.pattern, g.name) for g in groups] == [("prefixed", f"{who}-")]
        assert not any(f"reader-{other}".startswith(f"{who}-") for other in ORDER)


def test_feed_writes_raw_and_nothing_else():
    """feed's rules are write and describe on the raw topic, literal."""
    feed = [(r.resource, r.pattern, r.name, r.operation) for r in rules(P, APP) if r.principal == "feed"]
    assert sorted(feed) == [("topic", "literal", f"{P}.raw", "describe"), ("topic", "literal", f"{P}.raw", "write")]


def test_worker_reads_raw_and_writes_every_output_but_reads_no_output():
    """worker reads only raw (and its group) and writes each level, quarantine and dlq."""
    ops = _topic_ops("worker")
    assert {t for t, o in ops.items() if "read" in o} == {f"{P}.raw"}
    assert {t for t, o in ops.items() if "write" in o} == {f"{P}.{s}" for s in [*ORDER, "quarantine", "dlq"]}
    groups = [(r.pattern, r.name, r.operation) for r in rules(P, APP) if r.principal == "worker" and r.resource == "group"]
    assert groups == [("literal", APP, "read")]


def test_nobody_but_admin_reads_quarantine_or_dead_letters():
    """No ACL lets anyone read quarantine or dlq: only the super user admin does."""
    for r in rules(P, APP):
        if r.resource == "topic" and r.name in {f"{P}.quarantine", f"{P}.dlq"}:
            assert r.operation not in {"read", "all"}, r


def test_rules_follow_the_topic_prefix():
    """Another prefix gives the same rules on its own topic names."""
    assert {r.name for r in rules("t9", APP) if r.principal == "feed"} == {"t9.raw"}
