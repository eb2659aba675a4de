"""Random standard packs built from the registered rule kinds and the facts catalogue.

Each drawn pack is a document a council could have written: sections, period parameters that rules
refer to by name, a documents table, and requirements whose rules have valid parameters and whose
``applies_when`` predicates name real facts with allowed values. A pack's rules never contradict
one another (every DBS rule accepts one common workforce and the ``dbs`` jurisdiction; every
``where``/``require`` on a record field asks for the same value), so some evidence can always
comply with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from safeguard_std.domain.facts import FACTS, Fact, FactType
from safeguard_std.domain.organisation import LeadRoleKind, PolicyKind, RiskTier
from safeguard_std.domain.pack import Pack, SubjectType
from safeguard_std.domain.people import (
    DbsLevel,
    DbsWorkforce,
    Jurisdiction,
    RiskAssessmentKind,
    SuitabilityCheckKind,
    TrainingCourse,
)
from safeguard_std.packs import PackCatalog, read_layer
from safeguard_std.rules import RuleKindRegistry
from safeguard_std.rules.records import COLLECTIONS
from safeguard_std.strategies._gen import Gen
from safeguard_std.strategies._organisation import (
    ACTIVITIES,
    DOCUMENTS,
    LOCAL_AREAS,
    TOPICS,
    VOCABULARY,
)
from safeguard_std.strategies._records import CONTRACT_FIELDS, FILTERABLE

__all__ = ["GENERATORS", "load_generated", "make_pack_document"]

_PERIODS = ("P1Y", "P2Y", "P3Y", "P6M", "P12M", "P90D", "P2W")
_FLAGS = (
    "published_to_staff",
    "published_on_website",
    "issued_at_induction",
    "covered_in_training",
)


@attrs.define
class Draft:
    """One pack being drawn: its parameters, documents and the values its filters agree on."""

    gen: Gen
    workforce: DbsWorkforce
    documents: tuple[str, ...]
    parameters: dict[str, str] = attrs.field(factory=dict)
    values: dict[tuple[str, str], Any] = attrs.field(factory=dict)

    def period(self) -> Any:
        """A period literal, or a reference to a period parameter of the pack."""
        gen = self.gen
        literal = gen(
            st.sampled_from(_PERIODS)
            | st.builds(lambda n, u: f"P{n}{u}", st.integers(1, 36), st.sampled_from("YMWD"))
        )
        if gen.boolean():
            return literal
        name = f"period_{len(self.parameters) + 1}"
        self.parameters[name] = literal
        return {"param": name}

    def value(self, collection: str, field: str) -> Any:
        """The one value this pack's filters use for ``field`` of ``collection``."""
        key = (collection, field)
        if key not in self.values:
            self.values[key] = self.gen.choice(FILTERABLE[collection][field])
        return self.values[key]

    def where(self, collection: str) -> dict[str, Any]:
        fields = sorted(FILTERABLE[collection])
        if not fields or self.gen.boolean():
            return {}
        field = self.gen.choice(fields)
        return {field: self.value(collection, field)}

    def opt(self, params: dict[str, Any], key: str, make: Callable[[], Any]) -> None:
        """Add ``key`` to ``params`` half the time (absent first when shrinking)."""
        if self.gen.boolean():
            params[key] = make()


Rule = tuple[SubjectType, dict[str, Any]]


def _values(enum_type: Any) -> list[str]:
    return [m.value for m in enum_type]


def _role_held(d: Draft) -> Rule:
    params: dict[str, Any] = {"roles": d.gen.subset(_values(LeadRoleKind), min_size=1)[:3]}
    d.opt(params, "distinct", lambda: d.gen.boolean())
    d.opt(params, "require_job_description", lambda: d.gen.boolean())
    return SubjectType.PROVIDER, params


def _policies(d: Draft) -> list[str]:
    return d.gen.subset(_values(PolicyKind), min_size=1)[:2]


def _policy_current(d: Draft) -> Rule:
    params: dict[str, Any] = {"policies": _policies(d)}
    d.opt(params, "review_period", d.period)
    d.opt(params, "require_next_review_date", lambda: d.gen.boolean())
    d.opt(params, "require_approval", lambda: d.gen.boolean())
    return d.gen.choice((SubjectType.PROVIDER, SubjectType.POLICY)), params


def _policy_published(d: Draft) -> Rule:
    return SubjectType.PROVIDER, {
        "policies": _policies(d),
        "require": d.gen.subset(_FLAGS, min_size=1),
    }


def _records_subject(d: Draft, collection: str) -> SubjectType:
    if collection in CONTRACT_FIELDS:
        return SubjectType.CONTRACT
    return d.gen.choice((SubjectType.PROVIDER, SubjectType.CONTRACT))


def _recent_record(d: Draft) -> Rule:
    dated = sorted(n for n, c in COLLECTIONS.items() if c.date_field is not None)
    collection = d.gen.choice(dated)
    subject = _records_subject(d, collection)
    params: dict[str, Any] = {"records": collection}
    where = d.where(collection)
    if where:
        params["where"] = where
    if subject is SubjectType.CONTRACT and d.gen.boolean():
        tiers = d.gen.subset(_values(RiskTier), min_size=1)
        params["period_by_risk_tier"] = {t: d.gen.choice(_PERIODS) for t in tiers}
    else:
        d.opt(params, "period", d.period)
    if "period" in params and subject is SubjectType.CONTRACT:
        d.opt(params, "first_due_after_contract_start", lambda: d.gen.boolean())
    return subject, params


def _responded_by_due(d: Draft) -> Rule:
    collection = d.gen.choice(("self_audits", "information_requests"))
    params: dict[str, Any] = {"records": collection}
    where = d.where(collection)
    if where:
        params["where"] = where
    return SubjectType.PROVIDER, params


def _count_at_least(d: Draft) -> Rule:
    collection = d.gen.choice(sorted(COLLECTIONS))
    params: dict[str, Any] = {"records": collection}
    where = d.where(collection)
    if where:
        params["where"] = where
    d.opt(params, "min", lambda: d.gen.integer(1, 3))
    return _records_subject(d, collection), params


def _every_record(d: Draft) -> Rule:
    options = sorted(n for n, fields in FILTERABLE.items() if fields)
    collection = d.gen.choice(options)
    fields = d.gen.subset(sorted(FILTERABLE[collection]), min_size=1)[:2]
    params: dict[str, Any] = {
        "records": collection,
        "require": {f: d.value(collection, f) for f in fields},
    }
    where = d.where(collection)
    if where:
        params["where"] = where
    return _records_subject(d, collection), params


def _check_present(d: Draft) -> Rule:
    gen = d.gen
    check = gen.choice(("dbs", "identity", "right_to_work", "qualifications", "suitability"))
    params: dict[str, Any] = {"check": check}
    flags = {
        "dbs": (
            "barred_list_children",
            "require_date",
            "require_seen_by",
            "require_certificate_number",
        ),
        "identity": (
            "require_photo",
            "require_address",
            "require_checked_by",
            "require_date",
            "require_documents",
        ),
        "right_to_work": ("require_checked_by", "require_date"),
        "qualifications": ("require_checked_by",),
        "suitability": ("require_checked_by", "require_date"),
    }[check]
    for flag in flags:
        d.opt(params, flag, lambda: gen.boolean())
    if check == "dbs":
        d.opt(params, "level", lambda: gen.choice(_values(DbsLevel)))
        others = [w for w in _values(DbsWorkforce) if w != d.workforce.value]
        d.opt(params, "workforce", lambda: [d.workforce.value, *gen.subset(others)])
        others = [j for j in _values(Jurisdiction) if j != "dbs"]
        d.opt(params, "jurisdictions", lambda: ["dbs", *gen.subset(others)])
    if check == "suitability":
        params["suitability_kind"] = gen.choice(_values(SuitabilityCheckKind))
    return SubjectType.PERSON, params


def _check_current(d: Draft) -> Rule:
    gen = d.gen
    if gen.integer(0, 3) == 0:
        return SubjectType.PERSON, {"check": "right_to_work"}
    params: dict[str, Any] = {"check": "dbs", "period": d.period()}
    d.opt(params, "level", lambda: gen.choice(_values(DbsLevel)))
    others = [j for j in _values(Jurisdiction) if j != "dbs"]
    d.opt(params, "jurisdictions", lambda: ["dbs", *gen.subset(others)])
    d.opt(params, "count_status_checks", lambda: gen.boolean())
    return SubjectType.PERSON, params


def _record_fields_present(d: Draft) -> Rule:
    fields = d.gen.subset(("full_name", "date_of_birth", "address"), min_size=1)
    return SubjectType.PERSON, {"fields": fields}


def _references(d: Draft) -> Rule:
    params: dict[str, Any] = {}
    d.opt(params, "min", lambda: d.gen.integer(1, 3))
    d.opt(params, "require_verified", lambda: d.gen.boolean())
    d.opt(params, "alternative_risk_assessment", lambda: d.gen.choice(_values(RiskAssessmentKind)))
    d.opt(params, "longer_than", d.period)
    return SubjectType.PERSON, params


def _checks_evidenced(d: Draft) -> Rule:
    params: dict[str, Any] = {}
    d.opt(params, "dbs_for_regulated_activity", lambda: d.gen(st.booleans()))
    return SubjectType.PERSON, params


def _disclosure_followed_up(d: Draft) -> Rule:
    params: dict[str, Any] = {"requires": d.gen.choice(("risk_assessment", "lado_notification"))}
    if params["requires"] == "risk_assessment":
        d.opt(
            params,
            "risk_assessment_kinds",
            lambda: d.gen.subset(_values(RiskAssessmentKind), min_size=1),
        )
        d.opt(params, "require_shared_with_lado", lambda: d.gen.boolean())
    return SubjectType.PERSON, params


def _courses(d: Draft) -> list[str]:
    return d.gen.subset(_values(TrainingCourse), min_size=1)[:3]


def _training_current(d: Draft) -> Rule:
    params: dict[str, Any] = {"courses": _courses(d)}
    d.opt(params, "period", d.period)
    d.opt(params, "require_recognised", lambda: d.gen.boolean())
    return SubjectType.PERSON, params


def _training_by_start(d: Draft) -> Rule:
    params: dict[str, Any] = {"courses": _courses(d), "within": d.period()}
    d.opt(params, "require_online_safety", lambda: d.gen.boolean())
    d.opt(params, "require_recognised", lambda: d.gen.boolean())
    return SubjectType.PERSON, params


def _panel_trained(d: Draft) -> Rule:
    params: dict[str, Any] = {}
    d.opt(params, "course", lambda: d.gen.choice(_values(TrainingCourse)))
    d.opt(params, "min_trained", lambda: d.gen.integer(1, 2))
    d.opt(params, "chair_must_be_trained", lambda: d.gen.boolean())
    d.opt(params, "valid_for", d.period)
    return SubjectType.PANEL, params


def _attested(d: Draft) -> Rule:
    params: dict[str, Any] = {}
    if d.gen.boolean():
        params["policies"] = _policies(d)
        d.opt(params, "topics", lambda: d.gen.subset(TOPICS, min_size=1)[:3])
    d.opt(params, "allow_partial", lambda: d.gen.boolean())
    return d.gen.choice(list(SubjectType)), params


def _documents_referenced(d: Draft) -> Rule:
    gen = d.gen
    subject = gen.choice((SubjectType.CONTRACT, SubjectType.PROVIDER))
    params: dict[str, Any] = {"documents": gen.subset(d.documents, min_size=1)[:3]}
    d.opt(params, "topics", lambda: gen.subset(TOPICS, min_size=1)[:3])
    if subject is SubjectType.PROVIDER:
        params["in_policies"] = _policies(d)
    return subject, params


#: Rule kinds this module can draw parameters for, by name.
GENERATORS: Mapping[str, Callable[[Draft], Rule]] = {
    "role_held": _role_held,
    "policy_current": _policy_current,
    "policy_published": _policy_published,
    "recent_record": _recent_record,
    "responded_by_due": _responded_by_due,
    "actions_complete": lambda d: (SubjectType.PROVIDER, {}),
    "count_at_least": _count_at_least,
    "every_record": _every_record,
    "check_present": _check_present,
    "check_current": _check_current,
    "checks_evidenced": _checks_evidenced,
    "record_fields_present": _record_fields_present,
    "record_updated": lambda d: (SubjectType.PERSON, {"within": d.period()}),
    "references": _references,
    "disclosure_followed_up": _disclosure_followed_up,
    "training_current": _training_current,
    "training_by_start": _training_by_start,
    "panel_trained": _panel_trained,
    "attested": _attested,
    "documents_referenced": _documents_referenced,
}

_LITERALS = {
    "provider.local_areas": LOCAL_AREAS,
    "provider.activities": ACTIVITIES,
    "policy.activity": ACTIVITIES,
}


def _literal(gen: Gen, fact: Fact) -> Any:
    if fact.type is FactType.BOOL:
        return gen.boolean()
    if fact.type is FactType.INT:
        return gen.integer(0, 30)
    return gen.choice(fact.choices or _LITERALS.get(fact.name, VOCABULARY))


_OPERATORS = {
    FactType.BOOL: ("eq", "ne", "exists"),
    FactType.INT: ("eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "exists"),
    FactType.STR: ("eq", "ne", "in", "not_in", "exists"),
    FactType.SET: ("contains", "intersects", "exists"),
}


def make_predicate(gen: Gen, subject: SubjectType, depth: int = 0) -> dict[str, Any]:
    """An ``applies_when`` predicate over facts defined for ``subject``."""
    shape = gen.integer(0, 5) if depth < 2 else 0
    if shape == 1:
        return {"not": make_predicate(gen, subject, depth + 1)}
    if shape in (2, 3):
        parts = gen.some(lambda: make_predicate(gen, subject, depth + 1), max_size=3, min_size=1)
        return {"all" if shape == 2 else "any": list(parts)}
    facts = [f for _n, f in sorted(FACTS.items()) if f.subjects is None or subject in f.subjects]
    fact = gen.choice(facts)
    op = gen.choice(_OPERATORS[fact.type])
    if op == "exists":
        return {"field": fact.name, "exists": gen.boolean()}
    if op in ("in", "not_in", "intersects"):
        return {"field": fact.name, op: list(gen.some(lambda: _literal(gen, fact), min_size=1))}
    return {"field": fact.name, op: _literal(gen, fact)}


def make_pack_document(
    gen: Gen, *, pack_id: str, kinds: Sequence[str], min_requirements: int, max_requirements: int
) -> dict[str, Any]:
    """A schema-valid pack document (plain data, as a YAML or JSON file would hold it)."""
    docs = gen.subset([key for key, _t, _a in DOCUMENTS], min_size=1)
    draft = Draft(gen=gen, workforce=gen.choice(list(DbsWorkforce)), documents=tuple(docs))
    sections = [
        {"id": str(i), "title": f"Test Section {i}"} for i in range(1, gen.integer(1, 3) + 1)
    ]
    requirements = []
    for i in range(1, gen.integer(min_requirements, max_requirements) + 1):
        kind = gen.choice(list(kinds))
        subject, params = GENERATORS[kind](draft)
        req: dict[str, Any] = {
            "id": f"GEN-{i}",
            "title": f"Test requirement {i}",
            "section": gen.choice([s["id"] for s in sections]),
            "citation": f"Test citation {i}",
            "text": f"Providers must meet test requirement {i}.",
            "modality": gen.choice(("must", "should", "recommended")),
            "duty_holder": gen.choice(("provider", "commissioner")),
            "subject": subject.value,
            "rule": {"kind": kind, **params},
        }
        if gen.integer(0, 3) == 0:
            req["applies_when"] = make_predicate(gen, subject)
        requirements.append(req)
    table = {k: {"title": t, "accepted": list(a)} for k, t, a in DOCUMENTS if k in docs}
    return {
        "schema_version": 1,
        "id": pack_id,
        "edition": "1",
        "title": "Generated test standard",
        "board": "Test Safeguarding Board",
        "effective_from": "2000-01-01",
        "sections": sections,
        "parameters": {n: {"value": v} for n, v in draft.parameters.items()},
        "documents": table,
        "requirements": requirements,
    }


def load_generated(document: Mapping[str, Any], registry: RuleKindRegistry) -> Pack:
    """Resolve a generated pack document through the real loader."""
    catalog = PackCatalog(kinds=registry, layers={})
    label = f"generated/{document['id']}/{document['edition']}/pack.json"
    layer = read_layer(label, json.dumps(document))
    catalog = catalog.with_layer(layer)
    return catalog.resolve(layer.ref)
