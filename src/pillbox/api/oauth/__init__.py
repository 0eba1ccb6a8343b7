"""OAuth 2.0 for third-party apps: /oauth/* and the discovery documents under /.well-known.

Outside /api/v2, so neither the bearer-token gate nor the rate limit applies here.
"""

from starlette.routing import BaseRoute, Route

from pillbox.api.oauth import consent, protocol


def oauth_routes() -> list[BaseRoute]:
    return [
        Route("/oauth/authorise", consent.show, methods=["GET"]),
        Route("/oauth/authorise", consent.submit, methods=["POST"]),
        Route("/oauth/token", protocol.token, methods=["POST"]),
        # The docs name the first revocation path, the discovery document the second.
        Route("/oauth/token/revoke", protocol.revoke, methods=["POST"]),
        Route("/oauth/revoke", protocol.revoke, methods=["POST"]),
        Route("/.well-known/oauth-authorization-server", protocol.discovery, methods=["GET"]),
        Route("/.well-known/openid-configuration", protocol.discovery, methods=["GET"]),
        Route("/.well-known/jwks.json", protocol.jwks, methods=["GET"]),
        Route("/oauth/userinfo", protocol.userinfo, methods=["GET", "POST"]),
    ]
