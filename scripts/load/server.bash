# Sourced by scripts/connections-at-fd-limit and scripts/soak: builds the release binary (unless
# RINGWIRE_BINARY names one), starts it with 2 workers on free loopback ports, waits for /health, and
# stops it when the calling script exits, however it exits. Sets server_pid, ws_port and http_port.
# run_driver runs the client driver so that it is stopped too (a signal to the script runs the trap at
# once while it waits, and the driver must not outlive the server it drives).

start_server() {
  if [ -z "${RINGWIRE_BINARY:-}" ]; then
    swift build -c release --product ringwire >&2
    RINGWIRE_BINARY=.build/release/ringwire
  fi
  ws_port=$(free_port)
  http_port=$(free_port)
  trap stop_server EXIT
  # The server raises its soft open-file limit to the hard one and sizes maxConnections from it.
  "$RINGWIRE_BINARY" --workers 2 --host 127.0.0.1 --ws-port "$ws_port" --http-port "$http_port" --log-level warning "$@" &
  server_pid=$!
  local attempt
  for attempt in $(seq 100); do
    curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "FAILED: the server exited at startup" >&2; exit 1; }
    sleep 0.1
  done
  echo "FAILED: the server never answered /health" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_driver() {
  "$@" &
  driver_pid=$!
  wait "$driver_pid"
}

server_pid=
driver_pid=
stop_server() {
  if [ -n "$driver_pid" ]; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
