"""/api/v2/tracks: track definitions applied to records; listed per record only."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2.per_record import per_record_lists
from pillbox.api.v2.schemas import INTEGER, STRING, obj
from pillbox.domain import tracks as domain
from pillbox.store import tracks as store
from pillbox.wire import tracks as wire

TRACK_SCHEMA = obj(
    {
        "id": INTEGER,
        "tasks": {"type": "array", "items": {"type": "object", "required": ["id", "description"]}},
        "description": STRING,
        "direction": {"enum": ["START_DATE", "END_DATE"]},
        "trackDateOn": STRING,
    }
)

TRACKS = Resource(
    singular="track",
    plural="tracks",
    embeds=wire.TASK_EMBEDS,
    render=wire.render,
    page_ids=None,  # there is no list of every track: GET /tracks is a 405, as in Capsule
    wire_schema=TRACK_SCHEMA,
    input_model=domain.TrackInput,
    create=domain.create_track,
    update=domain.update_track,
    delete=domain.delete_track,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = [
    *resource_endpoints(TRACKS),
    *per_record_lists(TRACKS, store.record_track_ids, "List the tracks on one of the {entity}"),
]
