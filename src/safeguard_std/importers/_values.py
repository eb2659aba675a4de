"""Reading cells that are not dates: yes/no, DBS numbers and levels, role types, referees, and
the other words people type into a single central record.

Every reader takes a non-blank cell value and returns a :class:`Parsed`. None of them quotes the
cell in its messages: the report shows the raw value beside the message, and withholds it when
the field is personal data.
"""

from __future__ import annotations

from collections.abc import Mapping

from safeguard_std.importers._cell_text import (
    EXCEL_ERRORS,
    Reader,
    cell_text,
    is_company_name,
    normalise,
    read_bool,
    read_name,
    read_regulated,
    read_staff_number,
    read_text,
)
from safeguard_std.importers._dbs_values import (
    read_dbs_level,
    read_dbs_number,
    read_disclosure,
    read_jurisdiction,
    read_other_jurisdiction_number,
    read_status_result,
    read_workforce,
)
from safeguard_std.importers._role_values import BOARD, read_role_type, role_type_of_words
from safeguard_std.importers._vetting_values import (
    DocumentReading,
    RefereeReading,
    read_documents,
    read_referee,
    read_reference_count,
    read_risk_kind,
)

__all__ = [
    "BOARD",
    "EXCEL_ERRORS",
    "READERS",
    "DocumentReading",
    "Reader",
    "RefereeReading",
    "cell_text",
    "is_company_name",
    "normalise",
    "role_type_of_words",
]


#: Readers by field kind name (dates are read by :class:`DateReader`, set up per column).
READERS: Mapping[str, Reader] = {
    "text": read_text,
    "name": read_name,
    "staff_number": read_staff_number,
    "bool": read_bool,
    "regulated": read_regulated,
    "role_type": read_role_type,
    "dbs_number": read_dbs_number,
    "dbs_number_other": read_other_jurisdiction_number,
    "dbs_level": read_dbs_level,
    "workforce": read_workforce,
    "disclosure": read_disclosure,
    "jurisdiction": read_jurisdiction,
    "status_result": read_status_result,
    "referee_kind": read_referee,
    "documents": read_documents,
    "count": read_reference_count,
    "risk_kind": read_risk_kind,
}
