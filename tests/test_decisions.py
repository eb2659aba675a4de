"""Every decision record says whether it still holds and since when (issue 15): a newcomer must
be able to tell a record the code follows from one it has left behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

RECORDS = sorted((ROOT / "docs" / "decisions").glob("[0-9][0-9][0-9][0-9]-*.md"))
STATUS = re.compile(
    r"\*\*Status\*\*: (accepted|superseded by \[decision (\d+)\]\((\d{4}-[^)]+\.md)\))"
    r" · \*\*Date\*\*: \d{4}-\d{2}-\d{2}( · \*\*Amended\*\*: \d{4}-\d{2}-\d{2}.*)?"
)


def test_records_are_numbered_once_and_in_order() -> None:
    numbers = [int(p.name[:4]) for p in RECORDS]
    assert numbers == list(range(1, len(RECORDS) + 1))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name[:4])
def test_each_record_has_a_status_and_a_date(path: Path) -> None:
    title, blank, status = path.read_text(encoding="utf-8").split("\n")[:3]
    assert title.startswith(f"# {int(path.name[:4])}. ")
    assert blank == ""
    match = STATUS.fullmatch(status)
    assert match, status
    if match.group(3):  # a superseded record points at a record that exists
        assert (path.parent / match.group(3)).is_file()
