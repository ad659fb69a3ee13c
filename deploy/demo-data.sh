#!/usr/bin/env bash
# Loads demo data through the public API once the server answers.
# usage: deploy/demo-data.sh BASE_URL ADMIN_KEY
set -euo pipefail
base=${1:?base url}; key=${2:?admin key}

for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

post() { curl -fsS -X POST "$base$1" -H "Authorization: Bearer $key" \
         -H "Content-Type: application/json" -H "Idempotency-Key: demo-$2" -d "$3" >/dev/null; }

# Keys for the other roles, so that a front end can be tried with each.
post /v1/api-keys viewer '{"name":"demo viewer (監査担当)","role":"viewer"}'
post /v1/api-keys editor '{"name":"demo editor (情報セキュリティ部)","role":"editor"}'
post /v1/api-keys erp '{"name":"demo ERP sync","role":"integration"}'
echo "demo data loaded" >&2
