"""A row's checks other than DBS: identity, right to work, qualifications, further checks,
references, training, risk assessments and LADO notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguard_std.domain.people import (
    CheckStatus,
    DbsCheck,
    IdentityCheck,
    IdentityDocument,
    LadoNotification,
    QualificationCheck,
    Reference,
    RightToWorkCheck,
    RiskAssessment,
    RiskAssessmentKind,
    SuitabilityCheck,
    TrainingRecord,
)
from safeguard_std.importers._fields import REFERENCE_SLOTS
from safeguard_std.importers._parsed import Mark
from safeguard_std.importers._values import RefereeReading

__all__ = ["CheckReader"]

from safeguard_std.importers._dbs import DbsReader
from safeguard_std.importers._row_values import Value


class CheckReader(DbsReader):
    """Reads the other checks of a row."""

    __slots__ = ()

    def _identity(self) -> IdentityCheck | None:
        if not self.ctx.has("identity.checked_on", "identity.checked_by", "identity.documents"):
            return None
        rid = f"{self.person_id}:identity"
        done, on, value = self.check_date("identity.checked_on")
        if "identity" in self.refused:
            return None
        docs = self.plain("identity.documents")
        fields: dict[str, Any] = {"id": rid, "checked_on": on}
        self._by("identity.checked_by", rid, "checked_by", fields)
        if docs is not None:
            fields["documents"] = tuple(
                IdentityDocument(type=d.type, photo=d.photo, shows_address=d.shows_address)
                for d in docs.value
            )
            self.record(rid, "documents", docs)
        if "identity" in self.pending:
            fields["status"] = CheckStatus.PENDING
        elif not done and len(fields) == 2:
            return None
        elif not done:
            self._undated("identity check", "identity.checked_on")
        self.record(rid, "checked_on", value)
        return IdentityCheck(**fields)

    def _right_to_work(self) -> RightToWorkCheck | None:
        if not self.ctx.has(
            "right_to_work.checked_on", "right_to_work.checked_by", "right_to_work.expires_on"
        ):
            return None
        rid = f"{self.person_id}:rtw"
        done, on, value = self.check_date("right_to_work.checked_on")
        if "right_to_work" in self.refused:
            return None
        expires = self.plain("right_to_work.expires_on")
        fields: dict[str, Any] = {"id": rid, "checked_on": on}
        self._by("right_to_work.checked_by", rid, "checked_by", fields)
        if expires is not None:
            fields.update(time_limited=True, permission_expires_on=expires.value)
            self.record(rid, "permission_expires_on", expires)
        if "right_to_work" in self.pending:
            fields["status"] = CheckStatus.PENDING
        elif not done and len(fields) == 2:
            return None
        elif not done:
            self._undated("right-to-work check", "right_to_work.checked_on")
        self.record(rid, "checked_on", value)
        return RightToWorkCheck(**fields)

    def _qualifications(self) -> tuple[QualificationCheck, ...]:
        if not self.ctx.has("qualifications.checked_on", "qualifications.name"):
            return ()
        rid = f"{self.person_id}:qualifications"
        value = self.get("qualifications.checked_on")
        name = self.plain("qualifications.name")
        title = str(name.value) if name else None
        if value is not None and value.mark is Mark.NOT_APPLICABLE:
            title = title or (value.cell.column.header if value.cell else "qualifications")
            self.record(rid, "required", value)
            self.record(rid, "qualification", name or value)
            return (QualificationCheck(id=rid, qualification=title, required=False),)
        done, on, value = self.check_date("qualifications.checked_on")
        if "qualifications" in self.refused:
            return ()
        fields: dict[str, Any] = {"id": rid, "checked_on": on}
        self._by("qualifications.checked_by", rid, "checked_by", fields)
        if "qualifications" in self.pending:
            fields["status"] = CheckStatus.PENDING
        elif not done and name is None:
            return ()
        header = value.cell.column.header if value and value.cell else "qualifications"
        fields["qualification"] = title or header
        self.record(rid, "qualification", name or value)
        self.record(rid, "checked_on", value)
        return (QualificationCheck(**fields),)

    def _suitability(self, dbs: DbsCheck | None) -> tuple[SuitabilityCheck, ...]:
        out = []
        for kind, base in self.ctx.suitability:
            rid = f"{self.person_id}:check:{kind.value}"
            done, on, value = self.check_date(f"{base}.checked_on")
            if base in self.refused:
                continue
            fields: dict[str, Any] = {"id": rid, "kind": kind, "checked_on": on}
            self._by(f"{base}.checked_by", rid, "checked_by", fields)
            satisfactory = self.plain(f"{base}.satisfactory")
            if base in self.pending:
                fields["status"] = CheckStatus.PENDING
                self.not_while_pending(satisfactory, f"{kind.value.replace('_', ' ')} check")
            elif satisfactory is not None:
                fields["satisfactory"] = satisfactory.value
                self.record(rid, "satisfactory", satisfactory)
            if base not in self.pending and not done and len(fields) == 3:
                continue
            if not done and base not in self.pending:
                self._undated(f"{kind.value.replace('_', ' ')} check", f"{base}.checked_on")
            self.record(rid, "checked_on", value)
            out.append(SuitabilityCheck(**fields))
        return tuple(out)

    def _references(self) -> tuple[Reference, ...]:
        out: list[Reference] = []
        for n in REFERENCE_SLOTS:
            if f"reference{n}" not in self.ctx.groups:
                continue
            reference = self._reference(n)
            if reference is not None:
                out.append(reference)
        count = self.plain("references.count")
        if count is not None and count.value > len(out):
            extra = count.value - len(out)
            self.warn(
                "references.count_only",
                f"{count.value} references are counted but {extra} of them are not dated or "
                "verified: imported as references with no dates, not verified",
                count.cell,
            )
            for i in range(extra):
                rid = f"{self.person_id}:reference:counted{i + 1}"
                self.record(rid, "id", count)
                out.append(Reference(id=rid))
        return tuple(out)

    def _reference(self, n: int) -> Reference | None:
        base = f"reference{n}"
        rid = f"{self.person_id}:reference{n}"
        done, received, received_value = self.check_date(f"{base}.received_on")
        v_done, verified, verified_value = self.check_date(f"{base}.verified_on")
        if base in self.refused:
            return None
        if base in self.pending:
            return self._pending_reference(n, rid)
        if received and verified and verified < received:
            self.warn(
                "reference.verified_before_received",
                "verified before it was received: verified date not imported",
                verified_value.cell if verified_value else None,
            )
            verified, verified_value, v_done = None, None, False
        fields: dict[str, Any] = {"id": rid, "received_on": received, "verified_on": verified}
        self._by(f"{base}.verified_by", rid, "verified_by", fields)
        satisfactory = self.plain(f"{base}.satisfactory")
        if satisfactory is not None:
            fields["satisfactory"] = satisfactory.value
            self.record(rid, "satisfactory", satisfactory)
        kind = self.plain(f"{base}.kind")
        if kind is not None:
            reading: RefereeReading = kind.value
            fields.update(
                referee_kind=reading.kind,
                open_reference=reading.open_reference,
                supplied_by_candidate=reading.supplied_by_candidate,
            )
            self.record(rid, "referee_kind", kind)
        if not (done or v_done) and len(fields) == 3:
            return None
        if not done:
            self._undated(f"reference {n}", f"{base}.received_on")
        self.record(rid, "received_on", received_value)
        self.record(rid, "verified_on", verified_value)
        return Reference(**fields)

    def _pending_reference(self, n: int, rid: str) -> Reference:
        base = f"reference{n}"
        fields: dict[str, Any] = {"id": rid, "status": CheckStatus.PENDING}
        self.not_while_pending(self.get(f"{base}.verified_on"), f"reference {n}")
        self.not_while_pending(self.get(f"{base}.satisfactory"), f"reference {n}")
        self._by(f"{base}.verified_by", rid, "verified_by", fields)
        kind = self.plain(f"{base}.kind")
        if kind is not None:
            reading: RefereeReading = kind.value
            fields.update(
                referee_kind=reading.kind,
                open_reference=reading.open_reference,
                supplied_by_candidate=reading.supplied_by_candidate,
            )
            self.record(rid, "referee_kind", kind)
        self.record(rid, "status", self.get(f"{base}.received_on"))
        return Reference(**fields)

    def _training(self) -> tuple[TrainingRecord, ...]:
        out = []
        for course, base in self.ctx.courses:
            rid = f"{self.person_id}:training:{course.value}"
            done, on, value = self.check_date(f"{base}.completed_on")
            if not done:
                continue
            fields: dict[str, Any] = {"id": rid, "course": course, "completed_on": on}
            self._by(f"{base}.provider", rid, "provider_org", fields)
            recognised = self.plain(f"{base}.recognised")
            if recognised is not None:
                fields["recognised_by_partnership"] = recognised.value
                self.record(rid, "recognised_by_partnership", recognised)
            self.record(rid, "completed_on", value)
            out.append(TrainingRecord(**fields))
        return tuple(out)

    def _risk_assessments(self) -> tuple[RiskAssessment, ...]:
        if "risk_assessment" not in self.ctx.groups:
            return ()
        # (kind, date, value, the field its date came from), one per kind
        found: dict[RiskAssessmentKind, tuple[dt.date | None, Value | None, str]] = {}
        for kind, base in self.ctx.risks:
            done, on, value = self.check_date(f"{base}.completed_on")
            if done:
                found[kind] = (on, value, f"{base}.completed_on")
        generic = self._generic_risk_assessment(found)
        shared_generic = self.plain("risk_assessment.shared_with_lado_on")
        out: list[RiskAssessment] = []
        for kind, (on, value, field) in sorted(found.items()):
            rid = f"{self.person_id}:risk_assessment:{kind.value}"
            fields: dict[str, Any] = {"id": rid, "kind": kind, "completed_on": on}
            shared = self.plain(f"risk_assessment.{kind.value}.shared_with_lado_on")
            attach = len(found) == 1 or kind in (generic, RiskAssessmentKind.DBS_DISCLOSURE)
            if shared is None and shared_generic is not None and attach:
                shared, shared_generic = shared_generic, None
            if shared is not None and on is not None and shared.value < on:
                self.warn(
                    "risk_assessment.shared_before_completed",
                    "shared with the LADO before the risk assessment was completed: shared "
                    "date not imported",
                    shared.cell,
                )
                shared = None
            if shared is not None:
                fields["shared_with_lado_on"] = shared.value
                self.record(rid, "shared_with_lado_on", shared)
            if on is None:
                self._undated("risk assessment", field)
            self.record(rid, "completed_on", value)
            out.append(RiskAssessment(**fields))
        if shared_generic is not None:
            self.warn(
                "risk_assessment.nothing_shared",
                "a date shared with the LADO, but no risk assessment on the row to attach it "
                "to: not imported",
                shared_generic.cell,
            )
        return tuple(out)

    def _generic_risk_assessment(
        self, found: dict[RiskAssessmentKind, tuple[dt.date | None, Value | None, str]]
    ) -> RiskAssessmentKind | None:
        """A "Risk assessment" column whose kind another column ("Risk assessment type") gives."""
        field = "risk_assessment.completed_on"
        done, on, value = self.check_date(field)
        if not done:
            return None
        kind_value = self.plain("risk_assessment.kind")
        cell = value.cell if value else None
        if kind_value is None:
            self.warn(
                "risk_assessment.no_kind",
                "risk assessment not imported: what it was for is not recorded (add a 'Risk "
                "assessment type' column)",
                cell,
            )
            return None
        kind: RiskAssessmentKind = kind_value.value
        if kind in found:
            self.warn(
                "risk_assessment.twice",
                f"a second {kind.value.replace('_', ' ')} risk assessment on the row: not "
                "imported (the record holds one of each kind per person)",
                cell,
            )
            return None
        found[kind] = (on, value, field)
        self.record(f"{self.person_id}:risk_assessment:{kind.value}", "kind", kind_value)
        return kind

    def _lado(self) -> tuple[LadoNotification, ...]:
        if not self.ctx.has("lado.notified_on"):
            return ()
        done, on, value = self.check_date("lado.notified_on")
        if not done:
            return ()
        rid = f"{self.person_id}:lado"
        if on is None:
            self._undated("LADO notification", "lado.notified_on")
        self.record(rid, "notified_on", value)
        return (LadoNotification(id=rid, notified_on=on),)
