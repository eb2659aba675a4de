"""The one cattrs converter, canonical JSON, and digests.

Structuring is strict: a string is never turned into a number or a boolean (``"false"`` is not
``True``), dates are ISO calendar dates or timestamps converted in Europe/London, unknown keys are
errors. Unstructuring omits defaults and writes set-valued fields as sorted lists, so the same
entity always gives the same document.

The code lives in the private package ``safeguard_std._serialization``, one concern a module;
this module is its public face and the import path to use.
"""

from __future__ import annotations

from safeguard_std._serialization.canonical import canonical_json, digest
from safeguard_std._serialization.converter import converter, make_converter
from safeguard_std._serialization.data import assessment_to_data, bundle_to_data, pack_to_data
from safeguard_std._serialization.digests import evidence_digest, pack_digest
from safeguard_std._serialization.errors import structure_errors
from safeguard_std._serialization.findings_writer import (
    QUIET_STATUSES,
    assessment_json_chunks,
    assessment_line,
    assessment_ndjson_findings,
    assessment_to_json,
)

__all__ = [
    "assessment_to_data",
    "canonical_json",
    "digest",
    "make_converter",
    "structure_errors",
]

__all__ += [
    "QUIET_STATUSES",
    "assessment_json_chunks",
    "assessment_line",
    "assessment_ndjson_findings",
    "assessment_to_json",
    "bundle_to_data",
    "converter",
    "evidence_digest",
    "pack_digest",
    "pack_to_data",
]
