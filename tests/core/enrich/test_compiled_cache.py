"""The compiled Hyperscan database kept between runs (gazetteer.keep_compiled): loaded back only when it is intact."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from streams.core.enrich import gazetteer

pytestmark = pytest.mark.skipif(not gazetteer.HAVE_HYPERSCAN, reason="Hyperscan is not installed on this platform")

EXPRESSIONS = [b" turkey ", b" ankara ", b" united nations "]
TEXT = b" the united nations met in ankara turkey "  # ends: nations 20, ankara 34, turkey 41


def hits(db) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    db.scan(TEXT, match_event_handler=lambda i, _f, to, _fl, _c: found.append((i, to)))
    return sorted(found)


@pytest.fixture
def folder(tmp_path):
    gazetteer.keep_compiled(tmp_path)
    yield tmp_path
    gazetteer.keep_compiled(None)


def test_a_kept_database_is_loaded_instead_of_compiled(folder, monkeypatch):
    """The second build reads the file the first one wrote (compiling is made to fail) and finds the same hits."""
    first = hits(gazetteer._compiled(EXPRESSIONS))
    assert first == [(0, 41), (1, 34), (2, 20)]
    assert len(list(folder.glob("gazetteer-*.hsdb"))) == 1

    real = gazetteer.hyperscan

    def no_database(*args, **kwargs):
        raise AssertionError("compiled although a kept database was there")

    monkeypatch.setattr(gazetteer, "hyperscan", SimpleNamespace(
        Database=no_database, HS_MODE_BLOCK=real.HS_MODE_BLOCK, loadb=real.loadb, dumpb=real.dumpb,
        Scratch=real.Scratch))
    assert hits(gazetteer._compiled(EXPRESSIONS)) == first


def test_other_keys_get_their_own_database(folder):
    """A different key list never loads another list's database (the file name is a digest of the keys)."""
    gazetteer._compiled(EXPRESSIONS)
    assert hits(gazetteer._compiled(EXPRESSIONS[:1])) == [(0, 41)]
    assert len(list(folder.glob("gazetteer-*.hsdb"))) == 2


def test_an_altered_file_is_compiled_again_and_rewritten(folder):
    """A kept file whose bytes changed fails its checksum: the database is compiled again, right, and stored anew."""
    gazetteer._compiled(EXPRESSIONS)
    [path] = folder.glob("gazetteer-*.hsdb")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert hits(gazetteer._compiled(EXPRESSIONS)) == [(0, 41), (1, 34), (2, 20)]
    assert path.read_bytes() != bytes(data)


def test_an_unwritable_folder_still_gives_a_database(tmp_path):
    """When the folder cannot be written (a file stands in its place) the database is compiled, with a warning."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    gazetteer.keep_compiled(blocker)
    try:
        with pytest.warns(RuntimeWarning, match="cannot keep the compiled gazetteer"):
            db = gazetteer._compiled(EXPRESSIONS)
    finally:
        gazetteer.keep_compiled(None)
    assert hits(db) == [(0, 41), (1, 34), (2, 20)]
