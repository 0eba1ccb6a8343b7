"""What each part of API v2 is, for the OpenAPI document's tags (after Capsule's reference)."""

V2_TAGS = {
    "parties": "People and organisations, their contact details, tags, custom fields, deleted "
    "feed, search, filters (ad hoc and saved) and the records linked to them.",
    "opportunities": "Potential sales moving through a pipeline's milestones; their value, "
    "additional parties, search, filters (ad hoc and saved) and the value of a filter's "
    "selection.",
    "kases": "Projects (called kases in the API): work for a party on a board's stages; search "
    "and filters (ad hoc and saved).",
    "entries": "The history of a record: notes, emails and completed tasks.",
    "activities": "Entries selected by a filter (who added them, activity type, task category, "
    "when).",
    "tasks": "Tasks with a due date, on a record or alone; repeating and track tasks.",
    "tracks": "Tracks applied to a record: a series of tasks from a track definition.",
    "trackdefinitions": "Templates of tracks and their task definitions (administrators).",
    "attachments": "Files attached to entries: upload, then refer to the upload's token.",
    "users": "The users of the account, and the user a token belongs to.",
    "teams": "Teams of users; records may be assigned to a team.",
    "titles": "Person titles offered on people (Mr, Dr, and the account's own).",
    "pipelines": "Opportunity pipelines and their milestones.",
    "milestones": "Stages of a pipeline, with a probability and days until stale.",
    "lostreasons": "Why opportunities are lost.",
    "boards": "Project boards and their stages.",
    "stages": "Stages of a project board.",
    "activitytypes": "Kinds of activity an entry records (built-in ones have negative ids).",
    "categories": "Task categories, with a colour.",
    "goals": "Targets for a user's opportunities, measured period by period.",
    "resthooks": "Webhooks: a URL called when records change. Their delivery log is a Pillbox "
    "extension.",
    "imports": "CSV imports run as jobs (a Pillbox extension).",
    "jobs": "Long-running operations (deleting a tag or a custom field) and their progress.",
    "site": "The account the token belongs to.",
    "countries": "ISO 3166-1 countries, for addresses.",
    "currencies": "ISO 4217 currencies, for values.",
}
