/*
 * messages_db.c - the catalogue: texts the database writes.
 *
 * Rules the schema enforces (RAISE EXCEPTION in sql/, kind 'p': a bare %
 * is an argument) reach clients as `rule-violated` problems; risk reasons
 * are built with format() (kind 'c'). The English is the template exactly
 * as in the SQL; see catalog.h. A rule the C code also writes word for
 * word (say "no vendor with this id") is listed once, in messages.c.
 */
#include "i18n/catalog.h"

#define P(code, en, ja) { code, 'p', en, ja }
#define C(code, en, ja) { code, 'c', en, ja }

const struct catalog_entry catalog_db_messages[] = {
	/* ---- rules: platform ------------------------------------------------------ */
	P("rule.append_only", "% is append-only", "{1} は追記のみです"),
	P("rule.questionnaire_published", "a published questionnaire version never changes", "公開済みのチェックシートの版は変更できません"),
	P("rule.assessment_closed", "a completed or cancelled assessment never changes", "完了または取り消した評価は変更できません"),
	P("rule.assessment_delete", "only a draft assessment can be deleted", "削除できるのは下書きの評価だけです"),
	P("rule.assessment_answers_closed", "the vendor's answers change only while the assessment is with the vendor",
	  "委託先の回答を変えられるのは、評価が委託先にある間だけです"),
	P("rule.assessment_evidence_closed", "evidence changes only while the assessment is with the vendor",
	  "証跡を変えられるのは、評価が委託先にある間だけです"),
	P("rule.assessment_forward_closed", "a closed assessment takes no forwarding request",
	  "完了または取り消した評価には転送の依頼を出せません"),
	P("rule.assessment_sent", "the question set is fixed once the assessment is sent", "評価を送った後は設問の範囲を変えられません"),
	P("rule.finding_assessment_state", "findings are opened once the assessment is submitted",
	  "是正措置は評価の提出後に登録できます"),
	P("rule.reminder_fired", "a fired reminder never changes", "送ったリマインダーは変更できません"),
	P("rule.assessment_version_published", "an assessment sends a published questionnaire version",
	  "評価で送れるのは公開済みのチェックシートの版だけです"),
	P("rule.questionnaire_publish_as_is", "a questionnaire version is published as it was validated",
	  "チェックシートの版は検証したときの内容のまま公開されます"),
	P("rule.last_admin_key", "the tenant's last admin key without an expiry date cannot be revoked or given one; create another admin key first",
	  "有効期限のない最後の管理者キーは、失効させることも期限を付けることもできません。先に別の管理者キーを作ってください"),

	/* ---- rules: register -------------------------------------------------------- */
	P("rule.vendor_terminated", "vendor \"%\" is terminated", "委託先「{1}」は取引を終了しています"),

	/* ---- rules: subcontractor chains ------------------------------------------------ */
	P("rule.subcontract_move", "a subcontract link cannot move: withdraw or end it and request a new one",
	  "再委託の位置は変えられません。取り下げるか終了し、新たに申請してください"),
	P("rule.subcontract_closed", "a % subcontract link is closed and cannot change", "{1} の再委託は終わっており、変更できません"),
	P("rule.subcontract_transition", "a % subcontract link cannot become %", "{1} の再委託は {2} にできません"),
	P("rule.subcontract_fixed", "scope, data shared and reason of an approved link are fixed; request a new link to change them",
	  "承認済みの再委託の範囲、共有データ、理由は変えられません。変えるには新たに申請してください"),
	P("rule.subcontract_new_status", "a new subcontract link is requested or, where the engagement allows it, approved",
	  "新しい再委託は申請中、または委託業務が認める場合は承認済みで始まります"),
	P("rule.subcontracting_prohibited", "engagement \"%\" prohibits subcontracting", "委託業務「{1}」は再委託を禁止しています"),
	P("rule.prior_approval", "engagement \"%\" requires prior approval: a link starts as requested",
	  "委託業務「{1}」は事前承認制です。再委託は申請中から始まります"),
	P("rule.parent_other_engagement", "the parent link belongs to another engagement", "親の再委託は別の委託業務のものです"),
	P("rule.parent_not_approved", "the parent link is %: only an approved link can have subcontractors",
	  "親の再委託は {1} です。再々委託先を持てるのは承認済みの再委託だけです"),
	P("rule.depth_exceeded", "depth % exceeds the maximum of % set on engagement \"%\"",
	  "深さ {1} は委託業務「{3}」で定めた上限 {2} を超えています"),
	P("rule.chain_loop_path", "the vendor already appears on this path: a chain cannot loop",
	  "この委託先はすでにこの経路にいます。委託の連鎖は循環できません"),
	P("rule.chain_loop_parent", "the vendor already subcontracts to its parent in this engagement: a chain cannot loop",
	  "この委託先はこの委託業務で親にすでに再委託しています。委託の連鎖は循環できません"),
	P("rule.confidentiality_exceeds", "confidentiality % exceeds the % level %", "機密性 {1} は{2}の水準 {3} を超えています"),
	P("rule.personal_data_not_handled", "personal data cannot be shared: the % does not handle any",
	  "個人データは共有できません。{1}は個人データを扱っていません"),
	P("rule.data_categories", "data categories must be among the parent link's (%)", "データの種類は親の再委託のもの（{1}）の中から選んでください"),
	P("rule.flow_down_missing", "flow-down confirmations missing: %", "義務の承継の確認が足りません: {1}"),
	P("rule.close_subtree", "links below a % link must be closed with it", "{1} の再委託の下にある再委託も一緒に終える必要があります"),
	P("rule.open_links_prohibit", "the engagement has open subcontract links: end or withdraw them before prohibiting subcontracting",
	  "委託業務に有効な再委託があります。再委託を禁止する前に終了するか取り下げてください"),
	P("rule.open_links_depth", "the engagement has open subcontract links down to depth %", "委託業務には深さ {1} までの有効な再委託があります"),
	P("rule.open_links_vendor", "the engagement has open subcontract links: its vendor cannot change",
	  "委託業務に有効な再委託があるため、委託先を変えられません"),
	P("rule.open_links_data", "open subcontract links share more data than the engagement would allow",
	  "有効な再委託が、委託業務が認める範囲を超えてデータを共有しています"),
	P("rule.link_other_vendor", "the subcontract link names another vendor or engagement", "再委託が別の委託先または委託業務を指しています"),
	P("rule.link_vendor_not_in_chain", "the vendor is neither the engagement's vendor nor a subcontractor in its chain",
	  "この委託先は委託業務の委託先でも、その連鎖の再委託先でもありません"),
	P("rule.link_vendor_not_approved", "the vendor is neither the engagement's vendor nor an approved subcontractor in its chain",
	  "この委託先は委託業務の委託先でも、その連鎖の承認済みの再委託先でもありません"),

	/* ---- rules: incidents ----------------------------------------------------------- */
	P("rule.incident_future", "incident times cannot be in the future", "事故の日時は未来にできません"),
	P("rule.incident_root_cause", "an incident is % only once its root cause is recorded", "原因を記録するまで事故を {1} にはできません"),
	P("rule.incident_close_final", "a PPC-reportable incident is closed only after its final report (確報) is filed",
	  "個人情報保護委員会への報告対象の事故は、確報を提出してから完了にしてください"),
	P("rule.incident_fixed", "where an incident happened and how it was filed are fixed once it is filed",
	  "事故の発生箇所と登録の経路は、登録後は変えられません"),
	P("rule.incident_link_detection", "an incident filed through a report link keeps the vendor's detection as the vendor's (detected_by vendor)",
	  "報告用リンクから登録された事故の検知は、委託先による検知（detected_by vendor）のままです"),
	P("rule.incident_vendor_notice", "when the vendor detected the incident, the time of its notice to us (reported_to_us_at) is needed: our clock starts there",
	  "委託先が事故を検知したときは、当社への通知日時（reported_to_us_at）が必要です。期限はそこから数えます"),
	P("rule.incident_notice_order", "the vendor's notice (%) cannot precede its own detection (%)",
	  "委託先の通知（{1}）は委託先自身の検知（{2}）より前にはできません"),
	P("rule.holiday_range", "the holiday calendar covers 2000 to 2099, not %", "祝日の暦は 2000 年から 2099 年までで、{1} 年は対象外です"),

	/* ---- risk reasons (vendor_risk) ----------------------------------------------------- */
	C("risk.personal_data", "engagement \"%s\" handles personal data", "委託業務「{1}」で個人データを扱います"),
	C("risk.personal_data_volume_100k", "about %s people's data (100,000 or more)", "約 {1} 人分のデータ（10 万人以上）"),
	C("risk.personal_data_volume_1k", "about %s people's data (1,000 or more)", "約 {1} 人分のデータ（1,000 人以上）"),
	C("risk.sensitive_personal_data", "sensitive personal data (要配慮個人情報) or individual numbers are handled",
	  "要配慮個人情報または個人番号を扱います"),
	C("risk.confidentiality", "confidentiality level %s", "機密性 {1}"),
	C("risk.data_custody", "category %s keeps or reaches our data on the vendor's side", "区分 {1} では委託先側で当社のデータを保管または扱います"),
	C("risk.foreign_location", "data kept outside Japan (%s): foreign law applies", "日本国外（{1}）にデータを置くため、外国の法令が適用されます"),
	C("risk.subcontracting_free", "subcontracting is allowed without prior approval", "事前承認なしの再委託を認めています"),
	C("risk.subcontracting_depth", "subcontracting allowed down to depth %s", "深さ {1} までの再委託を認めています"),
	C("risk.chain_high_tier", "subcontractor \"%s\" at depth %s of engagement \"%s\" is high risk%s",
	  "委託業務「{3}」の深さ {2} の再委託先「{1}」は高リスクです{4}"),
	C("risk.chain_unverified_never", "subcontractor \"%s\" at depth %s of engagement \"%s\" has never been assessed%s",
	  "委託業務「{3}」の深さ {2} の再委託先「{1}」は一度も評価されていません{4}"),
	C("risk.chain_unverified_action", "subcontractor \"%s\" at depth %s of engagement \"%s\" was last assessed as requiring action%s",
	  "委託業務「{3}」の深さ {2} の再委託先「{1}」は前回の評価で要是正とされました{4}"),
	C("risk.chain_unverified", "subcontractor \"%s\" at depth %s of engagement \"%s\" %s%s",
	  "委託業務「{3}」の深さ {2} の再委託先「{1}」は{4}{5}"),
	C("risk.chain_never_assessed", "has never been assessed", "一度も評価されていません"),
	C("risk.chain_action_required", "was last assessed as requiring action", "前回の評価で要是正とされました"),
	C("risk.chain_count", " (%s such subcontractors)", "（該当する再委託先は {1} 社）"),
	C("risk.no_current_engagement", "no current engagement", "現在の委託業務はありません"),
	C("risk.last_verdict_action", "the last assessment found that action is required (要是正)", "直近の評価で要是正と判定されました"),
	C("risk.last_verdict_watch", "the last assessment put the vendor under watch (経過観察)", "直近の評価で経過観察と判定されました"),
	C("risk.corporation_closed", "the corporation was closed on %s according to the corporate number register",
	  "法人番号公表サイトによると、この法人は {1} に閉鎖されています"),
	C("risk.no_certification", "no current ISMS, Privacy Mark, ISMAP, SOC 2 Type 2 or FedRAMP certification",
	  "有効な ISMS、プライバシーマーク、ISMAP、SOC 2 Type 2、FedRAMP の認証がありません"),
	C("risk.certification_scope_unverified", "a current certification exists but nobody has checked that its scope covers the outsourced work",
	  "有効な認証はありますが、その適用範囲が委託業務を含むことを誰も確認していません"),
	C("risk.certification_verified", "a current certification whose scope was checked to cover the outsourced work",
	  "適用範囲が委託業務を含むと確認した有効な認証があります"),

	/* ---- nouns that other texts carry as arguments ------------------------------------- */
	C("noun.vendor", "vendor", "委託先"),
	C("noun.engagement", "engagement", "委託業務"),
	C("noun.certification", "certification", "認証"),
	C("noun.handover", "handover", "受け渡し記録"),
	C("noun.subcontract", "subcontract link", "再委託"),
	C("noun.parent_link", "parent link", "親の再委託"),
	C("noun.engagements", "engagement's", "委託業務"),
	C("noun.parent_links", "parent link's", "親の再委託"),
	C("noun.report_link", "report link", "報告用リンク"),
	C("noun.webhook_subscription", "webhook subscription", "Webhook の購読"),
	C("noun.questionnaire_template", "questionnaire_template", "チェックシートのテンプレート"),
	C("noun.questionnaire_version", "questionnaire_version", "チェックシートの版"),
	C("noun.incident", "incident", "事故"),
	C("noun.api_key", "API key", "API キー"),
};

const size_t catalog_db_messages_count = sizeof(catalog_db_messages) / sizeof(catalog_db_messages[0]);
