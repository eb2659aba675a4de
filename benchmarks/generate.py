"""Seeded generator of realistic evidence bundles, at any size, as plain JSON-ready dicts.

Deterministic for a seed (``random.Random(seed)``, nothing else), fast (about 25 microseconds
of CPU a person), and realistic in its gaps: most records are complete, and a few per cent of
people miss each thing a real single central record misses (DOMAIN.md section D): an unverified
reference, a blank "checked by", a basic DBS check for regulated activity, a barred list left
blank, an adult-workforce certificate, an undated course, a lapsed certificate, a leaver still
listed, a future starter, a short fixed term, an unknown regulated-activity flag, a missing
address.

As a library::

    from benchmarks.generate import BundleGenerator
    bundle = BundleGenerator(seed=1).bundle(people=1000)        # one provider, 1,000 people

From the command line, a JSON bundle or an NDJSON portfolio (one bundle a line, written as it
goes: constant memory whatever the size)::

    python benchmarks/generate.py --people 100000 --out bundle.json
    python benchmarks/generate.py --people 1000000 --per-bundle 100 --out portfolio.ndjson
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["AS_OF", "BundleGenerator", "portfolio", "write_bundle", "write_portfolio"]

#: The date the generated evidence is "as of": dates fall before it (and a few starters after).
AS_OF = dt.date(2026, 11, 23)

_YEAR = 365
_HISTORY_DAYS = 16 * _YEAR  # the earliest date generated, before AS_OF
_FUTURE_DAYS = 120  # the latest date generated, after AS_OF

_FIRST = ("Alex", "Sam", "Jo", "Chris", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dan", "Ella")
_LAST = ("Smith", "Jones", "Patel", "Brown", "Khan", "Taylor", "Wilson", "Evans", "Hughes")
_STREETS = ("High Street", "Church Road", "Station Road", "Mill Lane", "Park Avenue", "The Green")
_TOWNS = ("Dorchester", "Weymouth", "Poole", "Bridport", "Sherborne", "Blandford Forum")

_ROLE_TYPES = (
    ("employee", 60),
    ("volunteer", 20),
    ("agency", 6),
    ("contractor", 4),
    ("trustee", 5),
    ("self_employed", 2),
    ("director", 3),
)
_REGULATED = (("yes", 70), ("no", 19), ("unknown", 8), (None, 3))
_DBS_COUNT = ((0, 5), (1, 78), (2, 15), (3, 2))
_DBS_LEVEL = (("enhanced", 85), ("standard", 8), ("basic", 7))
_BARRED = ((True, 80), (None, 12), (False, 8))
_WORKFORCE = (("child", 70), ("child_and_adult", 15), ("adult", 5), (None, 10))
_JURISDICTION = (("dbs", 97), ("pvg", 2), ("accessni", 1))
_REF_COUNT = ((0, 5), (1, 12), (2, 70), (3, 13))
_SATISFACTORY = ((True, 95), (None, 3), (False, 2))
_REFEREE = (("employer", 80), ("academic", 10), ("character", 8), ("other", 2))
_TRAINING_COUNT = ((0, 6), (1, 40), (2, 38), (3, 16))
_STAFF_COURSES = (
    ("induction_safeguarding", 25),
    ("child_protection", 30),
    ("safeguarding_refresher", 20),
    ("annual_update", 10),
    ("online_safety", 10),
    ("prevent", 5),
)
_PROVIDER_KINDS = (("youth", 25), ("sport", 20), ("voluntary", 20), ("social_care", 15))
_PROVIDER_KINDS += (("tutoring", 10), ("alternative_provision", 10))
_LEGAL_FORMS = (("charity", 45), ("company", 35), ("community_interest_company", 15))
_LEGAL_FORMS += (("public_body", 5),)


def _table(pairs: tuple[tuple[Any, int], ...]) -> tuple[Any, ...]:
    """A flat table to draw from uniformly: each value repeated by its weight (fast to draw)."""
    return tuple(value for value, weight in pairs for _ in range(weight))


class BundleGenerator:
    """Evidence bundles (plain dicts, exactly as ``json.loads`` would give them) for a seed.

    The same seed, sizes and call order always give the same bundles.
    """

    def __init__(self, seed: int = 0, *, as_of: dt.date = AS_OF) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        first = as_of - dt.timedelta(days=_HISTORY_DAYS)
        # Day n before as_of is _days[_HISTORY_DAYS - n]; ISO text made once, drawn by index.
        self._days = tuple(
            (first + dt.timedelta(days=n)).isoformat()
            for n in range(_HISTORY_DAYS + _FUTURE_DAYS + 1)
        )
        self._tables = {
            name: _table(pairs)
            for name, pairs in {
                "role": _ROLE_TYPES,
                "regulated": _REGULATED,
                "dbs_count": _DBS_COUNT,
                "level": _DBS_LEVEL,
                "barred": _BARRED,
                "workforce": _WORKFORCE,
                "jurisdiction": _JURISDICTION,
                "ref_count": _REF_COUNT,
                "satisfactory": _SATISFACTORY,
                "referee": _REFEREE,
                "training_count": _TRAINING_COUNT,
                "course": _STAFF_COURSES,
                "provider_kind": _PROVIDER_KINDS,
                "legal_form": _LEGAL_FORMS,
            }.items()
        }

    # -- small draws ----------------------------------------------------------------------------

    def _pick(self, table: str) -> Any:
        values = self._tables[table]
        return values[int(self.rng.random() * len(values))]

    def _chance(self, percent: float) -> bool:
        return self.rng.random() * 100 < percent

    def _ago(self, low_days: int, high_days: int) -> int:
        """An offset in days before as_of (negative: after it), uniform in [low, high]."""
        return low_days + int(self.rng.random() * (high_days - low_days + 1))

    def _day(self, days_before: int) -> str:
        index = _HISTORY_DAYS - days_before
        return self._days[min(max(index, 0), len(self._days) - 1)]

    # -- records --------------------------------------------------------------------------------

    def _engagements(self, pid: str) -> tuple[list[dict[str, Any]], int]:
        """Engagements and the days-before-as_of of the earliest start."""
        roll = self.rng.random() * 100
        # 2% are future starters (not judged yet), 4% on a fixed term that began weeks ago; the
        # rest started up to 12 years ago.
        if roll < 2:
            start = -self._ago(1, _FUTURE_DAYS - 10)
        elif 6 <= roll < 10:
            start = self._ago(10, 80)
        else:
            start = self._ago(30, 12 * _YEAR)
        eng: dict[str, Any] = {
            "id": f"{pid}-e1",
            "role_type": self._pick("role"),
            "start_on": self._day(start),
        }
        regulated = self._pick("regulated")
        if regulated is not None:
            eng["regulated_activity"] = regulated
        if self._chance(60):
            eng["regular_contact"] = regulated == "yes" or self._chance(30)
        if 2 <= roll < 6 and start > 60:  # a leaver still in the record
            eng["end_on"] = self._day(self._ago(1, min(start - 1, 2 * _YEAR)))
        elif 6 <= roll < 10:  # the fixed term ends after as_of: some last under three months
            eng["end_on"] = self._day(-self._ago(1, 60))
        out = [eng]
        if self._chance(7):  # a second, later role (e.g. a volunteer taken on as staff)
            later = self._ago(1, max(start - 1, 1))
            out.append(
                {
                    "id": f"{pid}-e2",
                    "role_type": "employee",
                    "start_on": self._day(later),
                    "regulated_activity": "yes" if self._chance(80) else "no",
                }
            )
        return out, start

    def _identity(self, pid: str, start: int) -> dict[str, Any] | None:
        if not self._chance(94):
            return None
        check: dict[str, Any] = {"id": f"{pid}-idc", "checked_on": self._day(start + 10)}
        if self._chance(91):
            check["checked_by"] = "HR officer"
        roll = self.rng.random() * 100
        if roll < 84:
            docs = [
                {"type": "passport", "photo": True},
                {"type": "utility_bill", "shows_address": True},
            ]
        elif roll < 93:
            docs = [{"type": "driving_licence", "photo": True, "shows_address": True}]
        elif roll < 97:
            docs = [{"type": "passport", "photo": True}]  # no address document
        else:
            docs = []
        if docs:
            check["documents"] = docs
        return check

    def _right_to_work(self, pid: str, start: int) -> dict[str, Any] | None:
        if not self._chance(92):
            return None
        rtw: dict[str, Any] = {"id": f"{pid}-rtw", "checked_on": self._day(start + 7)}
        if self._chance(93):
            rtw["checked_by"] = "HR officer"
        if self._chance(4):
            rtw["time_limited"] = True
            rtw["permission_expires_on"] = self._day(self._ago(-3 * _YEAR, 200))
        return rtw

    def _dbs(self, pid: str, start: int) -> list[dict[str, Any]]:
        checks = []
        for n in range(self._pick("dbs_count")):
            jurisdiction = self._pick("jurisdiction")
            level = self._pick("level")
            latest = max(2, min(start + 60, 7 * _YEAR)) if n == 0 else 7 * _YEAR
            issued = self._ago(1, latest)
            check: dict[str, Any] = {"id": f"{pid}-dbs{n + 1}", "level": level}
            if jurisdiction != "dbs":
                check["jurisdiction"] = jurisdiction
            if self._chance(95):
                check["certificate_number"] = f"{self.rng.randrange(10**12):012d}"
            barred = self._pick("barred")
            if barred is not None:
                check["barred_list_children"] = barred
            workforce = self._pick("workforce")
            if workforce is not None:
                check["workforce"] = workforce
            if self._chance(99):
                check["issued_on"] = self._day(issued)
                check["seen_on"] = self._day(max(issued - 5, 0))
                check["seen_by"] = "HR officer"
            check["disclosure"] = "information_disclosed" if self._chance(4) else "clear"
            checks.append(check)
        return checks

    def _update_service(self, pid: str, dbs: list[dict[str, Any]]) -> dict[str, Any] | None:
        dated = [c for c in dbs if "issued_on" in c]
        if not dated or not self._chance(25):
            return None
        target = max(dated, key=lambda c: (c["issued_on"], c["id"]))
        issued = (self.as_of - dt.date.fromisoformat(target["issued_on"])).days
        checks = []
        for n in range(1 + int(self.rng.random() * 3)):
            check: dict[str, Any] = {
                "id": f"{pid}-usc{n + 1}",
                "checked_on": self._day(self._ago(0, max(issued - 1, 0))),
                "result": "current_clear" if self._chance(92) else "current_information",
            }
            if self._chance(70):
                check["dbs_check_id"] = target["id"]
            checks.append(check)
        return {"id": f"{pid}-us", "subscribed_on": target["issued_on"], "status_checks": checks}

    def _references(self, pid: str, start: int) -> list[dict[str, Any]]:
        refs = []
        for n in range(self._pick("ref_count")):
            received = start + self._ago(5, 40)
            ref: dict[str, Any] = {
                "id": f"{pid}-ref{n + 1}",
                "referee_kind": self._pick("referee"),
                "received_on": self._day(received),
            }
            if self._chance(88):
                ref["verified_on"] = self._day(received - self._ago(0, 4))
                ref["verified_by"] = "Recruiting manager"
            satisfactory = self._pick("satisfactory")
            if satisfactory is not None:
                ref["satisfactory"] = satisfactory
            if self._chance(2):
                ref["open_reference"] = True
            if self._chance(1):
                ref["supplied_by_candidate"] = True
            refs.append(ref)
        return refs

    def _risk_assessments(
        self, pid: str, refs: list[dict[str, Any]], dbs: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        out = []
        if len(refs) <= 1 and self._chance(50):
            ra: dict[str, Any] = {"id": f"{pid}-ra-ref", "kind": "single_reference"}
            if self._chance(90):
                ra["completed_on"] = self._day(self._ago(30, 5 * _YEAR))
            out.append(ra)
        for check in dbs:
            if check.get("disclosure") == "information_disclosed" and self._chance(70):
                ra = {"id": f"{check['id']}-ra", "kind": "dbs_disclosure"}
                if "issued_on" in check:
                    ra["completed_on"] = check["issued_on"]
                ra["relates_to"] = check["id"]
                out.append(ra)
        return out

    def _training(self, pid: str, lead: bool) -> list[dict[str, Any]]:
        out = []
        for n in range(self._pick("training_count")):
            course: dict[str, Any] = {"id": f"{pid}-t{n + 1}", "course": self._pick("course")}
            if self._chance(98):
                course["completed_on"] = self._day(self._ago(0, 6 * _YEAR))
            if self._chance(50):
                course["provider_org"] = "Dorset Safeguarding Children Partnership"
                course["recognised_by_partnership"] = True
            out.append(course)
        if lead:
            for n in range(1 + int(self.rng.random() * 2)):
                course = {"id": f"{pid}-dsl{n + 1}", "course": "dsl" if n == 0 else "dsl_refresher"}
                if self._chance(97):
                    course["completed_on"] = self._day(self._ago(0, 4 * _YEAR))
                course["recognised_by_partnership"] = self._chance(85)
                out.append(course)
        return out

    def person(self, index: int, *, lead: bool = False) -> dict[str, Any]:
        """One person (``p-<index>``); ``lead`` adds DSL training."""
        pid = f"p-{index:07d}"
        engagements, start = self._engagements(pid)
        start = max(start, 1)  # a future starter's checks are dated before as_of
        person: dict[str, Any] = {"id": pid}
        if self._chance(97):
            person["full_name"] = f"{self._pick_name(_FIRST)} {self._pick_name(_LAST)}"
        if self._chance(96):
            year = self.as_of.year - 18 - int(self.rng.random() * 50)
            month, day = 1 + int(self.rng.random() * 12), 1 + int(self.rng.random() * 28)
            person["date_of_birth"] = f"{year:04d}-{month:02d}-{day:02d}"
        roll = self.rng.random() * 100
        if roll < 94:
            person["address"] = (
                f"{1 + int(self.rng.random() * 200)} {self._pick_name(_STREETS)}, "
                f"{self._pick_name(_TOWNS)}"
            )
        elif roll < 95:
            person["address"] = ""
        person["engagements"] = engagements
        identity = self._identity(pid, start)
        if identity is not None:
            person["identity_check"] = identity
        rtw = self._right_to_work(pid, start)
        if rtw is not None:
            person["right_to_work"] = rtw
        dbs = self._dbs(pid, start)
        if dbs:
            person["dbs_checks"] = dbs
        update = self._update_service(pid, dbs)
        if update is not None:
            person["update_service"] = update
        refs = self._references(pid, start)
        if refs:
            person["references"] = refs
        ras = self._risk_assessments(pid, refs, dbs)
        if ras:
            person["risk_assessments"] = ras
        training = self._training(pid, lead)
        if training:
            person["training"] = training
        return person

    def _pick_name(self, names: tuple[str, ...]) -> str:
        return names[int(self.rng.random() * len(names))]

    def bundle(self, people: int, *, index: int = 0) -> dict[str, Any]:
        """One provider's bundle with ``people`` people, a DSL and a deputy among them (when
        there are at least two), policies and a recruitment panel."""
        if people < 0:
            raise ValueError(f"people must be >= 0, got {people}")
        bid = f"{index:06d}"
        dsl, deputy = (1, 2) if people >= 2 else (None, None)
        persons = [self.person(i, lead=i in (dsl, deputy)) for i in range(1, people + 1)]
        lead_roles = []
        for kind, who in (("dsl", dsl), ("deputy_dsl", deputy)):
            if who is not None:
                lead_roles.append(
                    {
                        "id": f"role-{kind}",
                        "kind": kind,
                        "person_id": persons[who - 1]["id"],
                        "start_on": self._day(self._ago(100, 6 * _YEAR)),
                    }
                )
        bundle: dict[str, Any] = {
            "id": f"bundle-{bid}",
            "provider": {
                "id": f"prov-{bid}",
                "name": f"Provider {bid}",
                "kind": self._pick("provider_kind"),
                "legal_form": self._pick("legal_form"),
                "serves_age_min": 5,
                "serves_age_max": 17 if self._chance(80) else 25,
            },
            "lead_roles": lead_roles,
            "people": persons,
            "policies": self._policies(),
            "training_needs_analyses": [
                {"id": "tna-1", "reviewed_on": self._day(self._ago(10, 500))}
            ],
            "record_reviews": [{"id": "rr-1", "reviewed_on": self._day(self._ago(10, 500))}],
        }
        if people >= 2:
            bundle["recruitment_panels"] = [
                {
                    "id": "panel-1",
                    "interview_on": self._day(self._ago(20, 700)),
                    "members": [
                        {"person_id": persons[0]["id"], "is_chair": True},
                        {"person_id": persons[1]["id"]},
                    ],
                }
            ]
        return bundle

    def _policies(self) -> list[dict[str, Any]]:
        out = []
        for kind in ("safeguarding", "safer_recruitment", "managing_allegations", "whistleblowing"):
            if not self._chance(90):
                continue
            approved = self._ago(30, 900)
            out.append(
                {
                    "id": f"pol-{kind}",
                    "kind": kind,
                    "approved_on": self._day(approved),
                    "next_review_on": self._day(approved - _YEAR),
                    "published_to_staff": self._chance(90),
                }
            )
        return out


def portfolio(
    total_people: int, per_bundle: int, *, seed: int = 0, as_of: dt.date = AS_OF
) -> Iterator[dict[str, Any]]:
    """Bundles of ``per_bundle`` people (the last may be smaller) adding up to ``total_people``,
    generated one at a time."""
    if per_bundle < 1:
        raise ValueError(f"per_bundle must be >= 1, got {per_bundle}")
    gen = BundleGenerator(seed, as_of=as_of)
    index, left = 0, total_people
    while left > 0:
        size = min(per_bundle, left)
        yield gen.bundle(size, index=index)
        index, left = index + 1, left - size


def write_bundle(path: Path, people: int, *, seed: int = 0) -> int:
    """Write one bundle of ``people`` people as JSON; returns the bytes written."""
    data = json.dumps(BundleGenerator(seed).bundle(people), separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    return len(data)


def write_portfolio(path: Path, total_people: int, per_bundle: int, *, seed: int = 0) -> int:
    """Write an NDJSON portfolio (one bundle a line), bundle by bundle; returns the lines."""
    lines = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for bundle in portfolio(total_people, per_bundle, seed=seed):
            out.write(json.dumps(bundle, separators=(",", ":")))
            out.write("\n")
            lines += 1
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line: write a bundle (.json) or a portfolio (.ndjson)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True, help="people in total")
    parser.add_argument(
        "--per-bundle", type=int, default=100, help="people per bundle in an .ndjson portfolio"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="FILE.json or FILE.ndjson")
    args = parser.parse_args(argv)
    if args.out.suffix == ".ndjson":
        lines = write_portfolio(args.out, args.people, args.per_bundle, seed=args.seed)
        print(f"wrote {lines} bundles ({args.people} people) to {args.out}")
    else:
        size = write_bundle(args.out, args.people, seed=args.seed)
        print(f"wrote {args.people} people ({size} bytes) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
