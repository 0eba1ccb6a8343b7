"""REST hook targets: never inside the server's own network unless PILLBOX_HOOKS_ALLOW_PRIVATE."""

import socket
from typing import Any

import pytest
import sqlalchemy as sa

from pillbox.deliveries import post_anywhere
from pillbox.domain import hook_targets
from pillbox.settings import Settings
from pillbox.store.tables.hooks import rest_hooks
from pillbox.worker import Worker
from tests.api.v2.test_rest_hooks import Receiver, deliveries, new_party, receiver  # noqa: F401
from tests.conftest import Account

REFUSED_URLS = [
    "http://127.0.0.1:8000/hooks",
    "http://localhost/hooks",
    "http://[::1]/hooks",
    "http://10.1.2.3/hooks",
    "http://172.16.0.9/hooks",
    "http://192.168.1.1/hooks",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/",  # cloud metadata over IPv6 (unique local)
    "http://[fe80::1]/hooks",
    "http://100.64.0.1/hooks",  # shared address space
    "http://0.0.0.0/hooks",
    "http://[::ffff:127.0.0.1]/hooks",  # IPv4 loopback written as IPv6
    "http://2130706433/hooks",  # 127.0.0.1 as one number
    "http://0x7f.1/hooks",
    "https://224.0.0.1/hooks",
]


def subscribe(account: Account, url: str) -> Any:
    return account.post("/resthooks", {"restHook": {"event": "party/created", "targetUrl": url}})


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_subscribe_to_internal_address_is_422_naming_target_url(account, url):
    response = subscribe(account, url)
    assert response.status_code == 422, response.text
    assert response.json() == {
        "message": "Validation Failed",
        "errors": [
            {
                "message": "targetUrl must not point to a loopback, private or link-local address",
                "resource": "restHook",
                "field": "targetUrl",
            }
        ],
    }
    assert account.get("/resthooks").json()["restHooks"] == []


def test_subscribe_to_name_resolving_to_private_address_is_422(account, monkeypatch):
    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        assert host == "hooks.example.net"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(hook_targets.socket, "getaddrinfo", resolve)
    assert subscribe(account, "https://hooks.example.net/in").status_code == 422


def test_subscribe_to_public_address_is_accepted(account):
    assert subscribe(account, "https://93.184.215.14/hooks").status_code == 201


def test_subscribe_to_name_that_does_not_resolve_is_accepted_and_checked_at_delivery(account):
    assert subscribe(account, "https://hooks.invalid/in").status_code == 201


class TestAllowed:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"hooks_allow_private": True})

    @pytest.mark.parametrize("url", REFUSED_URLS[:3])
    def test_subscribe_to_loopback_when_allowed_is_accepted(self, account, url):
        assert subscribe(account, url).status_code == 201


def test_the_sandbox_allows_private_targets_unless_told_otherwise():
    assert Settings(sandbox=True).hooks_reach_private
    assert not Settings(sandbox=True, hooks_allow_private=False).hooks_reach_private
    assert not Settings().hooks_reach_private
    assert Settings(hooks_allow_private=True).hooks_reach_private


def _hook_behind_the_check(engine: sa.Engine, account: Account, url: str) -> dict[str, Any]:
    """A hook whose name resolved to a public address at subscription and since changed."""
    with engine.begin() as conn:
        conn.execute(
            rest_hooks.update().where(rest_hooks.c.account_id == account.id).values(target_url=url)
        )
    return {"id": account.get("/resthooks").json()["restHooks"][0]["id"]}


def test_delivery_to_a_target_now_resolving_inside_is_refused(account, engine, receiver):  # noqa: F811
    assert subscribe(account, "https://93.184.215.14/hooks").status_code == 201
    hook = _hook_behind_the_check(engine, account, receiver.url)
    new_party(account)
    Worker(engine).run_pending()
    assert receiver.requests == []
    (refused,) = deliveries(account, hook)
    assert refused["status"] == "pending"
    assert "127.0.0.1 resolves to 127.0.0.1, which hooks may not reach" in refused["error"]


def test_delivery_when_allowed_reaches_loopback(account, engine, receiver):  # noqa: F811
    assert subscribe(account, "https://93.184.215.14/hooks").status_code == 201
    hook = _hook_behind_the_check(engine, account, receiver.url)
    new_party(account)
    Worker(engine, send=post_anywhere).run_pending()
    assert len(receiver.requests) == 1
    assert deliveries(account, hook)[0]["status"] == "delivered"


def test_delivery_does_not_follow_a_redirect(account, engine, receiver):  # noqa: F811
    inside = Receiver()
    try:
        receiver.answers = [302]
        receiver.location = inside.url
        assert subscribe(account, "https://93.184.215.14/hooks").status_code == 201
        hook = _hook_behind_the_check(engine, account, receiver.url)
        new_party(account)
        Worker(engine, send=post_anywhere).run_pending()
        assert len(receiver.requests) == 1
        assert inside.requests == []
        (answered,) = deliveries(account, hook)
        assert (answered["status"], answered["responseStatus"]) == ("pending", 302)
    finally:
        inside.close()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
        ("127.0.0.2", True),
        ("169.254.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("fe80::1%eth0", True),
        ("ff02::1", True),
    ],
)
def test_is_refused_knows_public_from_internal_addresses(address, refused):
    assert hook_targets.is_refused(address) is refused
