"""Who may do what on the broker: every principal's ACLs, as data, and applying them (idempotent).

The broker denies what no ACL allows (``allow.everyone.if.no.acl.found=false``); ``admin`` and the
broker's own principal are super users in its configuration and need no ACL. For a topic prefix
``P`` (CABLES_TOPIC_PREFIX) and worker app id ``A`` (CABLES_APP_ID):

=====================  ==================================================================================
principal              may
=====================  ==================================================================================
``feed``               write (and describe) ``P.raw``; nothing else
``worker``             read ``P.raw`` with group ``A``; write every output topic (levels, quarantine, dlq);
                       create/describe topics ``P.*``; everything on Faust's own topics ``A-*``;
                       transactional ids ``A*`` (processing_guarantee=exactly_once)
``reader-<level>``     read ``P.<level>`` and every LOWER level (literal names); groups ``reader-<level>-*``
``admin``              everything (super user): quarantine, dead letters, replay, topics, ACLs
=====================  ==================================================================================

Levels are exact topics (literal ACLs), so ``reader-secret`` can never match ``P.top-secret``.
``python -m streams.kafka.acls principals`` prints the principal names for ops/kafka.sh (no
dependencies needed); ``cables acls apply|show`` applies or prints the table.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from streams.vocab import ADMIN, BROKER, DLQ, FEED, LEVELS, QUARANTINE, RAW, READER_PREFIX, WORKER

if TYPE_CHECKING:
    from streams.settings import Settings

LITERAL, PREFIXED = "literal", "prefixed"
TOPIC, GROUP, TRANSACTIONAL_ID = "topic", "group", "transactional_id"
READ, WRITE, DESCRIBE, CREATE, ALL = "read", "write", "describe", "create", "all"


@dataclass(frozen=True)
class Rule:
    """One ALLOW ACL: ``principal`` may do ``operation`` on the resource ``(resource, pattern, name)``."""

    principal: str
    resource: str
    pattern: str
    name: str
    operation: str


def reader(level: str) -> str:
    """The principal that reads ``level`` and every lower level."""
    return f"{READER_PREFIX}{level}"


def readable_levels(level: str) -> tuple[str, ...]:
    """``level`` and every level below it (LEVELS is lowest first)."""
    return LEVELS[: LEVELS.index(level) + 1]


def principals() -> list[str]:
    """Every SASL user of the local broker (ops/kafka.sh creates a SCRAM credential for each)."""
    return [BROKER, ADMIN, FEED, WORKER, *(reader(lv) for lv in LEVELS)]


def _topic(prefix: str, suffix: str) -> str:
    return f"{prefix}.{suffix}"


def feed_rules(prefix: str) -> list[Rule]:
    """``feed`` writes the raw topic only."""
    return [Rule(FEED, TOPIC, LITERAL, _topic(prefix, RAW), op) for op in (WRITE, DESCRIBE)]


def worker_rules(prefix: str, app_id: str) -> list[Rule]:
    """``worker`` reads raw in its group and writes every output topic (and runs Faust's own topics)."""
    outputs = [_topic(prefix, s) for s in (*LEVELS, QUARANTINE, DLQ)]
    return [
        Rule(WORKER, TOPIC, LITERAL, _topic(prefix, RAW), READ),
        *(Rule(WORKER, TOPIC, LITERAL, t, WRITE) for t in outputs),
        # ensure_topics at start: create the missing ones, describe what exists
        Rule(WORKER, TOPIC, PREFIXED, f"{prefix}.", CREATE),
        Rule(WORKER, TOPIC, PREFIXED, f"{prefix}.", DESCRIBE),
        # Faust's internal topics (<app id>-__assignor-__leader, changelogs) and the consumer group
        Rule(WORKER, TOPIC, PREFIXED, f"{app_id}-", ALL),
        Rule(WORKER, GROUP, LITERAL, app_id, READ),
        Rule(WORKER, TRANSACTIONAL_ID, PREFIXED, app_id, WRITE),
        Rule(WORKER, TRANSACTIONAL_ID, PREFIXED, app_id, DESCRIBE),
    ]


def reader_rules(prefix: str, level: str) -> list[Rule]:
    """``reader-<level>`` reads its level and every lower one, in groups named after itself."""
    who = reader(level)
    return [
        *(Rule(who, TOPIC, LITERAL, _topic(prefix, lv), op) for lv in readable_levels(level) for op in (READ, DESCRIBE)),
        Rule(who, GROUP, PREFIXED, f"{who}-", READ),
    ]


def rules(prefix: str, app_id: str) -> list[Rule]:
    """Every ACL of the topics of ``prefix`` and the worker ``app_id`` (admin needs none: super user)."""
    return [*feed_rules(prefix), *worker_rules(prefix, app_id), *(r for lv in LEVELS for r in reader_rules(prefix, lv))]


def _binding(rule: Rule):
    from confluent_kafka.admin import AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

    return AclBinding(
        ResourceType[rule.resource.upper()], rule.name, ResourcePatternType[rule.pattern.upper()],
        f"User:{rule.principal}", "*", AclOperation[rule.operation.upper()], AclPermissionType.ALLOW,
    )


def apply(settings: Settings, timeout: float = 30.0) -> int:
    """Create the ACLs of ``settings``' prefix and app id as ``admin`` (creating an existing one is a no-op).

    Returns once the broker that answered enforces them: the controller acknowledges a created ACL
    before the brokers have applied it from the metadata log, and a reader connecting in that gap is
    refused (seen once in CI). So the ACLs are read back until every one is there; ``TimeoutError``
    after ``timeout`` seconds if they never all appear.
    """
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(settings.as_principal(ADMIN).kafka_client_config())
    wanted = rules(settings.topic_prefix, settings.app_id)
    for fut in admin.create_acls([_binding(r) for r in wanted], request_timeout=timeout).values():
        fut.result()
    _wait_until_enforced(admin, wanted, timeout)
    return len(wanted)


def _key(binding) -> tuple:
    return (binding.restype, binding.name, binding.resource_pattern_type, binding.principal,
            binding.operation, binding.permission_type)


def _wait_until_enforced(admin, wanted: list[Rule], timeout: float) -> None:
    from confluent_kafka.admin import (AclBindingFilter, AclOperation, AclPermissionType, ResourcePatternType,
                                       ResourceType)

    everything = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, None, None,
                                  AclOperation.ANY, AclPermissionType.ANY)
    missing = {_key(_binding(r)) for r in wanted}
    deadline = time.monotonic() + timeout
    while True:
        missing -= {_key(b) for b in admin.describe_acls(everything, request_timeout=timeout).result()}
        if not missing:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(missing)} ACLs created but not enforced after {timeout:.0f} s, e.g. {next(iter(missing))}")
        time.sleep(0.1)


def remove(settings: Settings, timeout: float = 30.0) -> None:
    """Delete the ACLs that :func:`apply` creates for ``settings``' prefix and app id (tests' clean-up)."""
    from confluent_kafka.admin import AdminClient, AclBindingFilter

    admin = AdminClient(settings.as_principal(ADMIN).kafka_client_config())
    filters = []
    for r in rules(settings.topic_prefix, settings.app_id):
        b = _binding(r)
        filters.append(AclBindingFilter(b.restype, b.name, b.resource_pattern_type, b.principal, b.host,
                                        b.operation, b.permission_type))
    for fut in admin.delete_acls(filters, request_timeout=timeout).values():
        fut.result()


def table(prefix: str, app_id: str) -> str:
    """The ACLs as aligned text lines: principal, resource, pattern, name, operation."""
    return "\n".join(f"{r.principal:<22} {r.resource:<17} {r.pattern:<9} {r.name:<32} {r.operation}"
                     for r in rules(prefix, app_id))


if __name__ == "__main__":
    if sys.argv[1:] == ["principals"]:
        print("\n".join(principals()))
    else:
        sys.exit("usage: python -m streams.kafka.acls principals")
