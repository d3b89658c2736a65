"""The chat room's JSON protocol with independent clients, against the `ringwire` binary (started by
ChatTests.swift with 4 workers): presence, relaying to every member, error events, limits.
"""

import asyncio
import json

from interop import check, check_equal, connect, expect_closed_by_server, run, scenario_registry, within

SCENARIOS, scenario = scenario_registry()


async def receive(ws, wanted_type):
    """The next event of `wanted_type` (skipping other events)."""
    for _ in range(1000):
        event = json.loads(await within(ws.recv()))
        if event["type"] == wanted_type:
            return event
    raise AssertionError(f"no {wanted_type} event")


async def join(ws, room, name):
    await ws.send(json.dumps({"type": "join", "room": room, "name": name}))
    return await receive(ws, "welcome")


@scenario
async def relay_and_presence(port):
    """Eight members (spread over the workers) see each other join, leave and talk; another room hears nothing."""
    members = [await connect(port, "/chat").__aenter__() for _ in range(8)]
    outsider = await connect(port, "/chat").__aenter__()
    await join(outsider, "other", "zed")
    for index, ws in enumerate(members):
        welcome = await join(ws, "lobby", f"user{index}")
        check_equal(welcome["members"], sorted(f"user{i}" for i in range(index + 1)), "members on welcome")
        for earlier in members[:index]:
            presence = await receive(earlier, "presence")
            check_equal((presence["event"], presence["name"]), ("join", f"user{index}"), "join seen by earlier members")
    for index, ws in enumerate(members):
        await ws.send(json.dumps({"type": "say", "text": f"hello {index} ✓"}))
    for ws in members:
        texts = sorted([(await receive(ws, "message"))["text"] for _ in members])
        check_equal(texts, sorted(f"hello {i} ✓" for i in range(8)), "every message once at every member")
    await members[7].send(json.dumps({"type": "leave"}))
    for ws in members[:7]:
        presence = await receive(ws, "presence")
        check_equal((presence["event"], presence["name"], len(presence["members"])), ("leave", "user7", 7), "leave")
    await outsider.send(json.dumps({"type": "say", "text": "only here"}))
    check_equal((await receive(outsider, "message"))["text"], "only here", "the other room's own message")
    await members[0].send(json.dumps({"type": "say", "text": "marker"}))
    check_equal((await receive(members[1], "message"))["text"], "marker", "lobby saw nothing from the other room")
    await members[6].close()
    presence = await receive(members[0], "presence")
    check_equal((presence["event"], presence["name"]), ("leave", "user6"), "a closed connection leaves")
    for ws in members[:6] + [outsider]:
        await ws.close()


@scenario
async def bad_input_gets_error_events(port):
    """Bad JSON, unknown types, talking before joining, bad names and rooms, a taken name and an
    oversized text get an error event and the connection stays; past the frame limit it closes 1009."""
    async with connect(port, "/chat") as first, connect(port, "/chat") as ws:
        await join(first, "lobby", "ada")
        for payload in ["not json", "[1,2]", json.dumps({"type": "dance"}), json.dumps({"type": "say", "text": "hi"}),
                        json.dumps({"type": "join", "room": "bad room!", "name": "x"}),
                        json.dumps({"type": "join", "room": "\u03a9mega", "name": "x"}),
                        json.dumps({"type": "join", "room": "lobby", "name": ""}),
                        json.dumps({"type": "join", "room": "lobby", "name": "ada"})]:
            await ws.send(payload)
            error = await receive(ws, "error")
            check(error["message"], f"an error message for {payload!r}")
        await join(ws, "lobby", "bob")
        async with connect(port, "/chat") as third:
            await join(third, "den", "cy")
            await ws.send(json.dumps({"type": "join", "room": "den", "name": "cy"}))
            check("taken" in (await receive(ws, "error"))["message"], "a taken name in another room is refused")
        await ws.send(json.dumps({"type": "say", "text": "from bob"}))
        said = await receive(first, "message")
        check_equal((said["name"], said["text"]), ("bob", "from bob"), "a refused join leaves bob in his room")
        await ws.send(json.dumps({"type": "say", "text": "x" * 2001}))
        check("2000" in (await receive(ws, "error"))["message"], "the error names the text limit")
        await ws.send(json.dumps({"type": "say", "text": "still here"}))
        check_equal((await receive(ws, "message"))["text"], "still here", "the connection survived")
        await ws.send("x" * (16 * 1024 + 1))
        await expect_closed_by_server(ws, 1009)


if __name__ == "__main__":
    run(SCENARIOS)
