"""An SQLite file is opened only if it is ours, and anything else is refused without being written."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from planscan._util.owned_sqlite import open_owned
from planscan.errors import DatabaseError

OURS = 0x12345678


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_then_ours(tmp_path):
    db = tmp_path / "x.sqlite"
    conn, new = open_owned(db, OURS, remedy="pass another")
    assert new
    conn.execute(f"PRAGMA application_id={OURS}")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    conn, new = open_owned(db, OURS, remedy="pass another")
    assert not new
    conn.close()


@pytest.mark.parametrize("app_id", [0, 0x706C6E73])
def test_another_programs_database_is_refused_and_untouched(tmp_path, app_id):
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA application_id={app_id}")
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    before = _sha(db)
    with pytest.raises(DatabaseError, match=r"other\.db: is an SQLite database of another program.*pass another"):
        open_owned(db, OURS, remedy="pass another")
    assert _sha(db) == before


@pytest.mark.parametrize("content", [b"plain text, not a database\n" * 10, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_file_that_is_not_sqlite_is_refused_in_one_line(tmp_path, content):
    db = tmp_path / "bad.db"
    db.write_bytes(content)
    with pytest.raises(DatabaseError) as e:
        open_owned(db, OURS, remedy="move it away")
    assert str(db) in str(e.value) and "move it away" in str(e.value) and "\n" not in str(e.value)
    assert db.read_bytes() == content


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        open_owned(tmp_path, OURS, remedy="pass a file")
