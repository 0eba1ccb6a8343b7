"""All that is stored for one account, comparable: proves a refused request changed nothing."""

from typing import Any

import sqlalchemy as sa

_QUERIES = {
    "parties": "SELECT * FROM parties WHERE account_id = :a ORDER BY id",
    "children": """
        SELECT 'a', c.id, c.party_id, c.type, c.street, c.city, c.state, c.country, c.zip
          FROM party_addresses c JOIN parties p ON p.id = c.party_id WHERE p.account_id = :a
        UNION ALL SELECT 'p', c.id, c.party_id, c.type, c.number, NULL, NULL, NULL, NULL
          FROM party_phone_numbers c JOIN parties p ON p.id = c.party_id WHERE p.account_id = :a
        UNION ALL SELECT 'w', c.id, c.party_id, c.type, c.service, c.address, c.url, NULL, NULL
          FROM party_websites c JOIN parties p ON p.id = c.party_id WHERE p.account_id = :a
        UNION ALL SELECT 'e', c.id, c.party_id, c.type, c.address, NULL, NULL, NULL, NULL
          FROM party_email_addresses c JOIN parties p ON p.id = c.party_id WHERE p.account_id = :a
        ORDER BY 1, 2""",
    "tags": "SELECT * FROM tags WHERE account_id = :a ORDER BY id",
    "definitions": "SELECT * FROM field_definitions WHERE account_id = :a ORDER BY id",
    "users": "SELECT * FROM users WHERE account_id = :a ORDER BY id",
    "teams": "SELECT * FROM teams WHERE account_id = :a ORDER BY id",
    "members": """SELECT m.* FROM team_members m JOIN teams t ON t.id = m.team_id
                  WHERE t.account_id = :a ORDER BY 1, 2""",
    "titles": "SELECT * FROM titles WHERE account_id = :a ORDER BY id",
    "jobs": "SELECT * FROM jobs WHERE account_id = :a ORDER BY id",
    "pipelines": "SELECT * FROM pipelines WHERE account_id = :a ORDER BY id",
    "milestones": "SELECT * FROM milestones WHERE account_id = :a ORDER BY id",
    "lost_reasons": "SELECT * FROM lost_reasons WHERE account_id = :a ORDER BY id",
    "opportunities": "SELECT * FROM opportunities WHERE account_id = :a ORDER BY id",
    "opportunity_parties": """SELECT l.* FROM opportunity_parties l
                              JOIN opportunities o ON o.id = l.opportunity_id
                              WHERE o.account_id = :a ORDER BY 1, 2""",
    "entries": "SELECT * FROM entries WHERE account_id = :a ORDER BY id",
    "attachments": "SELECT * FROM attachments WHERE account_id = :a ORDER BY id",
    "uploads": "SELECT * FROM uploads WHERE account_id = :a ORDER BY token",
    "activity_types": "SELECT * FROM activity_types WHERE account_id = :a ORDER BY id",
    "task_categories": "SELECT * FROM task_categories WHERE account_id = :a ORDER BY id",
    "tasks": "SELECT * FROM tasks WHERE account_id = :a ORDER BY id",
    "tracks": "SELECT * FROM tracks WHERE account_id = :a ORDER BY id",
    "track_definitions": "SELECT * FROM track_definitions WHERE account_id = :a ORDER BY id",
    "task_definitions": """SELECT t.* FROM task_definitions t
                           JOIN track_definitions d ON d.id = t.definition_id
                           WHERE d.account_id = :a ORDER BY t.id""",
    "rest_hooks": "SELECT * FROM rest_hooks WHERE account_id = :a ORDER BY id",
    "hook_deliveries": """SELECT d.id, d.hook_id, d.event, d.record_id, d.status, d.attempts
                          FROM hook_deliveries d JOIN rest_hooks h ON h.id = d.hook_id
                          WHERE h.account_id = :a ORDER BY d.id""",
    "boards": "SELECT * FROM boards WHERE account_id = :a ORDER BY id",
    "stages": "SELECT * FROM stages WHERE account_id = :a ORDER BY id",
    "kases": "SELECT * FROM kases WHERE account_id = :a ORDER BY id",
    "kase_parties": """SELECT l.* FROM kase_parties l JOIN kases k ON k.id = l.kase_id
                       WHERE k.account_id = :a ORDER BY 1, 2""",
    "kase_search": """SELECT kase_id, names, other FROM kase_search
                      WHERE account_id = :a ORDER BY kase_id""",
    "opportunity_search": """SELECT opportunity_id, names, other FROM opportunity_search
                             WHERE account_id = :a ORDER BY opportunity_id""",
    "record_tags": """SELECT rt.* FROM record_tags rt JOIN tags t ON t.id = rt.tag_id
                      WHERE t.account_id = :a ORDER BY 1, 2, 3""",
    "field_values": """SELECT v.* FROM field_values v
                       JOIN field_definitions d ON d.id = v.definition_id
                       WHERE d.account_id = :a ORDER BY v.id""",
    "tombstones": "SELECT entity, record_id FROM tombstones WHERE account_id = :a ORDER BY id",
    "search": """SELECT party_id, names, emails, phones, other FROM party_search
                 WHERE account_id = :a ORDER BY party_id""",
}


def account_snapshot(engine: sa.Engine, account_id: int) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(sa.text(sql), {"a": account_id})]
            for name, sql in _QUERIES.items()
        }
