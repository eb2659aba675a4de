"""JUnit XML: one test case per requirement and subject, for CI systems and test dashboards.

One ``testsuite`` per section of the pack that has findings (CI servers show an empty suite as
a broken run). Each finding is a ``testcase`` named ``<requirement id> <subject>`` in class
``<pack>.<requirement id>``, the dots inside the id written as ``_`` (Jenkins and others split a
class name at its last dot: ``dorset.DOR-2.3.2`` would show as class ``2``), so the class is
``dorset.DOR-2_3_2``; the test name keeps the real id:

* ``met``: passes;
* ``not_met`` and ``insufficient_evidence``: ``failure`` (missing evidence never passes),
  ``type`` being our status;
* ``error``: ``error`` (the rule could not be evaluated);
* ``not_applicable`` and ``waived``: ``skipped``, with the reason.

Every suite carries the pack, digests, ``as_of``, the section's rating and the metrics as
``properties``. Times are always ``0`` and the timestamp is ``as_of`` at midnight, so the same
assessment gives the same bytes. The document is valid against the ``junit-10.xsd`` schema of
Jenkins' xUnit plugin: ``<testsuites>`` carries ``tests``, ``failures`` and ``errors`` but not
``skipped``, which that schema allows on a ``<testsuite>`` only.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from safeguard_std.domain.findings import Assessment, Finding, Status
from safeguard_std.domain.organisation import EvidenceBundle
from safeguard_std.domain.pack import Pack
from safeguard_std.reports._format import clean_text, status_label
from safeguard_std.reports._model import Report, SectionRating, build_report

__all__ = ["render_junit", "to_junit"]

# Characters XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    return _NOT_XML.sub("\ufffd", clean_text(str(text)))


def _class_name(requirement_id: str) -> str:
    """A requirement id as the class part of a JUnit class name: ``DOR-2.3.2`` as
    ``DOR-2_3_2`` (a dot would split it)."""
    return requirement_id.replace(".", "_")


def _details(report: Report, f: Finding) -> str:
    subject = str(f.subject)
    name = report.names.get(f.subject.id or "") if f.subject.type.value == "person" else None
    if name:
        subject += f" ({name})"
    lines = [
        f"finding: {f.id}",
        f"requirement: {report.label_of(f)} ({f.modality.value})",
        f"subject: {subject}",
        f"status: {status_label(f.status)}",
        f"finding detail: {f.message}",
    ]
    if f.due_on is not None:
        lines.append(f"due on: {f.due_on}")
    if f.evidence:
        lines.append("evidence: " + ", ".join(f.evidence))
    return _x("\n".join(lines))


def _testcase(parent: ET.Element, report: Report, f: Finding, pack: str) -> None:
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": _x(f"{pack}.{_class_name(f.requirement_id)}"),
            "name": _x(f"{f.requirement_id} {f.subject}"),
            "time": "0",
        },
    )
    if f.status in (Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE):
        node = ET.SubElement(case, "failure", {"type": f.status.value, "message": _x(f.message)})
        node.text = _details(report, f)
    elif f.status is Status.ERROR:
        node = ET.SubElement(case, "error", {"type": "error", "message": _x(f.message)})
        node.text = _details(report, f)
    elif f.status in (Status.NOT_APPLICABLE, Status.WAIVED):
        ET.SubElement(case, "skipped", {"message": _x(f"{status_label(f.status)}: {f.message}")})


def _properties(parent: ET.Element, report: Report, section: SectionRating) -> None:
    a = report.assessment
    props = ET.SubElement(parent, "properties")
    pairs = [
        ("pack", f"{a.pack}@{a.pack_edition}"),
        ("pack_digest", a.pack_digest),
        ("bundle_id", a.bundle_id),
        ("provider_id", a.provider_id),
        ("evidence_digest", a.evidence_digest),
        ("as_of", a.as_of.isoformat()),
        ("overall_rating", report.overall.value),
        ("section_rating", section.rating.value),
        ("section_rating_reason", section.reason),
    ]
    pairs += [(f"metric:{m.id}", m.display) for m in report.metrics]
    for name, value in pairs:
        ET.SubElement(props, "property", {"name": _x(name), "value": _x(value)})


def _counts(findings: list[Finding]) -> dict[str, str]:
    def n(*statuses: Status) -> str:
        return str(sum(1 for f in findings if f.status in statuses))

    return {
        "tests": str(len(findings)),
        "failures": n(Status.NOT_MET, Status.INSUFFICIENT_EVIDENCE),
        "errors": n(Status.ERROR),
        "skipped": n(Status.NOT_APPLICABLE, Status.WAIVED),
        "time": "0",
    }


def render_junit(report: Report) -> str:
    """The JUnit XML of a built report."""
    a = report.assessment
    pack = f"{a.pack}@{a.pack_edition}"
    root = ET.Element(
        "testsuites",
        {
            "name": _x(f"safeguard-std {pack}: {a.provider_id} as of {a.as_of}"),
            **{k: v for k, v in _counts(list(a.findings)).items() if k != "skipped"},
        },
    )
    suites = [
        (section, [f for f in a.findings if f.section == section.id]) for section in report.sections
    ]
    for n, (section, found) in enumerate((s, found) for s, found in suites if found):
        title = f"{section.id} {section.title}" if section.title != section.id else section.id
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": _x(title),
                **_counts(found),
                "id": str(n),
                "package": _x(pack),
                "hostname": "safeguard-std",
                "timestamp": f"{a.as_of.isoformat()}T00:00:00",
            },
        )
        _properties(suite, report, section)
        for f in found:
            _testcase(suite, report, f, a.pack)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def to_junit(
    assessment: Assessment,
    *,
    pack: Pack | None = None,
    bundle: EvidenceBundle | None = None,
    include_personal_data: bool = False,
    horizon_days: int = 90,
) -> str:
    """``assessment`` as JUnit XML; see :func:`~safeguard_std.reports.build_report` for the
    arguments. A person's name appears (in a failure's details) only with
    ``include_personal_data`` and the bundle."""
    return render_junit(
        build_report(
            assessment,
            pack=pack,
            bundle=bundle,
            include_personal_data=include_personal_data,
            horizon_days=horizon_days,
        )
    )
