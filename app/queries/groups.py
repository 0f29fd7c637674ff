"""Groups: the regional groups, the P5 and the EU, with members as of a date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Country, Group, GroupMembership
from app.queries.common import Item
from app.queries.countries import group_member_on

COUNTED_ROLES = ("member", "electoral_only")


def _group_item(g: Group, members: int) -> Item:
    return {
        "slug": g.slug,
        "name": g.name,
        "kind": g.kind,
        "description": g.description,
        "source": g.source,
        "member_count": members,
        "url": f"/v1/groups/{g.slug}",
    }


async def list_all(session: AsyncSession, *, on: date) -> Item:
    """Every group with its number of members on ``on`` (roles member and electoral_only)."""
    counts = dict(
        (
            await session.execute(
                select(
                    GroupMembership.group_id, func.count(func.distinct(GroupMembership.country_id))
                )
                .where(GroupMembership.role.in_(COUNTED_ROLES), group_member_on(on))
                .group_by(GroupMembership.group_id)
            )
        ).all()
    )
    groups = (await session.scalars(select(Group).order_by(Group.kind.desc(), Group.slug))).all()
    items = [_group_item(g, int(counts.get(g.id, 0))) for g in groups]
    return {"items": items, "total": len(items), "limit": len(items), "offset": 0}


async def find(session: AsyncSession, ref: str) -> Group | None:
    ref = ref.strip()
    if not ref or len(ref) > 100 or any(ord(c) < 32 for c in ref):
        return None
    cond = Group.slug == ref.lower()
    if ref.isdigit() and len(ref) < 10:
        cond = cond | (Group.id == int(ref))
    return (await session.scalars(select(Group).where(cond).order_by(Group.id))).first()


async def detail(session: AsyncSession, group: Group, *, on: date) -> Item:
    rows = (
        await session.execute(
            select(GroupMembership, Country.code, Country.name)
            .join(Country, Country.id == GroupMembership.country_id)
            .where(GroupMembership.group_id == group.id, group_member_on(on))
            .order_by(Country.name, Country.id, GroupMembership.role)
        )
    ).all()
    members = [
        {
            "code": code,
            "name": name,
            "role": m.role,
            "since": m.since,
            "since_precision": m.since_precision,
            "until": m.until,
            "notes": m.notes,
            "url": f"/v1/countries/{code}",
        }
        for m, code, name in rows
    ]
    counted = {m["code"] for m in members if m["role"] in COUNTED_ROLES}
    item = _group_item(group, len(counted))
    item.update({"on": on, "members": members})
    return item
