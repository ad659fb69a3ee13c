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
# Twenty fictional vendors (valid corporate number check digits), each with
# an engagement and most with a certification: the register's risk tiers,
# measures, missing clauses and expiry lists then have something to show.
vendor() {   # external_ref vendor-json engagement-json [certification-json]
    local id
    id=$(curl -fsS -X PUT "$base/v1/vendors/by-ref/$1" -H "Authorization: Bearer $key" \
             -H "Content-Type: application/json" -d "$2" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
    post "/v1/vendors/$id/engagements" "eng-$1" "$3"
    if [ -n "${4:-}" ]; then post "/v1/vendors/$id/certifications" "cert-$1" "$4"; fi
}
vendor V-001 '{"name":"株式会社さくらクラウドサービス","name_kana":"サクラクラウドサービス","corporate_number":"9010001007919","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"クラウドサービス利用","contract_type":"jun_inin","category":"asp_saas","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":120000,"confidentiality":3,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"isms_cloud","certificate_number":"DEMO-0001","registered_scope":"本社 全部門","expires_on":"2027-02-28"}'
vendor V-002 '{"name":"東都データセンター株式会社","name_kana":"トウトデータセンター","corporate_number":"1010001015838","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"基幹システムのデータセンター運用","contract_type":"jun_inin","category":"datacenter","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":800000,"confidentiality":3,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"isms","certificate_number":"DEMO-0002","registered_scope":"本社 全部門","expires_on":"2026-12-20","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-003 '{"name":"みなと情報処理株式会社","name_kana":"ミナトジョウホウショリ","corporate_number":"2010001023757","entity_type":"corporation","country":"JP","department":"人事部","status":"active","tags":["demo"]}' '{"title":"顧客データの入力・加工","contract_type":"inin","category":"data_processing","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":45000,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}' '{"kind":"privacy_mark","certificate_number":"DEMO-0003","registered_scope":"本社 全部門","expires_on":"2027-04-28"}'
vendor V-004 '{"name":"株式会社北斗システム開発","name_kana":"ホクトシステムカイハツ","corporate_number":"3010001031676","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"業務システム開発","contract_type":"ukeoi","category":"system_build","handles_personal_data":false,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"isms","certificate_number":"DEMO-0004","registered_scope":"本社 全部門","expires_on":"2027-05-28","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-005 '{"name":"関西ロジテック株式会社","name_kana":"カンサイロジテック","corporate_number":"3010001039595","entity_type":"corporation","country":"JP","department":"総務部","status":"active","tags":["demo"]}' '{"title":"文書・媒体の保管と運搬","contract_type":"ukeoi","category":"storage_transport","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":3000,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' ''
vendor V-006 '{"name":"合同会社ひまわりラボ","name_kana":"ヒマワリラボ","corporate_number":"5010001047514","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"社内ネットワーク機器の保守","contract_type":"jun_inin","category":"maintenance","handles_personal_data":false,"confidentiality":1,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}' ''
vendor V-007 '{"name":"株式会社グローバルBPOパートナーズ","name_kana":"グローバルビーピーオーパートナーズ","corporate_number":"6010001055433","entity_type":"corporation","country":"JP","department":"カスタマーサポート部","status":"active","tags":["demo"]}' '{"title":"顧客データの入力・加工","contract_type":"inin","category":"data_processing","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":250000,"confidentiality":3,"data_locations":["JP","PH"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"isms","certificate_number":"DEMO-0007","registered_scope":"本社 全部門","expires_on":"2027-08-28"}'
vendor V-008 '{"name":"日本ネット監視株式会社","name_kana":"ニホンネットカンシ","corporate_number":"7010001063352","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"システムのリモート運用・監視","contract_type":"jun_inin","category":"operation_remote","handles_personal_data":false,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"isms","certificate_number":"DEMO-0008","registered_scope":"本社 全部門","expires_on":"2027-09-28","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-009 '{"name":"株式会社オンサイトサポート東京","name_kana":"オンサイトサポートトウキョウ","corporate_number":"8010001071271","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"社内ヘルプデスク常駐運用","contract_type":"jun_inin","category":"operation_onsite","handles_personal_data":false,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}' ''
vendor V-010 '{"name":"ハウジングネット株式会社","name_kana":"ハウジングネット","corporate_number":"8010001079190","entity_type":"corporation","country":"JP","department":"情報システム部","status":"active","tags":["demo"]}' '{"title":"サーバーのハウジング","contract_type":"terms_of_service","category":"housing","handles_personal_data":false,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"isms","certificate_number":"DEMO-0010","registered_scope":"本社 全部門","expires_on":"2027-02-28","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-011 '{"name":"株式会社クラウド会計ジャパン","name_kana":"クラウドカイケイジャパン","corporate_number":"2010001087109","entity_type":"corporation","country":"JP","department":"経理部","status":"active","tags":["demo"]}' '{"title":"クラウドサービス利用","contract_type":"terms_of_service","category":"asp_saas","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":900,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"ismap","certificate_number":"DEMO-0011","registered_scope":"本社 全部門","expires_on":"2027-03-28"}'
vendor V-012 '{"name":"株式会社メール配信プラス","name_kana":"メールハイシンプラス","corporate_number":"3010001095028","entity_type":"corporation","country":"JP","department":"マーケティング部","status":"active","tags":["demo"]}' '{"title":"クラウドサービス利用","contract_type":"terms_of_service","category":"asp_saas","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":60000,"confidentiality":2,"data_locations":["JP","US"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}' '{"kind":"soc2_type2","certificate_number":"DEMO-0012","registered_scope":"本社 全部門","expires_on":"2027-04-28","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-013 '{"name":"株式会社アンケート集計センター","name_kana":"アンケートシュウケイセンター","corporate_number":"4010001102947","entity_type":"corporation","country":"JP","department":"営業企画部","status":"active","tags":["demo"]}' '{"title":"顧客データの入力・加工","contract_type":"ukeoi","category":"data_processing","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":8000,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"privacy_mark","certificate_number":"DEMO-0013","registered_scope":"本社 全部門","expires_on":"2027-05-28"}'
vendor V-014 '{"name":"東西印刷株式会社","name_kana":"トウザイインサツ","corporate_number":"5010001110866","entity_type":"corporation","country":"JP","department":"総務部","status":"active","tags":["demo"]}' '{"title":"顧客データの入力・加工","contract_type":"ukeoi","category":"data_processing","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":150000,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"privacy_mark","certificate_number":"DEMO-0014","registered_scope":"本社 全部門","expires_on":"2027-06-28","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-015 '{"name":"株式会社セキュア文書保管","name_kana":"セキュアブンショホカン","corporate_number":"5010001118785","entity_type":"corporation","country":"JP","department":"総務部","status":"active","tags":["demo"]}' '{"title":"文書・媒体の保管と運搬","contract_type":"inin","category":"storage_transport","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":20000,"confidentiality":3,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}' '{"kind":"isms","certificate_number":"DEMO-0015","registered_scope":"本社 全部門","expires_on":"2027-07-28"}'
vendor V-016 '{"name":"株式会社給与ソリューションズ","name_kana":"キュウヨソリューションズ","corporate_number":"7010001126704","entity_type":"corporation","country":"JP","department":"人事部","status":"active","tags":["demo"]}' '{"title":"クラウドサービス利用","contract_type":"terms_of_service","category":"asp_saas","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":1500,"confidentiality":3,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"privacy_mark","certificate_number":"DEMO-0016","registered_scope":"本社 全部門","expires_on":"2027-08-28","scope_verified":true,"scope_verified_note":"登録範囲に委託業務の部門が含まれることを確認"}'
vendor V-017 '{"name":"株式会社コールセンター沖縄","name_kana":"コールセンターオキナワ","corporate_number":"8010001134623","entity_type":"corporation","country":"JP","department":"カスタマーサポート部","status":"active","tags":["demo"]}' '{"title":"システムのリモート運用・監視","contract_type":"inin","category":"operation_remote","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":300000,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"privacy_mark","certificate_number":"DEMO-0017","registered_scope":"本社 全部門","expires_on":"2027-09-28"}'
vendor V-018 '{"name":"株式会社テスト自動化研究所","name_kana":"テストジドウカケンキュウジョ","corporate_number":"9010001142542","entity_type":"corporation","country":"JP","department":"情報システム部","status":"candidate","tags":["demo"]}' '{"title":"業務システム開発","contract_type":"jun_inin","category":"system_build","handles_personal_data":false,"confidentiality":1,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}' ''
vendor V-019 '{"name":"Pacific Analytics Pte. Ltd.","name_kana":"パシフィックアナリティクス","entity_type":"foreign","country":"SG","department":"マーケティング部","status":"active","tags":["demo"]}' '{"title":"顧客データの入力・加工","contract_type":"inin","category":"data_processing","handles_personal_data":true,"personal_data_categories":["contact"],"personal_data_subjects":20000,"confidentiality":2,"data_locations":["SG"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' '{"kind":"soc2_type2","certificate_number":"DEMO-0019","registered_scope":"本社 全部門","expires_on":"2027-02-28"}'
vendor V-020 '{"name":"株式会社廃棄サービス中部","name_kana":"ハイキサービスチュウブ","corporate_number":"1010001158380","entity_type":"corporation","country":"JP","department":"総務部","status":"suspended","tags":["demo"]}' '{"title":"文書・媒体の保管と運搬","contract_type":"ukeoi","category":"storage_transport","handles_personal_data":false,"confidentiality":2,"data_locations":["JP"],"starts_on":"2025-04-01","clauses":{"confidentiality":"present","incident_reporting":"present"}}' ''

# A three-level chain (委託先 → 再委託先 → 再々委託先) on a payroll printing
# engagement of みなと情報処理, with the third level still waiting for
# approval: the chain, exposure and approval-queue views have one to show.
postid() { curl -fsS -X POST "$base$1" -H "Authorization: Bearer $key" \
           -H "Content-Type: application/json" -H "Idempotency-Key: demo-$2" -d "$3" |
           grep -oE '"id" ?: ?"[^"]*"' | head -1 | sed -E 's/.*"([^"]*)"$/\1/'; }
vid() { curl -fsS "$base/v1/vendors?external_ref=$1" -H "Authorization: Bearer $key" |
        grep -oE '"id" ?: ?"[^"]*"' | head -1 | sed -E 's/.*"([^"]*)"$/\1/'; }
flow='{"equal_obligations":true,"equal_obligations_ref":"再委託に関する覚書 第3条","direct_incident_notice":true,"recurrence_prevention":true,"status_reports_visible":true,"return_or_erasure":true}'
eng=$(postid "/v1/vendors/$(vid V-003)/engagements" chain-eng '{"title":"給与明細の印刷・封入・発送","contract_type":"ukeoi","category":"data_processing","handles_personal_data":true,"personal_data_categories":["contact","financial"],"personal_data_subjects":4200,"confidentiality":3,"data_locations":["JP"],"starts_on":"2025-04-01","subcontracting":"prior_approval","subcontract_max_depth":3,"clauses":{"confidentiality":"present","subcontracting":"present","incident_reporting":"present","return_erasure":"present","audit_rights":"present"}}')
l1=$(postid "/v1/engagements/$eng/subcontracts" chain-l1 "{\"vendor_id\":\"$(vid V-014)\",\"scope\":\"給与明細の印刷と封入\",\"reason\":\"自社に大量印刷の設備がないため\",\"data_categories\":[\"payslips\"],\"personal_data\":true,\"confidentiality\":3,\"flow_down\":$flow}")
post "/v1/subcontracts/$l1/approve" chain-l1-ok '{"note":"印刷工場の入退室管理を確認","conditions":"作業完了ごとに数量報告を提出すること"}'
l2=$(postid "/v1/engagements/$eng/subcontracts" chain-l2 "{\"parent_id\":\"$l1\",\"vendor_id\":\"$(vid V-005)\",\"scope\":\"封入済み明細の運搬\",\"reason\":\"印刷工場から各事業所への配送\",\"data_categories\":[\"payslips\"],\"personal_data\":true,\"confidentiality\":2,\"flow_down\":$flow}")
post "/v1/subcontracts/$l2/approve" chain-l2-ok '{"note":"施錠車両での運搬を確認"}'
postid "/v1/engagements/$eng/subcontracts" chain-l3 "{\"parent_id\":\"$l2\",\"vendor_id\":\"$(vid V-015)\",\"scope\":\"配送できなかった明細の一時保管\",\"reason\":\"不在返送分を保管する倉庫が必要\",\"data_categories\":[\"payslips\"],\"personal_data\":true,\"confidentiality\":2}" >/dev/null

# 取適法 (中小受託取引適正化法): our own capital and headcount, the vendors'
# figures, and three engagements with a recorded transaction type: system
# development for 北斗システム開発 (プログラム作成, covered by the capital test,
# paid 90 days after receipt: rule 7 shows in its torihiki view), remote
# monitoring by 日本ネット監視 (情報処理, covered, 20日締め翌月10日払い: no
# risk), and the on-site helpdesk answered as not applicable (a service for
# our own use is not 役務提供委託). The other engagements stay unanswered:
# their coverage is unknown until someone records the type.
patch() { curl -fsS -X PATCH "$base$1" -H "Authorization: Bearer $key" -H "Content-Type: application/json" -d "$2" >/dev/null; }
engid() { curl -fsS "$base/v1/vendors/$(vid "$1")/engagements?limit=1" -H "Authorization: Bearer $key" |
          grep -oE '"id" ?: ?"[^"]*"' | head -1 | sed -E 's/.*"([^"]*)"$/\1/'; }
patch /v1/settings '{"torihiki":{"capital_jpy":500000000,"employee_count":1200,"superior_bargaining_position":true,"superior_bargaining_position_note":"主要な委託先の多くは当社向けの売上比率が高い"}}'
patch "/v1/vendors/$(vid V-004)" '{"capital_jpy":20000000,"employee_count":85}'
patch "/v1/vendors/$(vid V-008)" '{"capital_jpy":300000000,"employee_count":350}'
patch "/v1/vendors/$(vid V-009)" '{"capital_jpy":30000000,"employee_count":120}'
patch "/v1/engagements/$(engid V-004)" '{"torihiki_type":"program_creation","ordered_on":"2026-04-01","payment_terms":{"due_basis":"days_after_receipt","due_days":90,"method":"bank_transfer","transfer_fee_borne_by":"outsourcer","terms_in_writing":true}}'
patch "/v1/engagements/$(engid V-008)" '{"torihiki_type":"transport_storage_information_processing","ordered_on":"2026-04-01","payment_terms":{"due_basis":"monthly_cutoff","cutoff_day":20,"month_offset":1,"payment_day":10,"method":"electronic_receivables","full_amount_by_due":true,"transfer_fee_borne_by":"outsourcer","terms_in_writing":true}}'
patch "/v1/engagements/$(engid V-009)" '{"torihiki_type":"not_applicable","ordered_on":"2026-04-01"}'

# Incidents: one at the second-level subcontractor (東西印刷 → 関西ロジテック),
# filed by the vendor through a report link, and one of our own at the call
# centre that is PPC-reportable, with its preliminary report filed.
if ! curl -fsS "$base/v1/vendors/$(vid V-005)/report-links" -H "Authorization: Bearer $key" |
     grep -q '"prefix"'; then
    token=$(curl -fsS -X POST "$base/v1/vendors/$(vid V-005)/report-links" \
            -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
            -d "{\"engagement_id\":\"$eng\",\"label\":\"事故報告窓口\"}" |
            grep -oE '"token" ?: ?"[^"]*"' | sed -E 's/.*"([^"]*)"$/\1/')
    curl -fsS -X POST "$base/v1/report/$token/incidents" -H "Content-Type: application/json" \
         -d '{"title":"配送中の給与明細1箱の所在不明","category":"loss_or_theft","severity":"high","detected_at":"2026-11-18T17:40:00+09:00","occurred_at":"2026-11-18T11:00:00+09:00","description":"大阪営業所宛ての1箱（約120通）が到着していない。車両と倉庫を捜索中。","reporter":{"name":"配送管理課 田中","organisation":"関西ロジテック株式会社","email":"tanaka@example.jp"}}' >/dev/null
fi
postid "/v1/incidents" incident-callcentre "{\"vendor_id\":\"$(vid V-017)\",\"title\":\"オペレーター端末からの顧客情報の不正持ち出し\",\"category\":\"misuse_beyond_purpose\",\"severity\":\"critical\",\"detected_at\":\"2026-11-10T15:00:00+09:00\",\"reported_to_us_at\":\"2026-11-10T18:30:00+09:00\",\"containment\":\"該当アカウントを停止し、端末を保全\",\"appi\":{\"personal_data\":\"yes\",\"people_affected\":3200,\"people_estimated\":true,\"wrongful_purpose\":\"yes\",\"financial_damage\":\"likely\",\"basis\":\"持ち出されたデータにクレジットカード番号の下4桁と有効期限が含まれる\"},\"filings\":{\"preliminary\":{\"filed_at\":\"2026-11-12T10:00:00+09:00\",\"reference\":\"DEMO-PPC-0001\"}}}" >/dev/null

# Assessments in every state, on a short demo sheet (the starter sheets are
# there to send too): one returned with a reviewer's comment, one failed
# with open findings, one passed, and the others along the way. Only once:
# a link's token is shown once, so a second run leaves them as they are.
if ! curl -fsS "$base/v1/assessments?limit=1" -H "Authorization: Bearer $key" | grep -q '"id"'; then
    call() {   # method path [body]: prints the answer
        curl -fsS -X "$1" "$base$2" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
             ${3:+-d "$3"}
    }
    field() { grep -oE "\"$1\" ?: ?\"[^\"]*\"" | head -1 | sed -E 's/.*"([^"]*)"$/\1/'; }
    vpub() {   # public call through a respondent link
        curl -fsS -X "$1" "$base/v1/respond/$2$3" -H "Content-Type: application/json" ${4:+-d "$4"} >/dev/null
    }
    sheet=$(call POST /v1/questionnaire-templates '{"name":"年次セキュリティ点検（デモ）","name_en":"Yearly security check (demo)","description":"デモ用の短いチェックシート"}' | field id)
    call POST "/v1/questionnaire-templates/$sheet/versions" '{"content":{"sections":[{"code":"BASE","title_ja":"基本","title_en":"Basics","questions":[{"code":"POL","text_ja":"情報セキュリティ方針を定め、従業者に周知していますか。","text_en":"Is there a security policy known to all staff?","answer_type":"scale","remediation_ja":"方針を文書化し、全従業者に周知してください。"},{"code":"ACC","text_ja":"アクセス権を少なくとも年 1 回見直していますか。","text_en":"Are access rights reviewed at least yearly?","answer_type":"scale","knockout":true,"not_applicable_allowed":false,"remediation_ja":"アクセス権の棚卸しを定期的に行ってください。"},{"code":"ENC","text_ja":"預かったデータを保管時に暗号化していますか。","text_en":"Is stored data encrypted?","answer_type":"scale","remediation_ja":"保管データを暗号化してください。"},{"code":"NOTE","text_ja":"補足があれば記入してください。","answer_type":"text","required":false}]}]}}' >/dev/null
    call POST "/v1/questionnaire-templates/$sheet/versions/1/publish" >/dev/null
    assess() {   # vendor-ref title due: prints the sent assessment's id
        local id
        id=$(call POST "/v1/vendors/$(vid "$1")/assessments" "{\"template_id\":\"$sheet\",\"title\":\"$2\",\"due_on\":\"$3\",\"owner\":\"情報セキュリティ部 佐藤\",\"respondent\":{\"name\":\"回答 担当者\",\"email\":\"respondent@example.jp\",\"department\":\"情報システム部\"}}" | field id)
        echo "$id"
    }
    send_link() { call POST "/v1/assessments/$1/send" >/dev/null; call POST "/v1/assessments/$1/respondent-links" '{}' | field token; }
    answer() { vpub PUT "$1" /answers "{\"answers\":$2,\"answers_version\":$(curl -fsS "$base/v1/respond/$1" | grep -oE '"answers_version" ?: ?[0-9]+' | grep -oE '[0-9]+$')}"; }
    assess V-004 "2026 年度 点検（下書き）" 2027-03-31 >/dev/null
    a=$(assess V-006 "2026 年度 点検" 2027-01-31); send_link "$a" >/dev/null
    a=$(assess V-008 "2026 年度 点検" 2027-01-31); t=$(send_link "$a"); answer "$t" '{"POL":"yes"}'
    a=$(assess V-010 "2026 年度 点検" 2027-01-31); t=$(send_link "$a"); answer "$t" '{"POL":"yes","ACC":"yes","ENC":"partially"}'; vpub POST "$t" /submit
    a=$(assess V-011 "2026 年度 点検" 2027-01-31); t=$(send_link "$a"); answer "$t" '{"POL":"yes","ACC":"yes","ENC":"yes"}'; vpub POST "$t" /submit
    call PATCH "/v1/assessments/$a/reviews" '{"items":{"POL":{"decision":"accepted"}}}' >/dev/null
    # returned: the reviewer asks again about encryption
    a=$(assess V-003 "2026 年度 点検" 2027-01-31); t=$(send_link "$a"); answer "$t" '{"POL":"yes","ACC":"yes","ENC":"yes","NOTE":"全ファイルサーバーを暗号化済み"}'; vpub POST "$t" /submit
    call PATCH "/v1/assessments/$a/reviews" '{"items":{"POL":{"decision":"accepted"},"ACC":{"decision":"accepted"},"ENC":{"decision":"returned","comment":"暗号化の方式（AES-256 など）と鍵の管理方法を補足してください"}}}' >/dev/null
    call POST "/v1/assessments/$a/return" '{"due_on":"2027-02-28"}' >/dev/null
    # passed
    a=$(assess V-002 "2026 年度 点検" 2027-01-31); t=$(send_link "$a"); answer "$t" '{"POL":"yes","ACC":"yes","ENC":"yes"}'; vpub POST "$t" /submit
    call POST "/v1/assessments/$a/complete" >/dev/null
    # failed: the knockout (access reviews) is not met; two findings open
    a=$(assess V-007 "2026 年度 点検" 2027-01-31); t=$(send_link "$a"); answer "$t" '{"POL":"partially","ACC":"no","ENC":"no"}'; vpub POST "$t" /submit
    call POST "/v1/assessments/$a/complete" >/dev/null
    call POST "/v1/assessments/$a/findings" '{"question_code":"ACC","title":"アクセス権の定期見直しが行われていない","severity":"high","owner":"委託先 情報システム部","due_on":"2027-03-31"}' >/dev/null
    call POST "/v1/assessments/$a/findings" '{"question_code":"ENC","title":"保管データが暗号化されていない","severity":"medium","owner":"委託先 情報システム部","due_on":"2027-06-30"}' >/dev/null
    # cancelled
    a=$(assess V-012 "2026 年度 点検（取消）" 2027-01-31); call POST "/v1/assessments/$a/cancel" '{"reason":"契約終了のため点検は不要になった"}' >/dev/null
fi

# Cost pass-through negotiations (価格転嫁協議記録), once: 北斗システム開発 (its
# engagement is within 取適法) was asked for EDR, sent its estimate and asked
# for consultation 45 days ago with no session since, and was charged for the
# monitoring portal with nothing agreed beforehand: two open risks (rules 1
# and 6). 日本ネット監視 negotiated a certification: two sessions and a price
# revision, confirmed through its link. みなと情報処理 was asked for a
# designated encryption product with the necessity recorded; the increase was
# declined with the reason sent by e-mail, and a training request is pending.
if ! curl -fsS "$base/v1/security-requests?limit=1" -H "Authorization: Bearer $key" | grep -q '"id"'; then
    ncall() { curl -fsS -X "$1" "$base$2" -H "Authorization: Bearer $key" -H "Content-Type: application/json" ${3:+-d "$3"}; }
    nid() { grep -oE '"id" ?: ?"[^"]*"' | head -1 | sed -E 's/.*"([^"]*)"$/\1/'; }
    ago() { TZ=Asia/Tokyo date -d "-$1 days" +%F; }
    ahead() { TZ=Asia/Tokyo date -d "+$1 days" +%F; }
    v4=$(vid V-004); e4=$(engid V-004); v8=$(vid V-008); e8=$(engid V-008); v3=$(vid V-003); e3=$(engid V-003)
    r=$(ncall POST /v1/security-requests "{\"vendor_id\":\"$v4\",\"engagement_id\":\"$e4\",\"kind\":\"paid_service\",\"text\":\"開発端末すべてに EDR を導入し、当社 SOC に検知を連携すること\",\"requested_on\":\"$(ago 60)\",\"reason\":\"開発環境を経由した侵入への対策\",\"requested_by\":\"情報セキュリティ部\",\"source_kind\":\"contract_clause\",\"clause\":\"device_security\",\"deadline_on\":\"$(ahead 90)\"}" | nid)
    ncall POST "/v1/security-requests/$r/cost-estimates" "{\"one_off_jpy\":1800000,\"recurring_yearly_jpy\":960000,\"basis\":\"端末 40 台分のライセンスと導入作業\",\"elements\":[{\"element\":\"service_fees\",\"one_off_jpy\":0,\"recurring_yearly_jpy\":960000,\"note\":\"月額 2,000 円 × 40 台\"},{\"element\":\"labour\",\"one_off_jpy\":1800000,\"recurring_yearly_jpy\":0,\"note\":\"導入 30 人日\"}],\"evidence_refs\":[\"見積書 HK-2026-118\"],\"estimated_by\":\"北斗システム開発 営業部\",\"estimated_on\":\"$(ago 50)\"}" >/dev/null
    ncall POST /v1/negotiations "{\"request_ids\":[\"$r\"],\"initiated_by\":\"vendor\",\"consultation_requested_on\":\"$(ago 45)\",\"title\":\"EDR 導入費用の負担\"}" >/dev/null
    ncall POST /v1/security-requests "{\"vendor_id\":\"$v4\",\"engagement_id\":\"$e4\",\"kind\":\"paid_service\",\"text\":\"脆弱性診断ポータルの利用\",\"requested_on\":\"$(ago 40)\",\"charged_jpy\":120000,\"charged_on\":\"$(ago 20)\"}" >/dev/null
    r=$(ncall POST /v1/security-requests "{\"vendor_id\":\"$v8\",\"engagement_id\":\"$e8\",\"kind\":\"certification\",\"text\":\"ISMS（ISO/IEC 27001）認証の取得\",\"requested_on\":\"$(ago 120)\",\"reason\":\"監視業務で顧客の通信記録を扱うため\",\"source_kind\":\"other\",\"source_note\":\"年次点検の結果\"}" | nid)
    ncall POST "/v1/security-requests/$r/cost-estimates" "{\"one_off_jpy\":2400000,\"recurring_yearly_jpy\":600000,\"basis\":\"コンサルティングと審査費用、毎年の維持審査\",\"elements\":[{\"element\":\"certification\",\"one_off_jpy\":900000,\"recurring_yearly_jpy\":600000},{\"element\":\"service_fees\",\"one_off_jpy\":1500000,\"recurring_yearly_jpy\":0,\"note\":\"取得支援コンサル\"}],\"estimated_by\":\"日本ネット監視 管理部\",\"estimated_on\":\"$(ago 110)\"}" >/dev/null
    n=$(ncall POST /v1/negotiations "{\"request_ids\":[\"$r\"],\"initiated_by\":\"vendor\",\"consultation_requested_on\":\"$(ago 105)\",\"title\":\"ISMS 取得費用\"}" | nid)
    s=$(ncall POST "/v1/negotiations/$n/sessions" "{\"held_on\":\"$(ago 95)\",\"channel\":\"meeting\",\"participants_outsourcer\":[\"購買部 佐藤\",\"情報セキュリティ部 田中\"],\"participants_vendor\":[\"管理部 鈴木\"],\"proposals\":[{\"by\":\"vendor\",\"one_off_jpy\":2400000,\"recurring_yearly_jpy\":600000},{\"by\":\"outsourcer\",\"one_off_jpy\":1500000,\"recurring_yearly_jpy\":600000,\"note\":\"コンサル費用は折半\"}],\"minutes\":\"見積の内訳を確認し、コンサル費用の負担割合を次回までに検討する\"}" | nid)
    ncall POST "/v1/negotiations/$n/sessions" "{\"held_on\":\"$(ago 80)\",\"channel\":\"online\",\"participants_outsourcer\":[\"購買部 佐藤\"],\"participants_vendor\":[\"管理部 鈴木\"],\"minutes\":\"一時費用 190 万円、年額 60 万円を月額単価に上乗せすることで合意\"}" >/dev/null
    o=$(ncall POST "/v1/negotiations/$n/outcomes" "{\"kind\":\"price_revised\",\"decided_on\":\"$(ago 75)\",\"decision\":\"agreed\",\"agreed_one_off_jpy\":1900000,\"agreed_recurring_yearly_jpy\":600000,\"effective_on\":\"$(ago 60)\",\"contract_ref\":\"変更契約 NK-2026-07\",\"price_before_jpy\":12000000,\"price_after_jpy\":12600000}" | nid)
    tok=$(ncall POST "/v1/negotiations/$n/vendor-links" '{"expires_in_days":90}' | grep -oE '"token" ?: ?"[^"]*"' | sed -E 's/.*"([^"]*)"$/\1/')
    curl -fsS -X POST "$base/v1/negotiate/$tok/sessions/$s/confirmation" -H "Content-Type: application/json" -d '{"stance":"confirmed"}' >/dev/null
    curl -fsS -X POST "$base/v1/negotiate/$tok/outcomes/$o/confirmation" -H "Content-Type: application/json" -d '{"stance":"confirmed","comment":"変更契約の内容と一致しています"}' >/dev/null
    r=$(ncall POST /v1/security-requests "{\"vendor_id\":\"$v3\",\"engagement_id\":\"$e3\",\"kind\":\"designated_product\",\"text\":\"給与データの保管に指定の暗号化製品を使うこと\",\"requested_on\":\"$(ago 70)\",\"designated\":true,\"designated_item\":\"暗号化ゲートウェイ X\",\"designation_necessity\":\"当社の鍵管理基盤と連携できる製品がほかにない\"}" | nid)
    ncall POST "/v1/security-requests/$r/cost-estimates" "{\"one_off_jpy\":500000,\"recurring_yearly_jpy\":0,\"basis\":\"製品ライセンス\",\"estimated_by\":\"みなと情報処理\",\"estimated_on\":\"$(ago 65)\"}" >/dev/null
    n=$(ncall POST /v1/negotiations "{\"request_ids\":[\"$r\"],\"initiated_by\":\"vendor\",\"consultation_requested_on\":\"$(ago 60)\"}" | nid)
    ncall POST "/v1/negotiations/$n/sessions" "{\"held_on\":\"$(ago 50)\",\"channel\":\"phone\",\"participants_outsourcer\":[\"購買部 佐藤\"],\"participants_vendor\":[\"営業部 高橋\"],\"minutes\":\"今期の予算では対応できない旨を説明\"}" >/dev/null
    ncall POST "/v1/negotiations/$n/outcomes" "{\"kind\":\"declined\",\"decided_on\":\"$(ago 45)\",\"decision\":\"agreed\",\"reason\":\"今期は予算枠がなく、次回の契約更新時に再協議する\",\"reason_sent_via\":\"email\",\"reason_sent_on\":\"$(ago 44)\"}" >/dev/null
    r=$(ncall POST /v1/security-requests "{\"vendor_id\":\"$v3\",\"engagement_id\":\"$e3\",\"kind\":\"organisation_training\",\"text\":\"給与計算担当者全員への年 1 回の情報セキュリティ教育\",\"requested_on\":\"$(ago 10)\"}" | nid)
    n=$(ncall POST /v1/negotiations "{\"request_ids\":[\"$r\"],\"initiated_by\":\"outsourcer\"}" | nid)
    ncall POST "/v1/negotiations/$n/outcomes" "{\"kind\":\"pending\",\"decided_on\":\"$(ago 5)\",\"note\":\"委託先が費用を試算中\"}" >/dev/null
fi

echo "demo data loaded" >&2
