#!/usr/bin/env bash
# `make run`: a fresh demo database, then the SOC master list and how to use the CLI.
# (When `iom serve` exists this starts the server on 127.0.0.1 instead.)
set -euo pipefail
iom=$1
db=$2
password=${IOM_DEMO_PASSWORD:-demo-password-2026}
rm -f "$db" "$db-wal" "$db-shm" "$db.key"
"$iom" --db "$db" demo --password "$password"
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
