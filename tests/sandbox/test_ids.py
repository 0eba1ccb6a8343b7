"""Deterministic ids: the same seed and account name number records the same, run after run."""

import shutil

import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.app import create_app
from pillbox.store import seeded_ids
from pillbox.store.engine import create_engine
from pillbox.store.tables.parties import parties


def open_seeded(admin, name, seed):
    response = admin.request("POST", "/accounts", json={"name": name, "idSeed": seed})
    assert response.status_code == 201, response.text
    return response.json()


def make_records(client, token, names=("Acme", "Beta")):
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for name in names:
        body = {"party": {"type": "organisation", "name": name}}
        response = client.post("/api/v2/parties", json=body, headers=headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["party"]["id"])
    return ids


def test_a_seeded_account_numbers_its_records_from_the_seed(admin, client):
    opened = open_seeded(admin, "seeded-a", 42)
    low, high = seeded_ids.IdSeed(42, "seeded-a").block("parties")
    first, second = make_records(client, opened["token"])
    assert low <= first < high
    assert second == first + 1


def test_the_same_seed_and_name_give_the_same_ids_in_another_database(
    sqlite_template, tmp_path, settings
):
    made = []
    for run in (1, 2):
        path = tmp_path / f"run-{run}.db"
        shutil.copyfile(sqlite_template, path)
        app = create_app(settings, engine=create_engine(f"sqlite:///{path}"))
        with TestClient(app, base_url="http://pillbox.test") as client:
            admin = Admin(client)
            if run == 2:  # a database with a different history
                other = admin.request("POST", "/accounts", json={}).json()
                make_records(client, other["token"])
            opened = open_seeded(admin, "same-name", 7)
            made.append(make_records(client, opened["token"]))
    assert made[0] == made[1]


class Admin:
    def __init__(self, client):
        self.client = client

    def request(self, method, path, **kwargs):
        return self.client.request(method, f"/_pillbox{path}", **kwargs)


def test_tables_take_ids_from_different_blocks():
    seed = seeded_ids.IdSeed(1, "acme")
    blocks = {seed.block(name)[0] for name in ("parties", "opportunities", "kases", "tasks")}
    assert len(blocks) == 4
    assert all(seeded_ids.BASE <= start < 2**31 - seeded_ids.BLOCK for start in blocks)


def test_the_seed_can_be_set_shown_and_removed(admin, account, client, engine):
    assert admin.request("GET", "/ids", token=account.token).json() == {"ids": {"seed": None}}
    response = admin.request("PUT", "/ids", token=account.token, json={"seed": 5})
    assert response.json() == {"ids": {"seed": 5}}
    first, _ = make_records(client, account.token)
    assert first >= seeded_ids.BASE
    assert admin.request("DELETE", "/ids", token=account.token).status_code == 204
    assert admin.request("GET", "/ids", token=account.token).json() == {"ids": {"seed": None}}
    if engine.dialect.name == "postgresql":  # SQLite's own numbering goes on from the highest
        later, _ = make_records(client, account.token, ("Gamma", "Delta"))
        assert later < seeded_ids.BASE


def test_an_invalid_seed_is_a_422(admin, account):
    for body in ({}, {"seed": -1}, {"seed": "x"}, {"seed": 1, "other": 2}):
        assert admin.request("PUT", "/ids", token=account.token, json=body).status_code == 422


def test_rows_of_other_accounts_in_a_block_are_stepped_over(admin, client, account):
    opened = open_seeded(admin, "stepper", 3)
    low, _ = seeded_ids.IdSeed(3, "stepper").block("parties")
    # another account's party sits where the seeded account's next party would go
    taken = max(make_records(client, opened["token"])) + 1
    with client.app.state.db.engine.begin() as conn:
        conn.execute(
            parties.insert().values(
                id=taken,
                account_id=account.id,
                type="organisation",
                name="Squatter",
                created_at="2030-01-01T00:00:00Z",
                updated_at="2030-01-01T00:00:00Z",
            )
        )
        assert conn.scalar(sa.select(sa.func.count()).where(parties.c.id == taken)) == 1
    nxt = make_records(client, opened["token"], ("Gamma", "Delta"))
    assert taken not in nxt and min(nxt) > taken >= low


def test_the_id_of_a_deleted_seeded_record_is_never_given_again(admin, client):
    opened = open_seeded(admin, "reuser", 11)
    newest = max(make_records(client, opened["token"]))
    headers = {"Authorization": f"Bearer {opened['token']}"}
    assert client.delete(f"/api/v2/parties/{newest}", headers=headers).status_code == 204
    (again,) = make_records(client, opened["token"], ("Gamma",))
    assert again > newest
