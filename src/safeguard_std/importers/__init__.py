r"""Importers: spreadsheets in, evidence bundles out, with every row accounted for.

>>> import datetime as dt
>>> from safeguard_std.importers import import_scr
>>> record = (
...     b"Name,Staff type,Start date,DBS level,DBS date,Regulated activity\n"
...     b"Alex Smith,Staff,01/09/2021,Enhanced,20/08/2021,Y\n"
...     b"ABC Cleaning Ltd,Contractor,,,,\n"
... )
>>> provider = {
...     "provider": {"id": "p", "name": "P", "kind": "youth", "legal_form": "sole_trader"}
... }
>>> result = import_scr(record, name="scr.csv", provider=provider, as_of=dt.date(2026, 11, 23))
>>> s = result.summary
>>> (s.rows_read, s.imported, s.rejected)
(2, 1, 1)
>>> result.bundle.people[0].dbs_checks[0].issued_on
datetime.date(2021, 8, 20)
>>> print(result.rows[1].issues[0])
A3 'Name': names a company or organisation, not a person: list each person who works on
site, by name (value withheld: personal data)

An adapter: it reads files, the core never imports it. ``openpyxl`` is needed for .xlsx files
only, and imported only when one is read (``pip install 'safeguard-std[xlsx]'``).
"""

from __future__ import annotations

from safeguard_std.importers._fields import FIELDS, Field, Kind
from safeguard_std.importers._mapping import ScrMapping, load_mapping
from safeguard_std.importers._parsed import Severity
from safeguard_std.importers._result import (
    ColumnReport,
    ColumnStatus,
    ImportResult,
    ImportSummary,
    Issue,
    IssueGroup,
    Origin,
    Provenance,
    RowOutcome,
    RowStatus,
    SheetReport,
)
from safeguard_std.importers._scr import import_scr
from safeguard_std.importers._synonyms import SYNONYMS, header_key

__all__ = [
    "FIELDS",
    "SYNONYMS",
    "ColumnReport",
    "ColumnStatus",
    "Field",
    "ImportResult",
    "ImportSummary",
    "Issue",
    "IssueGroup",
    "Kind",
    "Origin",
    "Provenance",
    "RowOutcome",
    "RowStatus",
    "ScrMapping",
    "Severity",
    "SheetReport",
    "header_key",
    "import_scr",
    "load_mapping",
]
