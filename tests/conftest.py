"""Shared fixtures and hypothesis profiles.

Profiles: ``default`` (quick, for every run), ``ci`` (more examples), ``fuzz`` (long; opt in with
``HYPOTHESIS_PROFILE=fuzz pytest -m slow``). Property tests never depend on the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from safeguard_std.packs import PackCatalog, bundled_catalog

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def catalog() -> PackCatalog:
    """The bundled packs plus the test-suite's fixture packs (resolved once per session)."""
    cat = bundled_catalog(entry_points_too=False)
    cat = cat.with_folder(FIXTURES / "packs")
    return cat


#: Assessments larger than this are not re-validated as they are written (the scale tests'
#: million-finding documents would take minutes); every smaller one is.
_SCHEMA_CHECK_MAX_CHARS = 4_000_000


def _checked_assessment(data: object, where: str) -> None:
    from safeguard_std.io.schemas import schema_errors

    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in schema_errors("assessment", data)
    ]
    assert not errors, (
        f"{where} wrote an assessment that schemas/assessment.schema.json refuses: {errors[:5]}"
    )


@pytest.fixture(autouse=True, scope="session")
def assessment_schema_check() -> object:
    """Every assessment the tests write (JSON text or data, through the library or the command
    line) is validated against the published assessment schema as it is written."""
    import json

    import safeguard_std.portfolio as streaming
    import safeguard_std.reports.as_json as as_json
    import safeguard_std.serialization as serialization
    from safeguard_std._serialization import data as plain_data
    from safeguard_std._serialization import findings_writer

    real_chunks, real_data = serialization.assessment_json_chunks, serialization.assessment_to_data

    def to_json(*args: object, **kwargs: object) -> Iterator[str]:
        # assessment_to_json and the JSON report are written through these chunks.
        text = "".join(real_chunks(*args, **kwargs))  # type: ignore[arg-type]
        if len(text) <= _SCHEMA_CHECK_MAX_CHARS:
            _checked_assessment(json.loads(text), "assessment_to_json")
        yield text

    def to_data(*args: object, **kwargs: object) -> dict[str, object]:
        data = real_data(*args, **kwargs)  # type: ignore[arg-type]
        if len(data.get("findings", ())) <= 20_000:
            _checked_assessment(data, "assessment_to_data")
        return data

    real_line = serialization.assessment_line

    def to_line(*args: object, **kwargs: object) -> str:
        # A portfolio writes each assessment as one line of canonical JSON.
        text = real_line(*args, **kwargs)  # type: ignore[arg-type]
        if len(text) <= _SCHEMA_CHECK_MAX_CHARS:
            _checked_assessment(json.loads(text), "assessment_line")
        return text

    with pytest.MonkeyPatch.context() as patch:
        # Their own modules too: assessment_to_json and assessment_line call them there.
        for module in (serialization, findings_writer, as_json):
            patch.setattr(module, "assessment_json_chunks", to_json)
        for module in (serialization, plain_data, findings_writer):
            patch.setattr(module, "assessment_to_data", to_data)
        patch.setattr(streaming, "assessment_line", to_line)
        yield
