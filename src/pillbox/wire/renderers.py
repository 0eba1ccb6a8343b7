"""Each record type's renderer with the full records it can embed (`embed=party`, …).

The one table of which record embeds which: the renderers of each noun stay side by side,
and an embedded record is rendered whole for the page, without embeds of its own.
"""

from pillbox.wire import (
    activity_types,
    entries,
    kases,
    opportunities,
    parties,
    pipelines,
    tasks,
    users,
)
from pillbox.wire.render import Render, embedding

PARTY: Render = parties.render
USER = embedding(users.render, {"party": parties.render})
OPPORTUNITY = embedding(
    opportunities.render, {"party": parties.render, "milestone": pipelines.render_milestones}
)
KASE = embedding(kases.render, {"party": parties.render, "opportunity": opportunities.render})
ENTRY = embedding(
    entries.render,
    {
        "party": parties.render,
        "kase": kases.render,
        "opportunity": opportunities.render,
        "creator": users.render,
        "activityType": activity_types.render,
    },
)
TASK = embedding(
    tasks.render,
    {
        "party": parties.render,
        "opportunity": opportunities.render,
        "kase": kases.render,
        "owner": users.render,
        "nextTask": tasks.render,
    },
)

# What a REST hook event on each record type renders (`party/created` -> PARTY).
BY_SINGULAR: dict[str, Render] = {
    "party": PARTY,
    "kase": KASE,
    "opportunity": OPPORTUNITY,
    "task": TASK,
    "user": USER,
}
