"""The chat room's JSON protocol with independent clients, against the `ringwire` binary (started by
ChatTests.swift with 4 workers): presence, relaying to every member, error events, limits, the
validation of names, JSON escaping both ways.
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
            check_equal(presence, {"type": "presence", "room": "lobby", "event": "join", "name": f"user{index}"},
                        "join seen by earlier members, the change only")
    for index, ws in enumerate(members):
        await ws.send(json.dumps({"type": "say", "text": f"hello {index} ✓"}))
    for ws in members:
        texts = sorted([(await receive(ws, "message"))["text"] for _ in members])
        check_equal(texts, sorted(f"hello {i} ✓" for i in range(8)), "every message once at every member")
    await members[7].send(json.dumps({"type": "leave"}))
    for ws in members[:7]:
        presence = await receive(ws, "presence")
        check_equal(presence, {"type": "presence", "room": "lobby", "event": "leave", "name": "user7"},
                    "leave, without the member list")
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


@scenario
async def hostile_names_are_refused(port):
    """Names are limited in Unicode scalars and UTF-8 bytes, not grapheme clusters: a 4-character name
    of 7,000 combining marks, NUL, other control and format characters, whitespace at either end and
    over-long names get an error event; the connection stays and no other member hears of them."""
    async with connect(port, "/chat") as watcher, connect(port, "/chat") as ws:
        await join(watcher, "lobby", "watcher")
        refused = ["0001" + "\u0301" * 7000, "\u0000", "ada\u0000", "a\tb", "\u202eevil", "zero\u200bwidth",
                   "line\u2028break", " ada", "ada ", "x" * 33, "\u00e9" * 33, "\u4e2d" * 22]
        for name in refused:
            # Raw UTF-8: the combining marks escaped would pass the 16 KiB frame limit.
            await ws.send(json.dumps({"type": "join", "room": "lobby", "name": name}, ensure_ascii=False))
            error = await receive(ws, "error")
            check("name" in error["message"], f"the error for {name[:12]!r}… is about the name: {error['message']}")
        previous = None
        for name in ["\u00e9" * 32, "\u4e2d" * 21, "ada lovelace", "0001" + "\u0301" * 28]:
            welcome = await join(ws, "lobby", name)
            check_equal(welcome["name"], name, "an accepted name comes back unchanged")
            if previous:
                left = await receive(watcher, "presence")
                check_equal((left["event"], left["name"]), ("leave", previous), "a rename leaves the old name")
            joined = await receive(watcher, "presence")
            check_equal((joined["event"], joined["name"]), ("join", name), "the watcher hears of the accepted name")
            previous = name
        await ws.send(json.dumps({"type": "join", "room": "r" * 65, "name": "x"}))
        check("64" in (await receive(ws, "error"))["message"], "the error names the room limit")
        await watcher.send(json.dumps({"type": "say", "text": "marker"}))
        check_equal((await receive(watcher, "message"))["text"], "marker", "the watcher heard no refused name")


@scenario
async def escapes_round_trip(port):
    """Texts with quotes, backslashes, every control character, non-BMP characters and separators come
    back exactly, whether sent as raw UTF-8 or as \\u escapes (surrogate pairs for non-BMP); a lone
    surrogate, an invalid escape or a raw control character is refused with an error event."""
    async with connect(port, "/chat") as ws:
        await join(ws, "escapes", "ada")
        texts = ['say "hi" \\ back\\slash /', "".join(chr(c) for c in range(0x20)) + "\x7f",
                 "emoji \U0001F600 and \U0001D11E", "sep\u2028\u2029", "\u0301 leading mark", "nul\u0000mid"]
        for text in texts:
            for ensure_ascii in (True, False):
                await ws.send(json.dumps({"type": "say", "text": text}, ensure_ascii=ensure_ascii))
                check_equal((await receive(ws, "message"))["text"], text, f"round trip (ensure_ascii={ensure_ascii})")
        await ws.send('{"type":"s\\u0061y","text":"\\ud83d\\ude00\\/"}')
        check_equal((await receive(ws, "message"))["text"], "\U0001F600/", "escaped key value, pair, escaped slash")
        for payload in ['{"type":"say","text":"\\ud83d"}', '{"type":"say","text":"\\ude00x"}',
                        '{"type":"say","text":"\\ud83d\\u0041"}', '{"type":"say","text":"\\x41"}',
                        '{"type":"say","text":"raw\ttab"}', '{"type":"say","text":"cut', '{"type":"say"} x',
                        '{"type":"say","type":"say","text":"twice"}']:
            await ws.send(payload)
            check("JSON" in (await receive(ws, "error"))["message"], f"{payload!r} is refused as JSON")
        await ws.send(json.dumps({"type": "say", "text": "still here", "extra": [1, {"a": None}, -0.5e3, True]}))
        check_equal((await receive(ws, "message"))["text"], "still here", "other members of any type are ignored")


if __name__ == "__main__":
    run(SCENARIOS)
