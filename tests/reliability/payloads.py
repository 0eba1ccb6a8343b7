"""Hostile request bodies and the answer each must get: (name, method, path, type, body, status).

`{party}` in a path is the id of a party of the caller's account."""

DEEP = 10_000
DIGITS = b"9" * 500_000
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (i, b"".join(b"&lol%d;" % (i - 1) if i > 1 else b"&lol;" for _ in range(10)))
        for i in range(1, 10)
    )
    + b"]><organisation><name>&lol9;</name></organisation>"
)
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "'
    + b"a" * 50_000
    + b'">]><organisation><name>'
    + b"&a;" * 20_000
    + b"</name></organisation>"
)
V2 = "/api/v2"
XML = "application/xml"
JSON = "application/json"

PAYLOADS: list[tuple[str, str, str, str, bytes, int]] = [
    (
        "json 10,000 nested arrays",
        "POST",
        f"{V2}/parties",
        JSON,
        b'{"party":' + b"[" * DEEP + b"]" * DEEP + b"}",
        400,
    ),
    (
        "json 10,000 nested objects",
        "POST",
        f"{V2}/parties",
        JSON,
        b'{"party":' + b'{"a":' * DEEP + b"1" + b"}" * DEEP + b"}",
        400,
    ),
    (
        "json 500,000-digit integer",
        "POST",
        f"{V2}/opportunities",
        JSON,
        b'{"opportunity":{"name":"x","value":{"amount":' + DIGITS + b"}}}",
        400,
    ),
    (
        "json exponent out of range",
        "POST",
        f"{V2}/opportunities",
        JSON,
        b'{"opportunity":{"name":"x","value":{"amount":1e999999}}}',
        400,
    ),
    (
        "json 300,000-digit decimal",
        "POST",
        f"{V2}/opportunities",
        JSON,
        b'{"opportunity":{"name":"x","value":{"amount":' + b"1" * 300_000 + b".5}}}",
        400,
    ),
    (
        "json huge string in a bounded field",
        "PUT",
        f"{V2}/parties/{{party}}",
        JSON,
        b'{"party":{"name":"' + b"x" * 900_000 + b'"}}',
        422,
    ),
    (
        "json body over the limit",
        "POST",
        f"{V2}/parties",
        JSON,
        b'{"party":{"about":"' + b"x" * 1_100_000 + b'"}}',
        413,
    ),
    (
        "xml 10,000 nested elements",
        "POST",
        "/api/organisation",
        XML,
        b"<organisation>" + b"<a>" * DEEP + b"</a>" * DEEP + b"</organisation>",
        400,
    ),
    ("xml billion laughs", "POST", "/api/organisation", XML, LAUGHS, 400),
    ("xml quadratic blow-up", "POST", "/api/organisation", XML, QUADRATIC, 400),
    (
        "xml external entity",
        "POST",
        "/api/organisation",
        XML,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<organisation><name>&e;</name></organisation>",
        400,
    ),
    (
        "xml external DTD",
        "POST",
        "/api/organisation",
        XML,
        b'<?xml version="1.0"?><!DOCTYPE organisation SYSTEM "http://127.0.0.1:9/x.dtd">'
        b"<organisation><name>x</name></organisation>",
        400,
    ),
    (
        "xml parameter entity",
        "POST",
        "/api/organisation",
        XML,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p"> %p;]>'
        b"<organisation><name>x</name></organisation>",
        400,
    ),
    (
        "xml 500,000-digit number",
        "POST",
        "/api/party/{party}/opportunity",
        XML,
        b"<opportunity><name>x</name><value>" + DIGITS + b"</value><currency>GBP</currency>"
        b"<milestone>New</milestone></opportunity>",
        400,
    ),
    (
        "xml attribute over the limit",
        "POST",
        "/api/organisation",
        XML,
        b'<organisation x="' + b"y" * 1_100_000 + b'"><name>x</name></organisation>',
        413,
    ),
    (
        "v1 json 10,000 nested arrays",
        "POST",
        "/api/organisation",
        JSON,
        b'{"organisation":' + b"[" * DEEP + b"]" * DEEP + b"}",
        400,
    ),
    (
        "v1 json 500,000-digit number",
        "POST",
        "/api/party/{party}/opportunity",
        JSON,
        b'{"opportunity":{"name":"x","value":' + DIGITS + b',"currency":"GBP","milestone":"New"}}',
        400,
    ),
]
