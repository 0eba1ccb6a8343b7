"""How big the import is, said before it starts, and so how long it takes at the rate limit.

The first page of each large list is asked for with `embed=meta`, which makes Capsule add
`meta.totalCount`. A list that does not say (Capsule's entries, or a Pillbox as the source) is
measured by probing pages instead: 2, 4, 8, … until one is empty, then halving the gap, a few
requests per list."""

from dataclasses import dataclass

from pillbox.capsule_import.client import PER_PAGE, CapsuleClient
from pillbox.capsule_import.phases import BY_NAME, ESTIMATED

# Requests per record besides its list's pages: an opportunity's or a project's parties.
EXTRA_REQUESTS = {"opportunities": 1, "projects": 1}
SMALL_LISTS = 20  # requests for everything else: users, tags, pipelines, …


@dataclass(frozen=True)
class Estimate:
    records: dict[str, int]  # phase -> records
    requests: int
    limit: int | None  # requests per hour, as Capsule said

    def hours(self) -> float | None:
        return self.requests / self.limit if self.limit else None

    def line(self) -> str:
        total = sum(self.records.values())
        text = f"About {total:,} records to read in about {self.requests:,} requests"
        hours = self.hours()
        if hours is None:
            return text + "."
        if hours < 1:
            return text + f"; at {self.limit:,} requests an hour, about {hours * 60:.0f} minutes."
        return text + f"; at {self.limit:,} requests an hour, that takes about {hours:.1f} hours."


def estimate(client: CapsuleClient, since: str | None) -> Estimate:
    records: dict[str, int] = {}
    requests = SMALL_LISTS
    for name in ESTIMATED:
        phase = BY_NAME[name]
        params = dict(phase.params)
        if since is not None and phase.since:
            params["since"] = since
        count, pages = _count(client, phase.path, phase.key, params)
        records[name] = count
        requests += pages + count * EXTRA_REQUESTS.get(name, 0)
    return Estimate(records, requests, client.limit)


def _count(client: CapsuleClient, path: str, key: str, params: dict[str, str]) -> tuple[int, int]:
    """(records, pages) of a list."""
    embeds = ",".join(filter(None, (params.get("embed"), "meta")))
    first = client.page(path, key, 1, {**params, "embed": embeds})
    if first.total is not None:
        return first.total, max(1, -(-first.total // PER_PAGE))
    if not first.has_more:
        return len(first.items), 1
    low, high = 1, 2  # page `low` is full; is `high`?
    while True:
        probe = client.page(path, key, high, params)
        if not probe.has_more:
            if probe.items:
                return (high - 1) * PER_PAGE + len(probe.items), high
            break
        low, high = high, high * 2
    while high - low > 1:  # page `low` has more after it; page `high` is empty
        middle = (low + high) // 2
        probe = client.page(path, key, middle, params)
        if probe.has_more:
            low = middle
        elif probe.items:
            return (middle - 1) * PER_PAGE + len(probe.items), middle
        else:
            high = middle
    return low * PER_PAGE, low
