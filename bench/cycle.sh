#!/usr/bin/env bash
# The yearly cycle at scale (issue 18): seeds 10,000 vendors and a
# 60-question sheet, creates one campaign per 2,000 vendors (timed), fills
# every answer, then loads with wrk: the respondent's GET of the sheet and
# PUT of 10 answers (256 links), the comparison of two 60-question
# assessments, and a campaign's progress; and runs pgbench on the same SQL
# against the same database. Prints both side by side.
#
#   bench/cycle.sh [DURATION_S] [CONNECTIONS]       (defaults 20, 64)
#
# Uses ITAKU_DATABASE_URL if set, else a throwaway cluster (bench/lib.sh).
# Needs build/itaku, wrk, pgbench, curl, python3. Speed is measured here,
# never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-20}; conns=${2:-64}
port=${ITAKU_BENCH_PORT:-18082}
base="http://127.0.0.1:$port"

. bench/lib.sh
# The respondent links' budget would throttle the load on 256 links.
export ITAKU_RESPOND_LINK_RATE=100000

build/itaku migrate >/dev/null
tenant="bench-cycle-$(date +%s)"
key=$(build/itaku bootstrap --tenant "$tenant" | tail -n 1)
tid=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select id from tenants where name = '$tenant'")
echo "seeding 10,000 vendors in tenant $tenant"
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" <<SQL
insert into vendors (tenant_id, name, entity_type, status, contacts)
select '$tid', '委託先' || n, 'corporation', 'active',
       jsonb_build_array(jsonb_build_object('name', '担当 ' || n, 'role', 'security_officer',
                                            'email', 'v' || n || '@example.jp'))
  from generate_series(1, 10000) n;
analyze vendors;
SQL

bench_serve "$port"
api() {   # method path [body]
  curl -fsS -X "$1" "$base$2" -H "Authorization: Bearer $key" -H "Content-Type: application/json" ${3:+-d "$3"}
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# A 60-question sheet: six sections of ten scale questions.
content=$(python3 -c '
import json
print(json.dumps({"content": {"sections": [{"code": "S%d" % s, "title_ja": "区分%d" % s, "questions": [
    {"code": "S%d-Q%02d" % (s, q), "text_ja": "設問 %d-%d に当てはまりますか" % (s, q), "answer_type": "scale"}
    for q in range(1, 11)]} for s in range(1, 7)]}}, ensure_ascii=False))')
sheet=$(api POST /v1/questionnaire-templates '{"name":"年次点検（性能測定）"}' | json 'd["id"]')
api POST "/v1/questionnaire-templates/$sheet/versions" "$content" >/dev/null
api POST "/v1/questionnaire-templates/$sheet/versions/1/publish" >/dev/null

echo "campaigns: 5 x 2,000 vendors, each created and sent in one request"
declare -a campaign_s
first_campaign=
for c in 0 1 2 3 4; do
  ids=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select string_agg('\"' || id || '\"', ',' order by name)
             from (select id, name from vendors where tenant_id = '$tid' order by name
                   offset $((c * 2000)) limit 2000) v")
  t=$(curl -fsS -o /tmp/bench-campaign.json -w '%{time_total}' -X POST "$base/v1/assessment-campaigns" \
          -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
          -d "{\"name\":\"年次点検 $c\",\"template_id\":\"$sheet\",\"due_on\":\"2099-03-31\",\"vendor_ids\":[$ids]}")
  campaign_s[$c]=$t
  [ -n "$first_campaign" ] || first_campaign=$(json 'd["id"]' </tmp/bench-campaign.json)
done
echo "filling every answer"
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" <<SQL
update assessments a set answers = (select jsonb_object_agg('S' || s || '-Q' || lpad(q::text, 2, '0'),
                                                            case when (s + q) % 5 = 0 then 'partially' else 'yes' end)
                                      from generate_series(1, 6) s, generate_series(1, 10) q),
       status = 'in_progress'
 where a.tenant_id = '$tid';
SQL

echo "issuing 256 respondent links"
tokens=""
for a in $(psql -qtA "$ITAKU_DATABASE_URL" -c "select id from assessments where tenant_id = '$tid'
                                                  order by created_at, id limit 256"); do
  tokens="$tokens $(api POST "/v1/assessments/$a/respondent-links" '{}' | json 'd["token"]')"
done
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" <<SQL
drop table if exists bench_cycle_links;
create table bench_cycle_links as
select row_number() over (order by l.created_at, l.id) as n, l.tenant_id, l.id as link_id, l.assessment_id
  from assessment_links l where l.tenant_id = '$tid';
SQL

echo "two completed assessments of one vendor for the comparison"
old=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select id from assessments where tenant_id = '$tid' order by created_at desc, id limit 1")
vendor=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select vendor_id from assessments where id = '$old'")
psql -q "$ITAKU_DATABASE_URL" -c "update assessments set status = 'submitted', submitted_at = now() where id = '$old'"
api POST "/v1/assessments/$old/complete" >/dev/null
new=$(api POST /v1/assessments "{\"vendor_id\":\"$vendor\",\"template_id\":\"$sheet\",\"due_on\":\"2099-06-30\",\"respondent\":{\"name\":\"担当\",\"email\":\"x@example.jp\"}}" | json 'd["id"]')
api POST "/v1/assessments/$new/send" >/dev/null
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" <<SQL
update assessments set answers = (select jsonb_object_agg('S' || s || '-Q' || lpad(q::text, 2, '0'),
                                                          case when (s * q) % 4 = 0 then 'no' else 'yes' end)
                                    from generate_series(1, 6) s, generate_series(1, 10) q),
       status = 'in_progress' where id = '$new';
update assessments set status = 'submitted', submitted_at = now() where id = '$new';
SQL
api POST "/v1/assessments/$new/complete" >/dev/null
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" <<SQL
drop table if exists bench_cycle_ids;
create table bench_cycle_ids as
select '$tid'::uuid tenant_id, '$first_campaign'::uuid campaign_id, '$new'::uuid new_id, '$old'::uuid old_id;
analyze;
SQL

declare -A http pg
wrk_run() {   # mode [path]
  BENCH_MODE=$1 BENCH_PATH=${2:-/} BENCH_KEY=$key BENCH_TOKENS=$tokens \
    wrk -t2 -c"$conns" -d"${dur}s" --latency -s bench/cycle.lua "$base" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
         /Non-2xx/ {bad=$NF}
         END {printf "%s %s %s %s %s\n", rps, p50, p90, p99, bad ? bad : 0}'
}
pgbench_run() {
  pgbench -n -M prepared -c "$conns" -j 2 -T "$dur" -f "bench/sql/cycle_$1.sql" "$ITAKU_DATABASE_URL" 2>&1 |
    awk '/^tps/ {tps=$3} /latency average/ {lat=$4} END {printf "%d %s\n", tps, lat}'
}
http[respond_get]=$(wrk_run respond_get);  pg[respond_get]=$(pgbench_run respond_get)
http[respond_put]=$(wrk_run respond_put);  pg[respond_put]=$(pgbench_run respond_put)
http[compare]=$(wrk_run path "/v1/assessments/$new/comparison?against=$old"); pg[compare]=$(pgbench_run compare)
http[progress]=$(wrk_run path "/v1/assessment-campaigns/$first_campaign"); pg[progress]=$(pgbench_run progress)

printf '\ncampaign creation, 2,000 vendors each (s): %s\n' "${campaign_s[*]}"
printf '\n%-40s %10s %8s %8s %8s %7s | %10s %9s | %6s\n' endpoint "http req/s" p50 p90 p99 non-2xx \
  "pgbench tps" "avg ms" ratio
for m in respond_get respond_put compare progress; do
  read -r rps p50 p90 p99 bad <<<"${http[$m]}"
  read -r tps lat <<<"${pg[$m]}"
  case $m in
    respond_get) name="GET /v1/respond/{token}" ;;
    respond_put) name="PUT /v1/respond/{token}/answers (10)" ;;
    compare) name="GET /v1/assessments/{id}/comparison" ;;
    progress) name="GET /v1/assessment-campaigns/{id}" ;;
  esac
  printf '%-40s %10s %8s %8s %8s %7s | %10s %9s | %6s\n' "$name" "$rps" "$p50" "$p90" "$p99" "$bad" \
    "$tps" "$lat" "$(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
done
echo "($conns connections, ${dur}s each; ratio = HTTP requests/s over pgbench tps on the same SQL)"
