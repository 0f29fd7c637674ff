"""Rolls (every member's position in one vote event) and the journalist's summary of a vote.

A roll is one statement: the vote rows with their countries and, joined in, the regional groups
and the P5 seat each country held on the vote's date (month precision for approximate dates).
A state in two regional groups (Türkiye: Asia-Pacific and WEOG) is listed, and counted, in
both; a state counted in a group for elections only (the United States in WEOG) is counted
there. Observers are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.names import name_key
from app.models import Country, CountryName, Group, GroupMembership, Resolution, Vote, VoteEvent
from app.queries.common import POSITION_ORDER, Item, document_url, resolution_url, tally
from app.queries.filters import month_bounds
from app.queries.vote_events import RULES, event_item

GROUP_KINDS = ("regional", "permanent")
COUNTED_ROLES = ("member", "electoral_only")
NO_GROUP = "none"


@dataclass
class RollRow:
    country_id: int
    item: Item
    regional: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    p5: bool = False


async def roll_rows(session: AsyncSession, ev: VoteEvent) -> list[RollRow]:
    lo, hi = month_bounds(ev.voted_on) if ev.date_approximate else (ev.voted_on, ev.voted_on)
    groups = (
        select(GroupMembership.country_id, Group.slug, Group.name, Group.kind)
        .join(Group, Group.id == GroupMembership.group_id)
        .where(
            Group.kind.in_(GROUP_KINDS),
            GroupMembership.role.in_(COUNTED_ROLES),
            or_(GroupMembership.since.is_(None), GroupMembership.since <= hi),
            or_(GroupMembership.until.is_(None), GroupMembership.until > lo),
        )
        .subquery("g")
    )
    stmt = (
        select(
            Vote.country_id,
            Country.code,
            Country.iso2,
            Country.name,
            Vote.position,
            Vote.non_voting_reason,
            Vote.inferred,
            Vote.intended_position,
            Vote.name_in_source,
            Vote.outside_membership,
            groups.c.slug,
            groups.c.name.label("group_name"),
            groups.c.kind.label("group_kind"),
        )
        .join(Country, Country.id == Vote.country_id)
        .outerjoin(groups, groups.c.country_id == Vote.country_id)
        .where(Vote.vote_event_id == ev.id)
        .order_by(Country.name, Country.id, groups.c.slug)
    )
    out: dict[int, RollRow] = {}
    for r in (await session.execute(stmt)).all():
        row = out.get(r.country_id)
        if row is None:
            row = out[r.country_id] = RollRow(
                r.country_id,
                {
                    "code": r.code,
                    "iso2": r.iso2,
                    "name": r.name,
                    "regional_groups": [],
                    "position": r.position,
                    "non_voting_reason": r.non_voting_reason,
                    "inferred": r.inferred,
                    "intended_position": r.intended_position,
                    "name_in_source": r.name_in_source,
                    "outside_membership": r.outside_membership,
                },
            )
        if r.group_kind == "regional" and r.slug not in row.item["regional_groups"]:
            row.item["regional_groups"].append(r.slug)
            row.regional.append((r.slug, r.group_name))
        elif r.group_kind == "permanent" and r.slug == "p5":
            row.p5 = True
    return list(out.values())


def _by_position(rows: Sequence[RollRow]) -> list[Item]:
    out = []
    for position in POSITION_ORDER:
        members = [r for r in rows if r.item["position"] == position]
        by_group: dict[str, int] = {}
        for r in members:
            for slug in r.item["regional_groups"] or [NO_GROUP]:
                by_group[slug] = by_group.get(slug, 0) + 1
        out.append(
            {
                "position": position,
                "count": len(members),
                "by_regional_group": dict(sorted(by_group.items())),
                "votes": [r.item for r in members],
            }
        )
    return out


async def roll(session: AsyncSession, ev: VoteEvent, resolution: Resolution | None) -> Item:
    """The full roll of ``ev`` (loaded with ``event_options()``), grouped by position."""
    rows = await roll_rows(session, ev)
    return {
        "vote_event": event_item(ev, resolution),
        "total": len(rows),
        "by_position": _by_position(rows),
    }


def roll_csv_rows(data: Item) -> list[Item]:
    return [v for group in data["by_position"] for v in group["votes"]]


# ---------------------------------------------------------------------------------- summary


async def short_names(session: AsyncSession, rows: Sequence[RollRow], on: date) -> dict[int, str]:
    """A short name per country for prose: its common name valid on the date, or an alias the
    common name begins with ("Russia" for "Russian Federation"); else its UN name."""
    ids = [r.country_id for r in rows]
    names: dict[int, str] = {r.country_id: str(r.item["name"]) for r in rows}
    if not ids:
        return names
    found = (
        await session.execute(
            select(CountryName.country_id, CountryName.name, CountryName.kind)
            .where(
                CountryName.country_id.in_(ids),
                CountryName.kind.in_(("common", "alias")),
                or_(CountryName.valid_from.is_(None), CountryName.valid_from <= on),
                or_(CountryName.valid_to.is_(None), CountryName.valid_to > on),
            )
            .order_by(CountryName.id)
        )
    ).all()
    common: dict[int, str] = {}
    for cid, name, kind in found:
        if kind == "common":
            common.setdefault(cid, name)
    for cid, name in common.items():
        names[cid] = name
    for cid, name, kind in found:
        base = common.get(cid)
        if kind != "alias" or base is None or name.isupper():
            continue
        if name_key(base).startswith(name_key(name)) and len(name) < len(names[cid]):
            names[cid] = name
    return names


_ARTICLE_WORDS = {"Republic", "Kingdom", "Federation", "Union", "States", "Emirates", "Islands"}
_ARTICLE_NAMES = {"Netherlands", "Philippines", "Bahamas", "Maldives", "Comoros", "Seychelles"}


def in_prose(name: str) -> str:
    """A name as it reads inside a sentence: "the United States", "the Netherlands"."""
    words = name.replace(",", " ").split()
    if name in _ARTICLE_NAMES or _ARTICLE_WORDS.intersection(words) or words[:1] == ["Holy"]:
        return f"the {name}"
    return name


def _and(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def sentence(
    outcome: str,
    counts: Item,
    rows: Sequence[RollRow],
    names: dict[int, str],
    few: int = 3,
) -> str:
    """ "Adopted 119–1–36; Belarus against; China and Russia among 36 abstentions": the tally
    (yes–no–abstain), then who voted against and who abstained: by name when they are few,
    else their number and the permanent members among them."""
    word = {"adopted": "Adopted", "rejected": "Rejected"}.get(outcome, "Voted")
    parts = [f"{word} {counts['yes']}–{counts['no']}–{counts['abstain']}"]
    for position, alone, many in (
        ("no", "{names} against", "{n} against"),
        ("abstain", "{names} abstaining", "{n} abstentions"),
    ):
        group = [r for r in rows if r.item["position"] == position]
        if not group:
            continue
        listed = [in_prose(n) for n in sorted(names[r.country_id] for r in group)]
        if len(group) <= few:
            parts.append(alone.format(names=_and(listed)))
            continue
        p5 = [in_prose(n) for n in sorted(names[r.country_id] for r in group if r.p5)]
        text = many.format(n=len(group))
        if p5 and position == "abstain":
            text = f"{_and(p5)} among {text}"
        elif p5:
            text = f"{text}, including {_and(p5)}"
        parts.append(text)
    return "; ".join(parts)


def _notable(row: RollRow, names: dict[int, str]) -> Item:
    return {
        "code": row.item["code"],
        "name": row.item["name"],
        "short_name": names[row.country_id],
        "position": row.item["position"],
        "intended_position": row.item["intended_position"],
    }


async def summary(session: AsyncSession, ev: VoteEvent, resolution: Resolution | None) -> Item:
    rows = await roll_rows(session, ev)
    counts = tally(
        ev.yes_count, ev.no_count, ev.abstain_count, ev.non_voting_count, ev.members_count
    )
    table: dict[str, Item] = {}
    for r in rows:
        for slug, name in r.regional or [(NO_GROUP, "No regional group")]:
            entry = table.setdefault(
                slug, {"group": slug, "name": name, **dict.fromkeys(POSITION_ORDER, 0)}
            )
            entry[r.item["position"]] += 1
    for entry in table.values():
        entry["members"] = sum(entry[p] for p in POSITION_ORDER)
    by_position = {p: [r for r in rows if r.item["position"] == p] for p in POSITION_ORDER}
    lone = [
        r
        for p in ("yes", "no", "abstain")
        if len(by_position[p]) == 1 and len(rows) > 1
        for r in by_position[p]
    ]
    p5 = [r for r in rows if r.p5]
    intended = [r for r in rows if r.item["intended_position"] is not None]
    names = await short_names(
        session, [*p5, *lone, *by_position["no"], *by_position["abstain"]], ev.voted_on
    )
    notes = []
    in_two = [r for r in rows if len(r.regional) > 1]
    for r in in_two:
        groups = _and([name for _, name in r.regional])
        notes.append(f"{r.item['name']} takes part in {groups} and is counted in each.")
    if ev.totals_discrepancy:
        notes.append(f"The roll and the official totals differ ({ev.totals_discrepancy}).")
    if ev.outcome_discrepancy:
        notes.append(
            f"The official outcome ({ev.official_outcome}) differs from the outcome computed "
            f"from the roll ({ev.computed_outcome})."
        )
    if ev.date_approximate:
        notes.append("The source dates this vote to the month only.")
    symbol = (resolution.symbol or resolution.draft_symbol) if resolution else None
    self_url = resolution_url(symbol) if symbol else f"/v1/vote-events/{ev.id}"
    draft = resolution.draft_symbol if resolution else None
    meeting = ev.meeting_record or (resolution.meeting_record if resolution else None)
    return {
        "symbol": resolution.symbol if resolution else None,
        "draft_symbol": draft,
        "title": resolution.title if resolution else ev.title,
        "date": ev.voted_on,
        "date_approximate": ev.date_approximate,
        "vote_event_id": ev.id,
        "tally": counts,
        "outcome": {
            "computed": ev.computed_outcome,
            "official": ev.official_outcome,
            "discrepancy": ev.outcome_discrepancy,
            "totals_discrepancy": ev.totals_discrepancy,
            "majority_required": ev.majority_required,
            "majority_recorded": ev.majority_recorded,
            "rule": RULES.get(ev.majority_required, ""),
        },
        "by_regional_group": [table[k] for k in sorted(table)],
        "notable": {
            "p5": [_notable(r, names) for r in p5],
            "lone_dissenters": [_notable(r, names) for r in lone],
            "intended_positions": [_notable(r, names) for r in intended],
        },
        "notes": notes,
        "links": {
            "resolution": self_url if resolution else None,
            "votes": f"/v1/vote-events/{ev.id}/votes",
            "document": document_url(resolution.symbol)
            if resolution and resolution.symbol
            else None,
            "draft": {"symbol": draft, "url": document_url(draft)} if draft else None,
            "meeting_record": {"symbol": meeting, "url": document_url(meeting)}
            if meeting
            else None,
            "source": resolution.source_url if resolution else None,
        },
        "sentence": sentence(ev.computed_outcome, counts, rows, names),
    }
