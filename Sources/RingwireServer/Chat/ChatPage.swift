/// The chat page served at `/`: plain HTML and JavaScript, no build step, no external assets.
enum ChatPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Ringwire chat</title>
        <style>
          body { font: 15px/1.4 system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
          header { padding: .6em 1em; background: #1d2733; color: #fff; display: flex; gap: .5em; align-items: center; flex-wrap: wrap; }
          header h1 { font-size: 1.1em; margin: 0 1em 0 0; }
          main { flex: 1; display: flex; min-height: 0; }
          #log { flex: 1; overflow-y: auto; padding: .5em 1em; margin: 0; list-style: none; }
          #log li { margin: .2em 0; }
          #log .event { color: #777; font-style: italic; }
          #log .error { color: #b00020; }
          #log .name { font-weight: 600; margin-right: .4em; }
          aside { width: 12em; border-left: 1px solid #ddd; padding: .5em 1em; overflow-y: auto; }
          aside h2 { font-size: 1em; margin: .2em 0; }
          form#say { display: flex; gap: .5em; padding: .6em 1em; border-top: 1px solid #ddd; }
          form#say input { flex: 1; }
          input, button { font: inherit; padding: .3em .5em; }
          #status { margin-left: auto; font-size: .9em; opacity: .8; }
        </style>
        </head>
        <body>
        <header>
          <h1>Ringwire chat</h1>
          <form id="join">
            <input id="name" placeholder="your name" maxlength="32" required>
            <input id="room" placeholder="room" value="lobby" maxlength="64" required pattern="[A-Za-z0-9_\-]+">
            <button>Join</button>
          </form>
          <span id="status">connecting…</span>
        </header>
        <main>
          <ul id="log" aria-live="polite"></ul>
          <aside><h2 id="room-title">Not in a room</h2><ul id="members"></ul></aside>
        </main>
        <form id="say"><input id="text" placeholder="say something" maxlength="2000" autocomplete="off" disabled><button id="send" disabled>Send</button></form>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        const scheme = location.protocol === "https:" ? "wss:" : "ws:";
        let socket;

        function add(className, parts) {
          const item = document.createElement("li");
          if (className) item.className = className;
          for (const [cls, text] of parts) {
            const span = document.createElement("span");
            if (cls) span.className = cls;
            span.textContent = text;
            item.appendChild(span);
          }
          $("log").appendChild(item);
          item.scrollIntoView({ block: "end" });
        }

        // The member list arrives whole only in welcome; presence events carry one change each and
        // may repeat what welcome already said, so the list is a set.
        let room = null;
        const members = new Set();

        function showMembers() {
          $("room-title").textContent = room + " (" + members.size + ")";
          $("members").replaceChildren(...[...members].sort().map((name) => {
            const item = document.createElement("li");
            item.textContent = name;
            return item;
          }));
        }

        function connect() {
          socket = new WebSocket(scheme + "//" + location.host + "/chat");
          socket.onopen = () => { $("status").textContent = "connected"; };
          socket.onclose = () => {
            $("status").textContent = "disconnected, retrying…";
            $("text").disabled = $("send").disabled = true;
            room = null;
            members.clear();
            setTimeout(connect, 1000);
          };
          socket.onmessage = (event) => {
            const data = JSON.parse(event.data);
            switch (data.type) {
              case "welcome":
                add("event", [[null, "You joined " + data.room + " as " + data.name + "."]]);
                room = data.room;
                members.clear();
                data.members.forEach((name) => members.add(name));
                showMembers();
                $("text").disabled = $("send").disabled = false;
                $("text").focus();
                break;
              case "presence":
                if (data.room !== room) break;
                add("event", [[null, data.name + (data.event === "join" ? " joined." : " left.")]]);
                if (data.event === "join") members.add(data.name); else members.delete(data.name);
                showMembers();
                break;
              case "message":
                add("message", [["name", data.name], ["text", data.text]]);
                break;
              case "error":
                add("error", [[null, "⚠ " + data.message]]);
                break;
            }
          };
        }

        $("join").onsubmit = (event) => {
          event.preventDefault();
          socket.send(JSON.stringify({ type: "join", name: $("name").value.trim(), room: $("room").value.trim() }));
        };
        $("say").onsubmit = (event) => {
          event.preventDefault();
          const text = $("text").value;
          if (!text) return;
          socket.send(JSON.stringify({ type: "say", text }));
          $("text").value = "";
        };
        connect();
        </script>
        </body>
        </html>
        """#
}
