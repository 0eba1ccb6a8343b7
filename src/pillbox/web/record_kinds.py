"""The kinds of record with a page of their own, by the name tasks and entries link them with."""

from pillbox.web import opportunity, party, project
from pillbox.web.record_page import RecordKind

KINDS: dict[str, RecordKind] = {
    kind.link: kind for kind in (party.KIND, opportunity.KIND, project.KIND)
}
