"""The opening handshake: subprotocols, application-level rejection, per-connection state, and
malformed upgrade requests.

Routes (see InteropHandshakeTests.swift): `/chat` (supports chat.v1 and chat.v2, picks the first
of the client's offers it supports, reports the agreed one on each message), `/login` (needs
`token=secret` as a query item or cookie, else 401 "login first"; the `user` query item becomes
the connection's state, prefixed to every echo; "rename <name>" changes it), and `/echo`.
"""

import websockets

from interop import check, check_equal, connect, http_exchange, run, scenario_registry, within

SCENARIOS, scenario = scenario_registry()


async def agreed(port, offered):
    async with connect(port, "/chat", subprotocols=offered) as ws:
        await ws.send("which?")
        server_view = await within(ws.recv())
        header = ws.response.headers.get("Sec-WebSocket-Protocol")
        check_equal(ws.subprotocol, header, "websockets' subprotocol and the response header")
        check_equal(server_view, header or "none", "the handler's socket.subprotocol")
        return header


@scenario
async def subprotocols(port):
    check_equal(await agreed(port, ["chat.v2", "chat.v1"]), "chat.v2", "preferred of two supported")
    check_equal(await agreed(port, ["chat.v1", "chat.v2"]), "chat.v1", "the client's order decides")
    check_equal(await agreed(port, ["chat.v3", "chat.v2", "chat.v1"]), "chat.v2", "unsupported first offer skipped")
    check_equal(await agreed(port, None), None, "nothing offered")
    check_equal(await agreed(port, ["chat.v9"]), None, "nothing supported")


async def rejected(port, path, **options):
    try:
        async with connect(port, path, **options):
            pass
    except websockets.InvalidStatus as error:
        return error.response
    raise AssertionError(f"{path} was accepted")


@scenario
async def rejected_upgrade(port):
    """Without the right token the client gets the handler's 401 and can read its body."""
    for path, options in (
        ("/login", {}),
        ("/login?token=wrong&user=mallory", {}),
        ("/login?user=mallory", {"additional_headers": {"Cookie": "token=wrong"}}),
    ):
        response = await rejected(port, path, **options)
        check_equal(response.status_code, 401, f"status for {path} {options}")
        check_equal(response.body, b"login first", "rejection body")


@scenario
async def accepted_with_state(port):
    """State set in `upgrade` (the user from the query) is what `onMessage` sees; it persists and
    can be changed per connection."""
    async with connect(port, "/login?token=secret&user=alice") as alice, \
            connect(port, "/login?user=bob", additional_headers={"Cookie": "theme=dark; token=secret"}) as bob:
        check_equal(alice.response.headers.get("X-User"), "alice", "header added by the accept")
        await alice.send("hi")
        await bob.send("hello")
        check_equal(await within(alice.recv()), "alice: hi", "alice's echo")
        check_equal(await within(bob.recv()), "bob: hello", "bob's echo")
        await alice.send("rename carol")
        check_equal(await within(alice.recv()), "carol: renamed", "renamed")
        await alice.send("again")
        check_equal(await within(alice.recv()), "carol: again", "state persists")
        await bob.send("still")
        check_equal(await within(bob.recv()), "bob: still", "state is per connection")
    async with connect(port, "/login?token=secret&user=%C3%A9ve%20x") as eve:
        await eve.send("hi")
        check_equal(await within(eve.recv()), "éve x: hi", "percent-decoded query item")


def upgrade_request(path="/echo", version="13", key="dGhlIHNhbXBsZSBub25jZQ==", extra=""):
    lines = [f"GET {path} HTTP/1.1", "Host: x", "Upgrade: websocket", "Connection: Upgrade"]
    if key is not None:
        lines.append(f"Sec-WebSocket-Key: {key}")
    if version is not None:
        lines.append(f"Sec-WebSocket-Version: {version}")
    return "\r\n".join(lines) + "\r\n" + extra + "\r\n"


@scenario
def raw_accept(port):
    """RFC 6455's own example key gets RFC 6455's own example answer."""
    status, headers, _ = http_exchange(port, upgrade_request())
    check_equal(status, 101, "status")
    check_equal(headers.get("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "accept key")
    check_equal(headers.get("upgrade", "").lower(), "websocket", "Upgrade header")


@scenario
def raw_version_12(port):
    status, headers, _ = http_exchange(port, upgrade_request(version="12"))
    check_equal(status, 426, "status for version 12")
    check_equal(headers.get("sec-websocket-version"), "13", "advertised version")


@scenario
def raw_missing_version(port):
    status, headers, _ = http_exchange(port, upgrade_request(version=None))
    check_equal(status, 426, "status without a version")
    check_equal(headers.get("sec-websocket-version"), "13", "advertised version")


@scenario
def raw_bad_keys(port):
    for key in ("abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZXg=", "!!!!!!!!!!!!!!!!!!!!!!==", "", None):
        status, _, _ = http_exchange(port, upgrade_request(key=key))
        check_equal(status, 400, f"status for key {key!r}")


@scenario
def raw_rejection_body(port):
    status, headers, body = http_exchange(port, upgrade_request(path="/login?token=nope"))
    check_equal(status, 401, "status")
    check_equal(body, b"login first", "body")
    check("sec-websocket-accept" not in headers, "no accept key on a rejection")


if __name__ == "__main__":
    run(SCENARIOS)
