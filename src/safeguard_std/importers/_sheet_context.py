"""What a sheet says before any row is read: defaults, values its headers imply, its role
(from its name or a mapping), and warnings about what nothing on it records."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from safeguard_std.domain.organisation import ProviderKind
from safeguard_std.domain.people import RoleType
from safeguard_std.importers._fields import FIELDS, Kind, group_of
from safeguard_std.importers._headers import HeaderPlan
from safeguard_std.importers._mapping import read_default
from safeguard_std.importers._parsed import Mark, Severity
from safeguard_std.importers._result import Origin
from safeguard_std.importers._rows import RowContext, Value, sheet_records
from safeguard_std.importers._values import BOARD, role_type_of_words

if TYPE_CHECKING:
    from safeguard_std.importers._sheet import SheetRun

__all__ = ["LAZY", "row_context"]

LAZY = {"dbs.certificate_number"}
_GOVERNED = {ProviderKind.MAINTAINED_SCHOOL, ProviderKind.SPECIAL_SCHOOL}


def _slug(name: str | None) -> str:
    if name is None:
        return ""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "sheet"


def row_context(
    run: SheetRun, plan: HeaderPlan, sheet_defaults: tuple[tuple[str, str], ...]
) -> RowContext:
    """What every row of the sheet is read against (defaults, implied values, the sheet's
    role, the fields it records); the sheet's warnings about what nothing records are added
    to ``run``."""
    order = run.mapping.date_order
    defaults: dict[str, Value] = {}
    label = run.mapping.source or "defaults"
    for field, text in (*run.mapping.defaults, *sheet_defaults):
        value, _ = read_default(field, text, order)
        mark = value if isinstance(value, Mark) else None
        origin = Origin("default", raw=text, detail=f"{label}: {field}")
        defaults[field] = Value(None if mark else value, mark, origin)
    sheet_role = None
    if any(f == "engagement.role_type" for f, _ in sheet_defaults):
        sheet_role = defaults.pop("engagement.role_type")
        global_role = dict(run.mapping.defaults).get("engagement.role_type")
        if global_role is not None:
            value, _ = read_default("engagement.role_type", global_role, order)
            origin = Origin("default", raw=global_role, detail=f"{label}: engagement.role_type")
            defaults["engagement.role_type"] = Value(value, None, origin)
    elif run.name is not None:
        role = role_type_of_words(run.name, sheet=True)
        if role is not None:
            sheet_role = Value(role, None, Origin("sheet", raw=run.name, sheet=run.name))
    implied: dict[str, Value] = {}
    for column in plan.columns:
        for field, text in column.implies:
            value, _ = read_default(field, text, order)
            origin = Origin(
                "header",
                raw=text,
                sheet=run.name,
                header=column.header,
                detail=f"implied by column {column.letter}",
            )
            implied.setdefault(field, Value(value, None, origin))
    board = RoleType.GOVERNOR if run.provider.kind in _GOVERNED else RoleType.TRUSTEE
    fields = plan.fields
    available = frozenset(fields | set(implied) | set(defaults))
    suitability, courses, risks = sheet_records(available)
    dated = tuple(
        c.field
        for c in plan.columns
        if FIELDS[c.field].kind in (Kind.DATE, Kind.CHECK) and c.field not in LAZY
    )
    ctx = RowContext(
        sheet=run.name,
        sheet_slug=_slug(run.name),
        as_of=run.as_of,
        defaults=defaults,
        implied=implied,
        sheet_role=sheet_role,
        board_role=board,
        columns=fields,
        available=available,
        suitability=suitability,
        courses=courses,
        risks=risks,
        dated=tuple(dict.fromkeys(dated)),
        events=frozenset(f for f in dated if FIELDS[f].event),
        groups=frozenset(f.split(".")[0] for f in available),
        fallback={**defaults, **implied},
    )
    _sheet_notes(run, ctx, fields)
    return ctx


def _sheet_notes(run: SheetRun, ctx: RowContext, fields: frozenset[str]) -> None:
    if ctx.sheet_role is not None and ctx.sheet_role.value == BOARD:
        run.sheet_issue(
            Severity.NOTE,
            "sheet.board_role",
            f"the sheet names governors and trustees together: its people are read as "
            f"{ctx.board_role.value}s, as the provider's kind is "
            f"{run.provider.kind.value!r} (maintained schools have governors, others "
            "trustees); give a role type column or a sheet role_type in a mapping to say "
            "otherwise",
        )
    has_role = (
        "engagement.role_type" in fields or ctx.sheet_role or "engagement.role_type" in ctx.defaults
    )
    if not has_role:
        run.sheet_issue(
            Severity.WARNING,
            "sheet.no_role_type",
            "nothing says each person's role type (no role type column, the sheet name is "
            "not a role, no default): rows without a section heading are rejected; add "
            "--default engagement.role_type=employee or a 'Staff type' column",
        )
    if (
        "engagement.regulated_activity" not in fields
        and "engagement.regulated_activity" not in ctx.defaults
    ):
        run.sheet_issue(
            Severity.WARNING,
            "sheet.regulated_activity_unknown",
            "no column says who is in regulated activity: every engagement on this sheet is "
            "recorded as 'unknown', so requirements for regulated activity cannot be judged "
            "(add a column, or --default engagement.regulated_activity=yes)",
        )
    dbs = any(group_of(f) == "dbs" for f in fields)
    level = "dbs.level" in fields or "dbs.level" in ctx.implied or "dbs.level" in ctx.defaults
    if dbs and not level:
        run.sheet_issue(
            Severity.WARNING,
            "sheet.no_dbs_level",
            "DBS columns but nothing records the level of the checks: DBS checks on this "
            "sheet cannot be imported (add a 'DBS level' column, or --default "
            "dbs.level=enhanced if every check is enhanced)",
        )
