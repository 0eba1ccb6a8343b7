"""Opportunities and projects of a seeded party, coherent with their milestones and dates.

An opportunity is opened some time after its party appeared and planned to close two weeks to
five months later. Most of those whose date has passed were decided then: won (the pipeline's
100% milestone) or lost (its 0% milestone, with a lost reason), `closedOn` that day and the last
open milestone kept, as the domain does when a deal closes; the others are still open, on one of
the open milestones, with its probability. A won sale usually starts a project on the default
board, whose stage follows how far along it is (closed projects sit on the last stage), and a
year after a win the customer's renewal comes up in the renewals pipeline.
"""

from dataclasses import dataclass, field
from typing import Any

from pillbox.seed import phrases
from pillbox.seed.account import Pipeline
from pillbox.seed.clock import DAY, HOUR
from pillbox.seed.world import Record, World
from pillbox.store import search
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities

OPEN, WON, LOST = "open", "won", "lost"


@dataclass
class Deals:
    """A party's opportunities and projects, as records that notes and tasks go on."""

    records: list[Record] = field(default_factory=list)
    won: bool = False
    open: bool = False


@dataclass(frozen=True)
class _Sale:
    name: str
    value: int
    pipeline: Pipeline
    created: int
    days: int  # planned from opening to closing
    win_rate: float
    basis: tuple[str, int | None]  # durationBasis, duration


def deals(world: World, party: Record, count: int) -> Deals:
    found = Deals()
    for _ in range(count):
        product = world.rng.choice(phrases.PRODUCTS)
        created = world.between(party.since, -DAY)
        days = 14 + int(world.rng.random() * 140)
        sale = _Sale(
            product.name,
            _value(world, product),
            world.account.sales,
            created,
            days,
            0.55,
            ("FIXED", None),
        )
        opportunity, outcome = _opportunity(world, party, sale)
        found.records.append(opportunity)
        found.open |= outcome == OPEN
        if outcome != WON:
            continue
        found.won = True
        if world.chance(0.7):
            _project(world, party, opportunity, product.project, found)
        _renewal(world, party, opportunity, sale.value, found)
    return found


def _value(world: World, product: phrases.Product) -> int:
    """A round amount (to 50) in the product's range."""
    return product.low + 50 * int(world.rng.random() * ((product.high - product.low) // 50 + 1))


def _renewal(world: World, party: Record, won: Record, value: int, found: Deals) -> None:
    """The yearly renewal of a sale, once it has come up (about 11 months after the win)."""
    created = won.until + 330 * DAY + int(world.rng.random() * 20 * DAY)
    if created >= -HOUR:
        return
    name, share = phrases.RENEWAL
    amount = max(50, round(value * share / 50) * 50)
    sale = _Sale(name, amount, world.account.renewals, created, 45, 0.8, ("YEAR", 1))
    opportunity, outcome = _opportunity(world, party, sale)
    found.records.append(opportunity)
    found.open |= outcome == OPEN


def _outcome(world: World, sale: _Sale) -> str:
    if sale.created + sale.days * DAY >= -DAY or not world.chance(0.85):
        return OPEN
    return WON if world.chance(sale.win_rate) else LOST


def _opportunity(world: World, party: Record, sale: _Sale) -> tuple[Record, str]:
    rng, clock, account = world.rng, world.clock, world.account
    outcome = _outcome(world, sale)
    closes = sale.created + sale.days * DAY + int(rng.random() * 8 * HOUR)
    pipeline = sale.pipeline
    milestone, probability = rng.choice(pipeline.open)
    last_open, moved, lost_reason = milestone, closes, None
    if outcome == OPEN:
        moved = sale.created if world.chance(0.5) else world.between(sale.created, -HOUR)
    elif outcome == WON:
        milestone, probability, last_open = pipeline.won, 100, pipeline.open[-1][0]
    else:
        milestone, probability = pipeline.lost, 0
        lost_reason = rng.choice(account.lost_reasons)
    opportunity_id = world.opportunity_ids.take()
    owner = party.owner if world.chance(0.85) else world.user()
    row: dict[str, Any] = {
        "id": opportunity_id,
        "account_id": account.id,
        "party_id": party.id,
        "name": sale.name,
        "description": None,
        "owner_id": owner,
        "team_id": None,
        "milestone_id": milestone,
        "last_open_milestone_id": last_open,
        "lost_reason_id": lost_reason,
        "value_amount": str(sale.value),
        "value_currency": account.currency,
        "expected_close_on": clock.day(closes + DAY * int(rng.random() * 21 - 10)),
        "probability": probability,
        "duration_basis": sale.basis[0],
        "duration": sale.basis[1],
        "closed_on": None if outcome == OPEN else clock.day(closes),
        "created_at": clock.stamp(sale.created),
        "updated_at": clock.stamp(moved),
        "last_contacted_at": None,
        "last_stage_changed_at": clock.stamp(moved),
    }
    world.bulk.add(opportunities, row)
    world.bulk.index(search.OPPORTUNITIES, opportunity_id, search.record_entry(sale.name, None, []))
    _tag(world, "opportunities", opportunity_id, 0.25)
    until = 0 if outcome == OPEN else closes
    words = {**party.words, "product": sale.name.lower()}
    record = Record("opportunity_id", opportunity_id, sale.created, until, owner, words, [row])
    return record, outcome


def _project(world: World, party: Record, sale: Record, kind: str, found: Deals) -> None:
    """A project delivering a won sale: started days after the win, planned over 1-6 months."""
    rng, clock, stages = world.rng, world.clock, world.account.stages
    start = sale.until + DAY * (1 + int(rng.random() * 7))
    if start >= -HOUR:
        return
    planned = start + DAY * (30 + int(rng.random() * 150))
    closed = planned < 0 and world.chance(0.85)
    if closed:
        ends = min(max(planned + DAY * int(rng.random() * 41 - 20), start + DAY), -HOUR)
        stage, changed = stages[-1], ends
    else:
        progress = -start / (planned - start)
        stage = stages[min(int(progress * len(stages)), len(stages) - 1)]
        changed = world.between(start, -HOUR)
    kase_id = world.kase_ids.take()
    name = f"{kind} for {party.words['company']}"
    row = {
        "id": kase_id,
        "account_id": world.account.id,
        "party_id": party.id,
        "name": name,
        "description": None,
        "owner_id": sale.owner,
        "team_id": None,
        "status": "CLOSED" if closed else "OPEN",
        "opportunity_id": sale.id,
        "stage_id": stage,
        "expected_close_on": clock.day(planned),
        "start_on": clock.day(start),
        "closed_on": clock.day(changed) if closed else None,
        "created_at": clock.stamp(start),
        "updated_at": clock.stamp(changed),
        "last_contacted_at": None,
    }
    world.bulk.add(kases, row)
    world.bulk.index(search.KASES, kase_id, search.record_entry(name, None, []))
    _tag(world, "kases", kase_id, 0.3)
    words = {**party.words, "project": name}
    until = changed if closed else 0
    found.records.append(Record("kase_id", kase_id, start, until, sale.owner, words, [row]))


def _tag(world: World, entity: str, record_id: int, probability: float) -> None:
    if world.chance(probability):
        tag_id = world.rng.choice(tuple(world.account.tags[entity].values()))
        world.bulk.tag(entity, record_id, tag_id)
