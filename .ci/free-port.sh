# Sourced by the engine scripts. free_port: prints a port nothing listens on, below Linux's
# ephemeral range (so no outgoing connection holds it); calls the script's own `fail` if none is found.
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  fail "no free port found"
}
