#!/usr/bin/env bash
# `make run`: the demo database (kept when it exists; FRESH=1 makes a new one), the SOC master
# list and taskings, how to use the CLI, then `iom serve` on 127.0.0.1 (IOM_LISTEN, default
# 127.0.0.1:8080) until Ctrl-C.
set -euo pipefail
iom=$1
db=$2
password=${IOM_DEMO_PASSWORD:-demo-password-2026}
if [ "${FRESH:-0}" = 1 ] || [ ! -f "$db" ]; then
  rm -f "$db" "$db-wal" "$db-shm" "$db.key"
  "$iom" --db "$db" demo --password "$password"
else
  echo "keeping the demo database $db (make run FRESH=1 for a new one)"
  "$iom" --db "$db" migrate
fi
echo
echo "SOC master list (as seen by west-yorkshire-sio):"
"$iom" --db "$db" --as west-yorkshire-sio threat list
echo
echo "Taskings (as seen by the auditor, who reads everything):"
"$iom" --db "$db" --as auditor tasking list
cat <<TXT

Try it:
  export IOM_DB=$db
  $iom help                                   # every command
  $iom --as admin user list                   # the demo users (password: $password)
  $iom --as west-yorkshire-sio threat show SOC-000001
  $iom --as west-yorkshire-sio tasking show TOEX-2026-000002   # team, ToR, history, what you may do
  $iom --as yhrocu-gateway tasking forward TOEX-2026-000010    # triage a submitted bid
  $iom --as west-yorkshire-spoc threat add --title "New threat" --type labour \\
       --owner west-yorkshire --sio west-yorkshire-sio --force-tasking-ref WY-FTM-1
  $iom --as auditor audit log                 # who did what, before and after
  $iom --as auditor audit verify              # the tamper-evident chain
  $iom agency list --json                     # reference data as the API's JSON
TXT

listen=${IOM_LISTEN:-127.0.0.1:8080}
cat <<TXT

Serving the JSON API on http://$listen (docs/serve.md, OpenAPI at /api/openapi.json).
Sign in with any demo user (e.g. west-yorkshire-spoc, yhrocu-gateway, toex-sia, auditor),
password $password:
  curl -si -c /tmp/iom.cookies -H 'Content-Type: application/json' \\
       -d '{"username":"west-yorkshire-sio","password":"$password"}' http://$listen/api/v1/session
  curl -s -b /tmp/iom.cookies http://$listen/api/v1/taskings
Ctrl-C stops the server.
TXT
exec "$iom" --db "$db" serve --listen "$listen"
