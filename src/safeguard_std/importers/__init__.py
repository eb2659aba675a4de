"""Importers: spreadsheets in, evidence bundles out, with every row accounted for.

>>> from safeguard_std.importers import import_scr
>>> as_of = dt.date(2026, 11, 23)
>>> result = import_scr("scr.csv", provider="provider.yaml", as_of=as_of)  # doctest: +SKIP
>>> result.summary.rows_read == result.summary.imported + result.summary.rejected  # doctest: +SKIP
True

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
