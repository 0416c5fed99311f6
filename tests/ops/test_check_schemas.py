"""ops/check_schemas.py: schema changes that consumers survive pass, the others fail, and say where."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_schemas", REPO / "ops" / "check_schemas.py")
check_schemas = sys.modules["check_schemas"] = importlib.util.module_from_spec(_spec)  # ops/ is no package
_spec.loader.exec_module(check_schemas)

BASE = {
    "type": "record", "name": "Thing", "namespace": "io.cablestream", "doc": "A test record.",
    "fields": [
        {"name": "id", "type": "string", "doc": "Id."},
        {"name": "count", "type": "int", "doc": "A count."},
        {"name": "note", "type": ["null", "string"], "default": None, "doc": "Optional note."},
        {"name": "kind", "doc": "Kind.", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
        {"name": "source", "doc": "Where from.", "type": {
            "type": "record", "name": "Source", "fields": [
                {"name": "topic", "type": "string", "doc": "Topic."},
            ]}},
    ],
}


def changed(edit) -> str:
    """BASE after ``edit(schema_dict)``, as JSON text."""
    schema = copy.deepcopy(BASE)
    edit(schema)
    return json.dumps(schema)


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


OLD = json.dumps(BASE)


# ---------------------------------------------------------------- compatibility of one pair


def test_unchanged_schema_is_compatible_in_every_mode():
    """A schema is backward, forward and fully compatible with itself."""
    for mode in check_schemas.MODES:
        assert check_schemas.compatibility_problems(OLD, OLD, mode) == []


def test_added_optional_field_with_default_is_fully_compatible():
    """Adding a field with a default is the one evolution that needs nothing from anyone."""
    new = changed(lambda s: s["fields"].append({"name": "extra", "type": ["null", "long"], "default": None, "doc": "New."}))
    assert check_schemas.compatibility_problems(new, OLD, "full") == []


def test_added_field_without_default_is_not_backward_compatible():
    """The new schema cannot read old records that lack a field with no default; the field is named."""
    new = changed(lambda s: s["fields"].append({"name": "extra", "type": "string", "doc": "New."}))
    problems = check_schemas.compatibility_problems(new, OLD, "backward")
    assert len(problems) == 1
    assert "reader_field_missing_default_value" in problems[0] and "extra" in problems[0]


def test_removed_field_without_default_is_backward_but_not_forward_compatible():
    """New readers ignore a removed field; old readers of new records miss it (no default)."""
    new = changed(lambda s: s["fields"].remove(field(s, "count")))
    assert check_schemas.compatibility_problems(new, OLD, "backward") == []
    forward = check_schemas.compatibility_problems(new, OLD, "forward")
    assert forward and "count" in forward[0]
    assert check_schemas.compatibility_problems(new, OLD, "full") == forward


def test_removed_field_with_default_is_fully_compatible():
    """Old readers fill a removed field from its default."""
    new = changed(lambda s: s["fields"].remove(field(s, "note")))
    assert check_schemas.compatibility_problems(new, OLD, "full") == []


def test_changed_type_fails_and_names_the_field():
    """string -> int cannot read old records; the problem names the field."""
    new = changed(lambda s: field(s, "id").update(type="int"))
    problems = check_schemas.compatibility_problems(new, OLD)
    assert len(problems) == 1 and "type_mismatch" in problems[0] and "at id" in problems[0]


def test_int_to_long_promotion_is_backward_only():
    """A long reader reads int data (Avro promotion); an int reader cannot read long data."""
    new = changed(lambda s: field(s, "count").update(type="long"))
    assert check_schemas.compatibility_problems(new, OLD, "backward") == []
    assert check_schemas.compatibility_problems(new, OLD, "forward")


def test_narrowed_union_fails_widened_union_passes_backward():
    """Dropping a union branch loses old values; adding one reads every old value."""
    narrowed = changed(lambda s: field(s, "note").update(type=["null"]))
    widened = changed(lambda s: field(s, "note").update(type=["null", "string", "int"]))
    problems = check_schemas.compatibility_problems(narrowed, OLD)
    assert problems and "missing_union_branch" in problems[0] and "note" in problems[0]
    assert check_schemas.compatibility_problems(widened, OLD) == []


def test_removed_enum_symbol_fails():
    """Old records may hold the removed symbol."""
    new = changed(lambda s: field(s, "kind")["type"].update(symbols=["A"]))
    problems = check_schemas.compatibility_problems(new, OLD)
    assert problems and "missing_enum_symbols" in problems[0] and "kind" in problems[0]


def test_nested_field_without_default_fails_with_its_path():
    """A required field added inside a nested record is reported as parent.child."""
    new = changed(lambda s: field(s, "source")["type"]["fields"].append({"name": "offset", "type": "long", "doc": "O."}))
    problems = check_schemas.compatibility_problems(new, OLD)
    assert problems and "source.offset" in problems[0]


def test_renamed_record_fails_unless_aliased():
    """A record's name is part of the contract; an alias to the old full name keeps it readable."""
    renamed = changed(lambda s: s.update(name="Other"))
    aliased = changed(lambda s: s.update(name="Other", aliases=["io.cablestream.Thing"]))
    assert check_schemas.compatibility_problems(renamed, OLD)
    assert check_schemas.compatibility_problems(aliased, OLD) == []


def test_unknown_mode_is_refused():
    """A typo in the mode is an error, not a silent pass."""
    with pytest.raises(ValueError):
        check_schemas.compatibility_problems(OLD, OLD, "sideways")


# ---------------------------------------------------------------- docs


def test_missing_docs_reports_top_level_and_nested_fields():
    """Every record field needs a doc, nested ones included, and so does the schema itself."""
    def strip(s):
        del s["doc"]
        del field(s, "count")["doc"]
        field(s, "source")["type"]["fields"][0]["doc"] = "  "

    assert check_schemas.missing_docs(changed(strip)) == ["Thing", "count", "source.topic"]


def test_missing_docs_walks_unions_arrays_and_maps():
    """Records inside unions, arrays and maps are checked too."""
    inner = {"type": "record", "name": "Inner", "fields": [{"name": "x", "type": "int"}]}
    text = changed(lambda s: s["fields"].extend([
        {"name": "u", "doc": "U.", "type": ["null", inner]},
        {"name": "a", "doc": "A.", "type": {"type": "array", "items": dict(inner, name="Inner2")}},
        {"name": "m", "doc": "M.", "type": {"type": "map", "values": dict(inner, name="Inner3")}},
    ]))
    assert check_schemas.missing_docs(text) == ["u.x", "a.x", "m.x"]


@pytest.mark.parametrize("path", sorted((REPO / "schemas").glob("*.avsc")), ids=lambda p: p.name)
def test_project_schemas_parse_and_document_every_field(path):
    """Our published schemas are valid Avro with a doc on every field."""
    text = path.read_text(encoding="utf-8")
    check_schemas.avro.schema.parse(text)
    assert check_schemas.missing_docs(text) == []


# ---------------------------------------------------------------- against a git revision


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True, capture_output=True,
    )


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose first commit holds schemas/thing.avsc (BASE)."""
    git(tmp_path, "init", "-q")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "thing.avsc").write_text(OLD)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "v1")
    return tmp_path


def write(repo: Path, name: str, text: str) -> None:
    (repo / "schemas" / name).write_text(text)


def test_first_commit_passes_with_a_message(repo):
    """Without HEAD~1 there is nothing to compare: pass, and say so."""
    result = check_schemas.check(repo, "HEAD~1")
    assert result.ok
    assert any("does not exist" in n for n in result.notes)


def test_not_a_git_repository_passes_with_a_message(tmp_path):
    """Outside git (an exported tree) only the docs are checked."""
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "thing.avsc").write_text(OLD)
    result = check_schemas.check(tmp_path, "HEAD~1")
    assert result.ok and any("does not exist" in n for n in result.notes)


def test_compatible_change_against_base_passes(repo):
    """An added optional field in the working tree passes against the committed version."""
    write(repo, "thing.avsc", changed(lambda s: s["fields"].append({"name": "e", "type": "int", "default": 0, "doc": "E."})))
    result = check_schemas.check(repo, "HEAD")
    assert result.ok, result.problems


def test_incompatible_change_against_base_fails_naming_file_and_base(repo):
    """A required field added since the base revision fails the check."""
    write(repo, "thing.avsc", changed(lambda s: s["fields"].append({"name": "e", "type": "int", "doc": "E."})))
    result = check_schemas.check(repo, "HEAD")
    assert not result.ok
    assert result.problems[0].startswith("schemas/thing.avsc: not backward compatible with HEAD")


def test_incompatible_commit_fails_against_previous_commit(repo):
    """The CI form: the last commit's schema against HEAD~1's."""
    write(repo, "thing.avsc", changed(lambda s: field(s, "id").update(type="int")))
    git(repo, "commit", "-q", "-am", "v2")
    assert not check_schemas.check(repo, "HEAD~1").ok
    assert check_schemas.check(repo, "HEAD").ok


def test_new_schema_file_passes(repo):
    """A schema that did not exist at the base revision has nothing to be compatible with."""
    write(repo, "new.avsc", changed(lambda s: s.update(name="New")))
    result = check_schemas.check(repo, "HEAD")
    assert result.ok and any("new.avsc: new since HEAD" in n for n in result.notes)


def test_removed_schema_file_fails(repo):
    """Deleting a published schema breaks its consumers."""
    write(repo, "other.avsc", changed(lambda s: s.update(name="Other")))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "other")
    (repo / "schemas" / "other.avsc").unlink()
    result = check_schemas.check(repo, "HEAD")
    assert result.problems == ["schemas/other.avsc: removed, but it existed at HEAD"]


def test_invalid_schema_and_missing_doc_fail(repo):
    """A file that is not Avro, or a field without doc, fails even with no base to compare."""
    write(repo, "broken.avsc", '{"type": "record", "name": "B", "fields": [{"name": "x"}]}')
    write(repo, "thing.avsc", changed(lambda s: field(s, "id").pop("doc")))
    problems = check_schemas.check(repo, "HEAD~1").problems
    assert any(p.startswith("schemas/broken.avsc: not a valid Avro schema") for p in problems)
    assert "schemas/thing.avsc: no doc on id" in problems


def test_main_exit_status(repo, capsys):
    """Exit status 0 when compatible, 1 with the problem on stderr when not."""
    assert check_schemas.main(["--repo", str(repo), "--base", "HEAD"]) == 0
    write(repo, "thing.avsc", changed(lambda s: s["fields"].append({"name": "e", "type": "int", "doc": "E."})))
    assert check_schemas.main(["--repo", str(repo), "--base", "HEAD"]) == 1
    assert "FAIL schemas/thing.avsc" in capsys.readouterr().err
    assert check_schemas.main(["--repo", str(repo), "--base", "HEAD", "--mode", "full"]) == 1


def test_history_catches_a_breaking_change_buried_under_a_later_commit(repo):
    """A breaking change two commits back fails --history even though HEAD~1 to HEAD is clean."""
    write(repo, "thing.avsc", changed(lambda s: field(s, "id").update(type="int")))
    git(repo, "commit", "-q", "-am", "v2 breaks")
    (repo / "other.txt").write_text("unrelated")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v3 touches nothing in schemas")
    assert check_schemas.check(repo, "HEAD~1").ok
    history = check_schemas.check_history(repo)
    assert not history.ok and "is not backward compatible" in history.problems[0]


def test_history_passes_compatible_evolution(repo):
    """A chain of compatible changes (an optional field added) passes --history."""
    write(repo, "thing.avsc", changed(lambda s: s["fields"].append({"name": "e", "type": "int", "default": 0, "doc": "E."})))
    git(repo, "commit", "-q", "-am", "v2")
    assert check_schemas.check_history(repo, "full").ok
