"""``pack lint``: what is valid but doubtful in a pack.

Each check has a code. Checks look only at what the linted layer is responsible for: requirements
it defines or alters (and those whose parameters it sets); an inherited requirement is the base
pack's business and is linted there.

=============================  ================================================================
code                           what it finds
=============================  ================================================================
``no-citation``                a requirement with an empty ``citation``
``no-source-text``             a requirement with an empty ``text`` (the source words)
``untested``                   no case in the pack's ``tests/`` names the requirement
``modality-mismatch``          the source text's verb says one modality, ``modality`` another
                               ("must", "shall", "will", "needs to" are must; "should" is
                               should; "recommend", "encourage", "good practice" recommended)
``attestation-where-structured``  an attestation rule on a requirement whose words name
                               something a structured kind judges from records (DBS,
                               references, training, lead roles, risk assessments...); a
                               heuristic on keywords, skipped when the text is about a
                               document's content or about following other guidance
``unused-parameter``           a parameter declared, or set, that no active requirement uses
``unknown-supersedes``         ``supersedes`` names a pack edition that cannot be found
``empty-section``              a section with no active requirement
=============================  ================================================================

Silence a check for one requirement with ``metadata: {lint_ignore: [CODE, ...]}``, or for a run
with ``ignore``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from safeguard_std.authoring._target import open_target
from safeguard_std.domain.pack import Modality, Pack, PackRef, Requirement
from safeguard_std.domain.predicates import predicate_to_data
from safeguard_std.exceptions import InvalidPackRef, PackError, PackNotFound, Problem
from safeguard_std.packs import PackCatalog, PackLayer
from safeguard_std.packs._inclusion import SEPARATOR
from safeguard_std.packs.cases import case_files, load_cases

__all__ = ["CODES", "LintFinding", "lint_pack", "lint_ref", "modal_verbs", "param_refs"]

CODES = (
    "no-citation",
    "no-source-text",
    "untested",
    "modality-mismatch",
    "attestation-where-structured",
    "unused-parameter",
    "unknown-supersedes",
    "empty-section",
)


@attrs.frozen
class LintFinding:
    """One doubtful thing: a code, a located problem, and the requirement it concerns."""

    code: str
    problem: Problem
    requirement: str | None = None


_MODAL: tuple[tuple[Modality, re.Pattern[str]], ...] = (
    (
        Modality.MUST,
        re.compile(
            r"\b(must|shall|will|(?:is|are) required to|needs? to|ha(?:s|ve) to|mandatory)\b",
            re.I,
        ),
    ),
    (Modality.SHOULD, re.compile(r"\b(should|ought to)\b", re.I)),
    (
        Modality.RECOMMENDED,
        re.compile(
            r"\b(recommends?|recommended|encourages?|encouraged|advis(?:e|es|ed|able)|"
            r"good practice|best practice|may wish)\b",
            re.I,
        ),
    ),
)


def modal_verbs(text: str) -> dict[Modality, str]:
    """The modalities a text's own words express, each with the first word that says so."""
    found = {}
    for modality, pattern in _MODAL:
        match = pattern.search(text)
        if match:
            found[modality] = match.group(0)
    return found


# Structured kinds and the words that suggest them (checked against the registry in use).
_STRUCTURED: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (
        ("check_present", "check_current"),
        re.compile(
            r"\b(DBS|disclosure and barring|barred list|identity|right to work|qualifications?)\b",
            re.I,
        ),
    ),
    (("references",), re.compile(r"\breferences?\b", re.I)),
    (("training_current", "training_by_start"), re.compile(r"\b(training|trained)\b", re.I)),
    (("panel_trained",), re.compile(r"\b(interview|recruitment) panels?\b", re.I)),
    # "Designated" alone also names the LADO (Local Authority Designated Officer), whom no lead
    # role on record stands for: only the safeguarding roles themselves suggest role_held.
    (
        ("role_held",),
        re.compile(
            r"\b(safeguarding lead|deputy (?:DSL|designated|safeguarding)|D?DSL|"
            r"designated (?:safeguarding|person|teacher))",
            re.I,
        ),
    ),
    (("disclosure_followed_up",), re.compile(r"\brisk assessments?\b", re.I)),
    (
        ("responded_by_due", "actions_complete"),
        re.compile(r"\b(self[- ]audits?|action plans?)\b", re.I),
    ),
)
# Words that say the requirement is about a document's content or about following another
# standard, which only a reader can judge: no structured kind is suggested for those.
_ABOUT_A_DOCUMENT = re.compile(
    r"\b(polic(?:y|ies)|procedures?|code of conduct|guidance|strategy|framework|clause|"
    r"follow(?:s|ed|ing)?|in line with|rules|Working Together|KCSIE)\b",
    re.I,
)


def param_refs(value: Any) -> set[str]:
    """Names of pack parameters a rule's parameters refer to (``{param: NAME}``), at any depth."""
    if isinstance(value, Mapping):
        if set(value) == {"param"} and isinstance(value["param"], str):
            return {value["param"]}
        return set().union(*(param_refs(v) for v in value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*(param_refs(v) for v in value)) if value else set()
    return set()


class _Linter:
    def __init__(self, catalog: PackCatalog, ref: PackRef, pack: Pack) -> None:
        self.catalog = catalog
        self.layer: PackLayer = catalog.layer(ref)
        self.ref = ref
        self.pack = pack
        self.label = str(ref)
        self.data = self.layer.data
        self.out: list[LintFinding] = []

    def add(self, code: str, message: str, path: tuple[str | int, ...], rid: str | None) -> None:
        hint = (
            f"silence it for {rid} with metadata: {{lint_ignore: [{code}]}}"
            if rid is not None
            else f"silence it with --ignore {code}"
        )
        problem = Problem(message, self.layer.document.locate(path), hint=hint)
        self.out.append(LintFinding(code, problem, rid))

    def here(self, rid: str) -> tuple[str | int, ...]:
        for i, raw in enumerate(self.data.get("requirements", [])):
            if raw["id"] == rid:
                return ("requirements", i)
        return ("alter", rid)

    def touched(self) -> list[Requirement]:
        changed = set(self.data.get("set_parameters", {}))
        altered = set(self.data.get("alter", {}))
        return [
            r
            for r in self.pack.active_requirements
            # An included baseline (kcsie:...) is linted in its own pack, not in the layer that
            # includes it, unless this layer alters the requirement itself.
            if (SEPARATOR not in r.id or r.id in altered)
            and (
                r.origin == self.label
                or self.label in r.provenance.values()
                or changed & param_refs(r.rule.params)
            )
        ]

    def run(self) -> list[LintFinding]:
        tested = self.tested_ids()
        for req in self.touched():
            self.requirement(req, tested)
        self.parameters()
        self.supersedes()
        self.sections()
        return self.out

    def requirement(self, req: Requirement, tested: set[str]) -> None:
        here = self.here(req.id)
        if not req.citation.strip():
            self.add(
                "no-citation", f"requirement {req.id} has no citation", (*here, "citation"), req.id
            )
        if not req.text.strip():
            self.add(
                "no-source-text",
                f"requirement {req.id} does not quote the source text it encodes",
                (*here, "text"),
                req.id,
            )
        if req.id not in tested:
            self.add(
                "untested", f"no case in the pack's tests names requirement {req.id}", here, req.id
            )
        self.modality(req, here)
        self.attestation(req, here)

    def modality(self, req: Requirement, here: tuple[str | int, ...]) -> None:
        said = modal_verbs(req.text)
        if not said or req.modality in said:
            return
        words = " and ".join(f"{m.value} ({w!r})" for m, w in said.items())
        self.add(
            "modality-mismatch",
            f"requirement {req.id} has modality {req.modality.value!r} but its source text says "
            f"{words}",
            (*here, "modality"),
            req.id,
        )

    def attestation(self, req: Requirement, here: tuple[str | int, ...]) -> None:
        kinds = self.catalog.kinds
        if req.rule.kind not in kinds or not kinds[req.rule.kind].attestation:
            return
        words = f"{req.title} {req.text}"
        if "policies" in req.rule.params or _ABOUT_A_DOCUMENT.search(words):
            return
        for names, pattern in _STRUCTURED:
            match = pattern.search(words)
            known = [n for n in names if n in kinds]
            if match and known:
                self.add(
                    "attestation-where-structured",
                    f"requirement {req.id} is judged by attestation ({req.rule.kind!r}) but "
                    f"mentions {match.group(0)!r}, which the structured kind "
                    + " or ".join(repr(k) for k in known)
                    + " judges from records",
                    (*here, "rule", "kind"),
                    req.id,
                )
                return

    def tested_ids(self) -> set[str]:
        ids: set[str] = set()
        for path in case_files(self.layer.tests_folder):
            try:
                cases = load_cases(path, self.ref)
            except PackError:
                continue  # pack validate reports a broken test file
            for case in cases:
                if case.pack.id == self.ref.id:
                    ids.update(want["requirement"] for want in case.expect)
        return ids

    def parameters(self) -> None:
        used = set().union(
            *(param_refs(r.rule.params) for r in self.pack.active_requirements),
            *(
                param_refs(predicate_to_data(r.applies_when))
                for r in self.pack.active_requirements
                if r.applies_when is not None
            ),
        )
        for name in self.data.get("parameters", {}):
            if name not in used:
                self.add(
                    "unused-parameter",
                    f"parameter {name!r} is declared but no active requirement uses it",
                    ("parameters", name),
                    None,
                )
        for name in self.data.get("set_parameters", {}):
            if name not in used:
                self.add(
                    "unused-parameter",
                    f"set_parameters changes {name!r}, which no active requirement uses",
                    ("set_parameters", name),
                    None,
                )

    def supersedes(self) -> None:
        target = self.data.get("supersedes")
        if target is None:
            return
        try:
            ref = PackRef.parse(target)
            if ref.edition is None:
                raise InvalidPackRef(target)
            self.catalog.layer(ref)
        except (InvalidPackRef, PackNotFound) as exc:
            self.add("unknown-supersedes", f"supersedes {target!r}: {exc}", ("supersedes",), None)

    def sections(self) -> None:
        used = {r.section for r in self.pack.active_requirements}
        for i, section in enumerate(self.data.get("sections", [])):
            if section["id"] not in used:
                self.add(
                    "empty-section",
                    f"section {section['id']!r} ({section['title']}) has no active requirement",
                    ("sections", i),
                    None,
                )


def _ignored(pack: Pack, finding: LintFinding, ignore: frozenset[str]) -> bool:
    if finding.code in ignore:
        return True
    if finding.requirement is None:
        return False
    wanted = pack.requirement(finding.requirement).metadata.get("lint_ignore", ())
    return isinstance(wanted, (list, tuple)) and finding.code in wanted


def lint_ref(
    catalog: PackCatalog, ref: PackRef, *, ignore: Iterable[str] = ()
) -> list[LintFinding]:
    """Lint one edition in ``catalog``; a pack that does not load raises its
    :class:`~safeguard_std.exceptions.PackError` (validate it first)."""
    pack = catalog.resolutions(ref)[-1]
    skip = frozenset(ignore)
    found = [f for f in _Linter(catalog, ref, pack).run() if not _ignored(pack, f, skip)]
    return sorted(found, key=lambda f: (f.problem.location.line or 0, f.code))


def lint_pack(
    spec: str | Path, *, catalog: PackCatalog | None = None, ignore: Iterable[str] = ()
) -> list[LintFinding]:
    """Lint every edition named by ``spec`` (a path or ``ID[@EDITION]``, as for validation)."""
    target = open_target(spec, catalog=catalog)
    if target.problems:
        raise PackError(target.problems)
    out: list[LintFinding] = []
    for ref in target.refs:
        out.extend(lint_ref(target.catalog, ref, ignore=ignore))
    return out
