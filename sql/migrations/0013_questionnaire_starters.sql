-- 0013_questionnaire_starters: the control catalogue and the four starter
-- check sheets (issue 16), and the starters loaded into existing tenants.
--
-- control_references: every control a question may cite (docs/questionnaires.md,
-- "Control references"), titles in our own words. sort orders the whole
-- catalogue: iso27001 1000+, nisc8 2000+, appi 3000+, nisc_handbook 4000+no,
-- scs 5000+. The nisc_handbook rows are the rows of outsourcing_measures (the
-- codes engagements list as required_measures); an unmatched English title
-- leaves title_en null and fails the migration on purpose.
--
-- questionnaire_starters: four sheets in the content format of
-- docs/questionnaires.md, each answerable by a small vendor in under 30
-- minutes (question counts include the conditional ones, which most vendors
-- never see):
--   basic_check            37  baseline: organisation, people, assets, access,
--                              physical, devices, subcontracting, incidents
--   nisc_eight             19  NISC 2023: the eight contract security items
--   appi_safety            24  APPI safeguards; the sheet applies only when
--                              personal data is handled
--   confidential_handling  18  handover, storage, subcontractors, return and
--                              erasure with proof
-- Then each existing tenant gets the starters it lacks, as published version 1,
-- by the same statement questionnaire_starters_load (sql/functions/
-- 70_questionnaires.sql) runs for a new tenant, written inline because
-- functions files are applied after the migrations.

insert into control_references (ref, framework, code, title_ja, title_en, sort)
select v.framework || ':' || v.code, v.framework, v.code, v.title_ja, v.title_en, v.sort
  from (values
    ('iso27001', '5.1', '情報セキュリティ方針', 'Security policies', 1001),
    ('iso27001', '5.2', 'セキュリティの役割と責任', 'Security roles and responsibilities', 1002),
    ('iso27001', '5.3', '職務の分離', 'Segregation of duties', 1003),
    ('iso27001', '5.4', '経営陣の責任', 'Management responsibilities', 1004),
    ('iso27001', '5.5', '関係当局との連絡', 'Contact with authorities', 1005),
    ('iso27001', '5.6', '専門組織との連絡', 'Contact with special interest groups', 1006),
    ('iso27001', '5.7', '脅威情報の収集と活用', 'Threat intelligence', 1007),
    ('iso27001', '5.8', 'プロジェクト管理でのセキュリティ', 'Security in project management', 1008),
    ('iso27001', '5.9', '情報資産の目録', 'Inventory of information and assets', 1009),
    ('iso27001', '5.10', '情報資産の利用ルール', 'Acceptable use of assets', 1010),
    ('iso27001', '5.11', '資産の返却', 'Return of assets', 1011),
    ('iso27001', '5.12', '情報の分類', 'Classification of information', 1012),
    ('iso27001', '5.13', '情報のラベル付け', 'Labelling of information', 1013),
    ('iso27001', '5.14', '情報の受け渡し', 'Information transfer', 1014),
    ('iso27001', '5.15', 'アクセス制御', 'Access control', 1015),
    ('iso27001', '5.16', '識別情報の管理', 'Identity management', 1016),
    ('iso27001', '5.17', '認証情報の管理', 'Authentication information', 1017),
    ('iso27001', '5.18', 'アクセス権の管理', 'Access rights', 1018),
    ('iso27001', '5.19', '供給者との関係におけるセキュリティ', 'Security in supplier relationships', 1019),
    ('iso27001', '5.20', '供給者との契約に盛り込むセキュリティ', 'Security in supplier agreements', 1020),
    ('iso27001', '5.21', 'ICT サプライチェーンのセキュリティ', 'ICT supply chain security', 1021),
    ('iso27001', '5.22', '供給者サービスの監視・レビュー・変更管理', 'Monitoring, review and change of supplier services', 1022),
    ('iso27001', '5.23', 'クラウドサービス利用のセキュリティ', 'Security of cloud service use', 1023),
    ('iso27001', '5.24', 'インシデント管理の計画と準備', 'Incident management planning and preparation', 1024),
    ('iso27001', '5.25', 'セキュリティ事象の評価と判断', 'Assessing security events', 1025),
    ('iso27001', '5.26', 'インシデントへの対応', 'Responding to incidents', 1026),
    ('iso27001', '5.27', 'インシデントからの学習', 'Learning from incidents', 1027),
    ('iso27001', '5.28', '証拠の収集', 'Collection of evidence', 1028),
    ('iso27001', '5.29', '事業中断時のセキュリティ', 'Security during disruption', 1029),
    ('iso27001', '5.30', '事業継続のための ICT の備え', 'ICT readiness for business continuity', 1030),
    ('iso27001', '5.31', '法令・規制・契約上の要求事項', 'Legal, regulatory and contractual requirements', 1031),
    ('iso27001', '5.32', '知的財産権', 'Intellectual property rights', 1032),
    ('iso27001', '5.33', '記録の保護', 'Protection of records', 1033),
    ('iso27001', '5.34', 'プライバシーと個人情報の保護', 'Privacy and protection of personal data', 1034),
    ('iso27001', '5.35', 'セキュリティの独立したレビュー', 'Independent security review', 1035),
    ('iso27001', '5.36', '方針・規則・基準への適合', 'Compliance with security policies and rules', 1036),
    ('iso27001', '5.37', '操作手順の文書化', 'Documented operating procedures', 1037),
    ('iso27001', '6.1', '採用前の審査', 'Screening', 1038),
    ('iso27001', '6.2', '雇用条件', 'Terms of employment', 1039),
    ('iso27001', '6.3', '意識向上・教育・訓練', 'Awareness, education and training', 1040),
    ('iso27001', '6.4', '懲戒手続', 'Disciplinary process', 1041),
    ('iso27001', '6.5', '退職・異動後の責任', 'Duties after leaving or changing role', 1042),
    ('iso27001', '6.6', '秘密保持契約', 'Confidentiality agreements', 1043),
    ('iso27001', '6.7', 'リモートワーク', 'Remote working', 1044),
    ('iso27001', '6.8', 'セキュリティ事象の報告', 'Reporting security events', 1045),
    ('iso27001', '7.1', '物理的な境界', 'Physical security perimeters', 1046),
    ('iso27001', '7.2', '入退室の管理', 'Physical entry', 1047),
    ('iso27001', '7.3', '執務室・部屋・施設の保護', 'Securing offices, rooms and facilities', 1048),
    ('iso27001', '7.4', '物理的な監視', 'Physical security monitoring', 1049),
    ('iso27001', '7.5', '物理的・環境的な脅威からの保護', 'Protection against physical and environmental threats', 1050),
    ('iso27001', '7.6', 'セキュリティ区域での作業', 'Working in secure areas', 1051),
    ('iso27001', '7.7', 'クリアデスク・クリアスクリーン', 'Clear desk and clear screen', 1052),
    ('iso27001', '7.8', '装置の設置と保護', 'Equipment siting and protection', 1053),
    ('iso27001', '7.9', '構外にある資産のセキュリティ', 'Security of assets off premises', 1054),
    ('iso27001', '7.10', '記憶媒体', 'Storage media', 1055),
    ('iso27001', '7.11', '電源などの供給設備', 'Supporting utilities', 1056),
    ('iso27001', '7.12', '配線のセキュリティ', 'Cabling security', 1057),
    ('iso27001', '7.13', '装置の保守', 'Equipment maintenance', 1058),
    ('iso27001', '7.14', '装置の安全な処分・再利用', 'Secure disposal or re-use of equipment', 1059),
    ('iso27001', '8.1', '利用者の端末', 'User endpoint devices', 1060),
    ('iso27001', '8.2', '特権的アクセス権', 'Privileged access rights', 1061),
    ('iso27001', '8.3', '情報へのアクセス制限', 'Restricting access to information', 1062),
    ('iso27001', '8.4', 'ソースコードへのアクセス', 'Access to source code', 1063),
    ('iso27001', '8.5', '安全な認証', 'Secure authentication', 1064),
    ('iso27001', '8.6', '容量・能力の管理', 'Capacity management', 1065),
    ('iso27001', '8.7', 'マルウェア対策', 'Protection against malware', 1066),
    ('iso27001', '8.8', '技術的脆弱性の管理', 'Technical vulnerability management', 1067),
    ('iso27001', '8.9', '構成管理', 'Configuration management', 1068),
    ('iso27001', '8.10', '情報の削除', 'Deletion of information', 1069),
    ('iso27001', '8.11', 'データマスキング', 'Data masking', 1070),
    ('iso27001', '8.12', 'データ漏えいの防止', 'Data leakage prevention', 1071),
    ('iso27001', '8.13', 'バックアップ', 'Information backup', 1072),
    ('iso27001', '8.14', '情報処理施設の冗長化', 'Redundancy of processing facilities', 1073),
    ('iso27001', '8.15', 'ログの取得', 'Logging', 1074),
    ('iso27001', '8.16', '監視', 'Monitoring activities', 1075),
    ('iso27001', '8.17', '時刻同期', 'Clock synchronisation', 1076),
    ('iso27001', '8.18', '特権的なユーティリティの使用', 'Use of privileged utility programs', 1077),
    ('iso27001', '8.19', '稼働中のシステムへのソフトウェア導入', 'Software installation on operational systems', 1078),
    ('iso27001', '8.20', 'ネットワークのセキュリティ', 'Network security', 1079),
    ('iso27001', '8.21', 'ネットワークサービスのセキュリティ', 'Security of network services', 1080),
    ('iso27001', '8.22', 'ネットワークの分離', 'Network segregation', 1081),
    ('iso27001', '8.23', 'ウェブフィルタリング', 'Web filtering', 1082),
    ('iso27001', '8.24', '暗号の利用', 'Use of cryptography', 1083),
    ('iso27001', '8.25', '安全な開発ライフサイクル', 'Secure development life cycle', 1084),
    ('iso27001', '8.26', 'アプリケーションのセキュリティ要件', 'Application security requirements', 1085),
    ('iso27001', '8.27', '安全なシステム設計の原則', 'Secure system architecture and engineering', 1086),
    ('iso27001', '8.28', 'セキュアコーディング', 'Secure coding', 1087),
    ('iso27001', '8.29', '開発・受入れ時のセキュリティテスト', 'Security testing in development and acceptance', 1088),
    ('iso27001', '8.30', '外部委託による開発', 'Outsourced development', 1089),
    ('iso27001', '8.31', '開発・テスト・本番環境の分離', 'Separation of development, test and production', 1090),
    ('iso27001', '8.32', '変更管理', 'Change management', 1091),
    ('iso27001', '8.33', 'テスト用の情報', 'Test information', 1092),
    ('iso27001', '8.34', '監査テスト中のシステム保護', 'Protecting systems during audit testing', 1093),
    ('nisc8', '1', 'インシデントへの対処能力の確立と維持', 'Establish and maintain the ability to handle incidents', 2001),
    ('nisc8', '2', 'アクセスする者の識別とアクセス制御', 'Identify who accesses information and control access', 2002),
    ('nisc8', '3', 'ログの取得と監視', 'Collect and monitor logs', 2003),
    ('nisc8', '4', '情報を扱う機器等の物理的保護', 'Physically protect equipment handling information', 2004),
    ('nisc8', '5', '情報を扱う要員への周知と統制', 'Inform and control the staff handling information', 2005),
    ('nisc8', '6', '資産の管理とリスク評価', 'Manage assets and assess risks', 2006),
    ('nisc8', '7', '情報とシステムの完全性の保護', 'Protect the integrity of information and systems', 2007),
    ('nisc8', '8', '対策の検証・評価・見直し', 'Verify, evaluate and review the measures', 2008),
    ('appi', 'organizational', '組織的安全管理措置', 'Organisational safeguards', 3001),
    ('appi', 'human', '人的安全管理措置', 'Human safeguards', 3002),
    ('appi', 'physical', '物理的安全管理措置', 'Physical safeguards', 3003),
    ('appi', 'technical', '技術的安全管理措置', 'Technical safeguards', 3004),
    ('appi', 'external_environment', '外的環境の把握', 'Understanding the foreign environment', 3005),
    ('scs', 'star3.governance', '★3 ガバナンスの整備', '★3 Governance', 5001),
    ('scs', 'star3.supplier_management', '★3 取引先の管理', '★3 Supplier management', 5002),
    ('scs', 'star3.risk_identification', '★3 リスクの特定', '★3 Risk identification', 5003),
    ('scs', 'star3.protection', '★3 攻撃等の防御', '★3 Protection', 5004),
    ('scs', 'star3.detection', '★3 攻撃等の検知', '★3 Detection', 5005),
    ('scs', 'star3.response', '★3 インシデントへの対応', '★3 Incident response', 5006),
    ('scs', 'star3.recovery', '★3 インシデントからの復旧', '★3 Recovery', 5007),
    ('scs', 'star4.governance', '★4 ガバナンスの整備', '★4 Governance', 5011),
    ('scs', 'star4.supplier_management', '★4 取引先の管理', '★4 Supplier management', 5012),
    ('scs', 'star4.risk_identification', '★4 リスクの特定', '★4 Risk identification', 5013),
    ('scs', 'star4.protection', '★4 攻撃等の防御', '★4 Protection', 5014),
    ('scs', 'star4.detection', '★4 攻撃等の検知', '★4 Detection', 5015),
    ('scs', 'star4.response', '★4 インシデントへの対応', '★4 Incident response', 5016),
    ('scs', 'star4.recovery', '★4 インシデントからの復旧', '★4 Recovery', 5017)
  ) as v(framework, code, title_ja, title_en, sort);

insert into control_references (ref, framework, code, title_ja, title_en, sort)
select 'nisc_handbook:' || m.code, 'nisc_handbook', m.code, m.title, e.title_en, 4000 + m.no
  from outsourcing_measures m
  left join (values
    ('security_organisation', 'Organisation for information security'),
    ('confidentiality', 'Confidentiality of the information handled, no use beyond the purpose'),
    ('security_functions', 'Security functions built into the system'),
    ('operation_security', 'Security in operation, maintenance and inspection'),
    ('vulnerability_management', 'Countermeasures against vulnerabilities'),
    ('other_assets_protection', 'Protecting the outsourcer''s other information assets'),
    ('service_levels', 'Service levels for security'),
    ('incident_response', 'Handling a security breach'),
    ('compliance_checks', 'Checking that the measures are carried out'),
    ('security_audit', 'Security audits'),
    ('remediation', 'Action when the measures fall short'),
    ('delegated_documents', 'Matters left to confirmation documents'),
    ('subcontracting', 'Subcontracting')
  ) as e(code, title_en) on e.code = m.code
 order by m.no;

insert into questionnaire_starters (key, name, name_en, description, content, sort) values
('basic_check', '委託先 基本チェック', 'Vendor baseline check',
 '委託先の情報セキュリティ全般（組織、人、情報資産、アクセス制御、物理、端末、再委託、事故対応）を年次で確認する標準シート。再委託・国外保管・委託区分に応じて設問が絞られ、ISMS 認証の範囲が確認できれば一部の設問は免除されます。小規模な委託先でも 30 分以内で回答できる分量です。

Standard yearly sheet covering a vendor''s overall security (organisation, people, assets, access control, physical, devices, subcontracting, incidents). Questions narrow with subcontracting, data outside Japan and the outsourcing category; some are exempt under a verified ISMS scope. A small vendor can answer it in under 30 minutes.',
 $json$
{
  "thresholds": {
    "watch": 60,
    "no_issues": 80
  },
  "scale_scores": {
    "no": 0,
    "yes": 1,
    "partially": 0.5
  },
  "sections": [
    {
      "code": "ORG",
      "title_ja": "組織・方針",
      "title_en": "Organisation and policy",
      "weight": 1,
      "questions": [
        {
          "code": "ORG-01",
          "text_ja": "情報セキュリティの基本方針を文書にし、経営者の承認を得て、全従業者に知らせていますか。",
          "text_en": "Is there a written information security policy, approved by management and made known to all staff?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "exemptions": [
            {
              "certification": "isms",
              "explanation_en": "Exempt when a valid ISMS certificate whose verified scope covers the departments and sites doing this work is held (an ISMS audit checks this)",
              "explanation_ja": "本業務を行う部署・拠点を適用範囲に含む有効な ISMS 認証があり、その範囲を確認済みであれば免除（ISMS の審査で確認される事項のため）",
              "scope_verified": true
            }
          ],
          "controls": [
            "iso27001:5.1",
            "iso27001:5.4",
            "nisc_handbook:security_organisation",
            "scs:star3.governance"
          ],
          "remediation_ja": "基本方針を文書化し、経営者が承認した上で、全従業者に配布・説明してください。",
          "remediation_en": "Write the policy down, have management approve it, and hand it out and explain it to all staff."
        },
        {
          "code": "ORG-02",
          "text_ja": "情報セキュリティの責任者を任命し、その役割と委託元からの連絡先を決めていますか。",
          "text_en": "Has someone been appointed as responsible for information security, with a defined role and a contact point for the client?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.2",
            "nisc_handbook:security_organisation",
            "nisc8:1",
            "scs:star3.governance"
          ],
          "remediation_ja": "責任者を任命し、役割と連絡先を文書にして委託元に届け出てください。",
          "remediation_en": "Appoint a person in charge, write down the role and contact details, and give them to the client."
        },
        {
          "code": "ORG-03",
          "text_ja": "規程や手順が守られているかを、年 1 回以上、内部点検または監査で確かめていますか。",
          "text_en": "Do you check at least once a year, by internal review or audit, that your rules and procedures are followed?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "exemptions": [
            {
              "certification": "isms",
              "explanation_en": "Exempt when a valid ISMS certificate whose verified scope covers the departments and sites doing this work is held (an ISMS audit checks this)",
              "explanation_ja": "本業務を行う部署・拠点を適用範囲に含む有効な ISMS 認証があり、その範囲を確認済みであれば免除（ISMS の審査で確認される事項のため）",
              "scope_verified": true
            }
          ],
          "controls": [
            "iso27001:5.35",
            "iso27001:5.36",
            "nisc_handbook:compliance_checks",
            "nisc8:8",
            "scs:star3.governance"
          ],
          "remediation_ja": "年 1 回以上の点検計画を立てて実施し、見つかった不備の是正を記録してください。",
          "remediation_en": "Plan and carry out a review at least yearly and record how each gap found was fixed."
        },
        {
          "code": "ORG-04",
          "text_ja": "現在有効な第三者認証・報告書をすべて選んでください。",
          "text_en": "Select every third-party certification or report you currently hold.",
          "help_ja": "回答は評価点に含みません。認証があっても、本業務を行う部署が対象外のことがあります。",
          "help_en": "Not scored. A certificate may not cover the department doing this work.",
          "answer_type": "multiple_choice",
          "choices": [
            {
              "code": "ISMS",
              "score": null,
              "label_en": "ISMS (ISO/IEC 27001)",
              "label_ja": "ISMS（ISO/IEC 27001）"
            },
            {
              "code": "ISMS_CLOUD",
              "score": null,
              "label_en": "ISMS cloud security (ISO/IEC 27017)",
              "label_ja": "ISMS クラウドセキュリティ（ISO/IEC 27017）"
            },
            {
              "code": "PRIVACY_MARK",
              "score": null,
              "label_en": "PrivacyMark",
              "label_ja": "プライバシーマーク"
            },
            {
              "code": "ISMAP",
              "score": null,
              "label_en": "ISMAP",
              "label_ja": "ISMAP"
            },
            {
              "code": "SOC2",
              "score": null,
              "label_en": "SOC 2 report",
              "label_ja": "SOC2 報告書"
            },
            {
              "code": "OTHER",
              "score": null,
              "label_en": "Another certification",
              "label_ja": "その他の認証"
            },
            {
              "code": "NONE",
              "score": null,
              "label_en": "None",
              "label_ja": "取得していない"
            }
          ],
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false
        },
        {
          "code": "ORG-05",
          "text_ja": "その認証の適用範囲に、本業務を行う部署と拠点が含まれていますか。",
          "text_en": "Does the scope of that certification include the departments and sites that do this work?",
          "help_ja": "認証書の「適用範囲」の記載を確認してください。ISMS は ISMS-AC のウェブサイトで登録範囲を確認できます。",
          "help_en": "Check the scope statement on the certificate; for ISMS the registered scope can be looked up on the ISMS-AC website.",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "ISMS",
              "ISMS_CLOUD",
              "PRIVACY_MARK",
              "ISMAP",
              "SOC2",
              "OTHER"
            ],
            "question": "ORG-04"
          },
          "controls": [
            "iso27001:5.19",
            "scs:star3.supplier_management"
          ],
          "remediation_ja": "適用範囲に本業務を含めるよう認証範囲を拡大するか、範囲外であることを委託元に伝え、個別の確認を受けてください。",
          "remediation_en": "Extend the scope to cover this work, or tell the client it is outside the scope and have it checked separately."
        },
        {
          "code": "ORG-06",
          "text_ja": "認証書または報告書の写し（適用範囲の記載があるページを含む）を添付してください。",
          "text_en": "Attach a copy of the certificate or report, including the page that states its scope.",
          "answer_type": "file",
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "ISMS",
              "ISMS_CLOUD",
              "PRIVACY_MARK",
              "ISMAP",
              "SOC2",
              "OTHER"
            ],
            "question": "ORG-04"
          }
        }
      ]
    },
    {
      "code": "PPL",
      "title_ja": "人的対策",
      "title_en": "People",
      "weight": 1,
      "questions": [
        {
          "code": "PPL-01",
          "text_ja": "派遣社員や業務委託の要員を含む全従業者と、在職中と退職後の秘密保持義務を書面で取り決めていますか。",
          "text_en": "Have all staff, including agency and contract workers, agreed in writing to keep information confidential during and after their employment?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "when_yes",
          "knockout": true,
          "controls": [
            "iso27001:6.2",
            "iso27001:6.6",
            "nisc8:5"
          ],
          "remediation_ja": "就業規則または誓約書に退職後も続く秘密保持義務を定め、全従業者から署名を得てください。",
          "remediation_en": "Put a confidentiality duty that survives departure into the work rules or a pledge, and have every staff member sign it."
        },
        {
          "code": "PPL-02",
          "text_ja": "情報セキュリティ教育を、入社時と年 1 回以上行い、受講記録を残していますか。",
          "text_en": "Do you give security training on joining and at least once a year, and keep attendance records?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:6.3",
            "nisc8:5",
            "scs:star3.governance"
          ],
          "remediation_ja": "年間の教育計画を立て、全従業者の受講を記録し、未受講者をフォローしてください。",
          "remediation_en": "Set a yearly training plan, record attendance for every staff member, and follow up on those who missed it."
        },
        {
          "code": "PPL-03",
          "text_ja": "直近に全従業者向けの情報セキュリティ教育を行った日を入力してください。",
          "text_en": "Enter the date of the most recent security training for all staff.",
          "answer_type": "date",
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "yes",
              "partially"
            ],
            "question": "PPL-02"
          }
        },
        {
          "code": "PPL-04",
          "text_ja": "退職・異動の際に、アカウントの停止と、貸与物や業務情報の返却を確認していますか。",
          "text_en": "When someone leaves or changes role, do you disable their accounts and confirm that equipment and work information are returned?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.11",
            "iso27001:5.18",
            "iso27001:6.5"
          ],
          "remediation_ja": "退職・異動時のチェックリスト（アカウント停止、貸与物と情報の返却）を作り、完了を記録してください。",
          "remediation_en": "Use a leaver/mover checklist (accounts disabled, equipment and information returned) and record its completion."
        },
        {
          "code": "PPL-05",
          "text_ja": "本業務に従事する要員を名簿で管理し、交代があれば委託元に知らせていますか。",
          "text_en": "Do you keep a list of the staff assigned to this work and tell the client when it changes?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.9",
            "nisc8:5",
            "nisc_handbook:security_organisation"
          ],
          "remediation_ja": "従事者名簿を作り、要員の追加・交代の都度更新して委託元に通知してください。",
          "remediation_en": "Keep a roster of the assigned staff, update it on every change, and notify the client."
        }
      ]
    },
    {
      "code": "AST",
      "title_ja": "情報資産の管理",
      "title_en": "Information assets",
      "weight": 1,
      "questions": [
        {
          "code": "AST-01",
          "text_ja": "委託元から預かった情報を台帳に記録し、自社の他の情報と区別して管理していますか。",
          "text_en": "Do you record the client's information in a register and keep it apart from your other information?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.9",
            "iso27001:5.12",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "預かった情報の台帳（内容・保管場所・管理者）を作り、保管場所やフォルダを分けてください。",
          "remediation_en": "Keep a register of the client's information (what, where, who is in charge) and store it in separate places or folders."
        },
        {
          "code": "AST-02",
          "text_ja": "情報の重要度に応じて、複製・持出し・送信・廃棄のルールを定めていますか。",
          "text_en": "Do you have rules for copying, taking out, sending and disposing of information according to its sensitivity?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.10",
            "iso27001:5.12",
            "iso27001:5.14",
            "nisc8:6"
          ],
          "remediation_ja": "情報の区分（例：公開・社内・機密）を決め、区分ごとの取扱いルールを定めて周知してください。",
          "remediation_en": "Define classes of information (e.g. public, internal, confidential) and handling rules for each, and make them known."
        },
        {
          "code": "AST-03",
          "text_ja": "委託元のデータを定期的にバックアップし、復元できることを確かめていますか。",
          "text_en": "Do you back up the client's data regularly and check that it can be restored?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "operation_remote",
                  "datacenter",
                  "asp_saas",
                  "data_processing"
                ]
              }
            ],
            "explanation_en": "Only when the vendor's systems store or process the client's data (remote operation, data centre, ASP/SaaS, data processing)",
            "explanation_ja": "委託先のシステムで委託元のデータを保管・処理する委託（リモート運用、データセンター、ASP・SaaS、データ処理）のみ"
          },
          "controls": [
            "iso27001:8.13",
            "nisc8:7",
            "scs:star3.recovery"
          ],
          "remediation_ja": "バックアップの対象・頻度・保管先を決め、少なくとも年 1 回は復元の試験を行ってください。",
          "remediation_en": "Decide what is backed up, how often and where, and test a restore at least once a year."
        },
        {
          "code": "AST-04",
          "text_ja": "日本国外でデータを保管・処理する場合、その国を委託元に知らせ、現地の法制度（政府によるデータ開示の要求など）を把握していますか。",
          "text_en": "Where data is stored or processed outside Japan, have you told the client which countries and do you understand the local laws (such as government access to data)?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "data_outside_jp",
                "equals": true
              }
            ],
            "explanation_en": "Only when data is stored or processed outside Japan",
            "explanation_ja": "データの保管・処理場所に日本国外が含まれる委託のみ"
          },
          "controls": [
            "iso27001:5.31",
            "iso27001:5.34",
            "appi:external_environment"
          ],
          "remediation_ja": "データの所在国を一覧にして委託元に通知し、各国の個人情報保護や政府アクセスの制度を確認して、必要な対策を講じてください。",
          "remediation_en": "List the countries where data is held, notify the client, review each country's data protection and government-access laws, and take the measures needed."
        }
      ]
    },
    {
      "code": "ACC",
      "title_ja": "アクセス制御",
      "title_en": "Access control",
      "weight": 1.5,
      "questions": [
        {
          "code": "ACC-01",
          "text_ja": "利用者ごとに個別の ID を割り当て、ID の共用を禁止していますか。",
          "text_en": "Does every user have their own ID, with shared IDs forbidden?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.16",
            "iso27001:5.17",
            "nisc8:2"
          ],
          "remediation_ja": "共用 ID を廃止し、利用者ごとに ID を発行してください。やむを得ない共用 ID は利用者と利用時刻を記録してください。",
          "remediation_en": "Retire shared IDs and give each user their own; where a shared ID cannot be avoided, log who used it and when."
        },
        {
          "code": "ACC-02",
          "text_ja": "業務に必要な人だけに必要な権限を与え、年 1 回以上、権限を見直していますか。",
          "text_en": "Do only the people who need it get access, with only the rights they need, reviewed at least once a year?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.15",
            "iso27001:5.18",
            "iso27001:8.3",
            "nisc8:2",
            "scs:star3.protection"
          ],
          "remediation_ja": "権限の一覧を作り、年 1 回以上見直して不要な権限を削除してください。",
          "remediation_en": "Keep a list of access rights, review it at least yearly, and remove what is no longer needed."
        },
        {
          "code": "ACC-03",
          "text_ja": "管理者権限を持つ人を最小限にし、管理者の操作の記録を残していますか。",
          "text_en": "Do you keep administrator rights to a minimum and log what administrators do?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:8.2",
            "iso27001:8.15",
            "nisc8:2",
            "nisc8:3",
            "scs:star4.protection"
          ],
          "remediation_ja": "管理者権限の保有者を見直して最小限にし、管理者操作のログを取得・保管してください。",
          "remediation_en": "Cut the number of administrators to the minimum and collect and keep logs of administrative actions."
        },
        {
          "code": "ACC-04",
          "text_ja": "社外から業務システムやクラウドサービスに接続するとき、多要素認証を使っていますか。",
          "text_en": "Is multi-factor authentication used when work systems or cloud services are reached from outside the office?",
          "help_ja": "多要素認証：パスワードに加え、スマートフォンのアプリやワンタイムコードなど別の要素で本人を確認する方式です。",
          "help_en": "Multi-factor authentication: besides the password, another factor such as a phone app or one-time code confirms the user.",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:8.5",
            "nisc8:2",
            "scs:star3.protection"
          ],
          "remediation_ja": "リモート接続とクラウドサービスのログインに多要素認証を設定してください。",
          "remediation_en": "Turn on multi-factor authentication for remote access and for cloud service sign-ins."
        },
        {
          "code": "ACC-05",
          "text_ja": "パスワードは推測されにくい十分な長さとし、初期パスワードは必ず変更させていますか。",
          "text_en": "Must passwords be long and hard to guess, and must initial passwords always be changed?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.17",
            "iso27001:8.5",
            "nisc8:2"
          ],
          "remediation_ja": "パスワードの長さと複雑さの基準を定めてシステムで強制し、初回ログイン時の変更を必須にしてください。",
          "remediation_en": "Set and enforce a length and complexity rule in your systems and require a change at first sign-in."
        }
      ]
    },
    {
      "code": "PHY",
      "title_ja": "物理的対策",
      "title_en": "Physical security",
      "weight": 1,
      "questions": [
        {
          "code": "PHY-01",
          "text_ja": "委託元の情報を扱う場所を決め、入室できる人を限定し、入退室を記録していますか。",
          "text_en": "Have you defined where the client's information is handled, limited who may enter, and recorded entries and exits?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:7.1",
            "iso27001:7.2",
            "nisc8:4"
          ],
          "remediation_ja": "作業区域を決め、IC カードや施錠で入室者を限定し、入退室の記録を残してください。",
          "remediation_en": "Define the work area, restrict entry with key cards or locks, and keep a record of entries and exits."
        },
        {
          "code": "PHY-02",
          "text_ja": "書類・記録媒体・ノート PC を施錠保管し、離席時に机上や画面に情報を残さないようにしていますか。",
          "text_en": "Are papers, media and laptops locked away, and are desks and screens left clear when people step away?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:7.7",
            "iso27001:7.10",
            "nisc8:4"
          ],
          "remediation_ja": "施錠できる保管庫を用意し、クリアデスク・画面ロックのルールを定めて点検してください。",
          "remediation_en": "Provide lockable storage, set clear-desk and screen-lock rules, and check they are followed."
        }
      ]
    },
    {
      "code": "DEV",
      "title_ja": "端末・システム",
      "title_en": "Devices and systems",
      "weight": 1.5,
      "questions": [
        {
          "code": "DEV-01",
          "text_ja": "PC・サーバ・スマートフォンの OS やソフトウェアの更新を、速やかに適用していますか。",
          "text_en": "Are operating system and software updates applied promptly on PCs, servers and phones?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:8.8",
            "nisc8:6",
            "nisc8:7",
            "nisc_handbook:vulnerability_management",
            "scs:star3.protection"
          ],
          "remediation_ja": "自動更新を有効にし、適用状況を月 1 回以上確認してください。サポートの切れた製品は更新してください。",
          "remediation_en": "Turn on automatic updates, check their status at least monthly, and replace products that are out of support."
        },
        {
          "code": "DEV-02",
          "text_ja": "すべての PC とサーバにマルウェア対策ソフトを入れ、定義ファイルを最新にしていますか。",
          "text_en": "Do all PCs and servers run anti-malware software with up-to-date definitions?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:8.7",
            "nisc8:7",
            "scs:star3.protection",
            "scs:star3.detection"
          ],
          "remediation_ja": "全端末にマルウェア対策ソフトを導入し、定義ファイルの自動更新と検知時の報告手順を定めてください。",
          "remediation_en": "Install anti-malware on every device, update definitions automatically, and set a procedure for reporting detections."
        },
        {
          "code": "DEV-03",
          "text_ja": "ノート PC・スマートフォン・USB メモリなど持ち運ぶ機器を暗号化していますか。",
          "text_en": "Are laptops, phones, USB sticks and other portable devices encrypted?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:7.9",
            "iso27001:8.1",
            "iso27001:8.24"
          ],
          "remediation_ja": "持ち運ぶ機器のストレージ暗号化を有効にし、紛失時の連絡手順を定めてください。",
          "remediation_en": "Enable storage encryption on portable devices and set a procedure for reporting a loss."
        },
        {
          "code": "DEV-04",
          "text_ja": "私物の PC・スマートフォン・記録媒体の業務利用を、禁止または許可制にしていますか。",
          "text_en": "Is the use of personal PCs, phones and storage media for work forbidden or allowed only with approval?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:6.7",
            "iso27001:7.10",
            "iso27001:8.1"
          ],
          "remediation_ja": "私物機器の業務利用を原則禁止とし、例外は申請・承認と最低限の対策を条件にしてください。",
          "remediation_en": "Forbid personal devices for work by default; allow exceptions only with approval and minimum safeguards."
        },
        {
          "code": "DEV-05",
          "text_ja": "ファイアウォール等で、業務で使う通信以外を遮断していますか。",
          "text_en": "Do firewalls or similar controls allow only the network traffic the work needs?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:8.20",
            "iso27001:8.22",
            "nisc8:7",
            "scs:star3.protection"
          ],
          "remediation_ja": "インターネットとの境界にファイアウォールを置き、不要な通信やポートを閉じてください。",
          "remediation_en": "Put a firewall at the internet boundary and close traffic and ports that are not needed."
        },
        {
          "code": "DEV-06",
          "text_ja": "委託元のネットワークやシステムに接続する端末は、委託元が認めた端末（貸与端末など）に限っていますか。",
          "text_en": "Are only devices the client has approved (such as devices it lends) used to connect to the client's network or systems?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "system_build",
                  "operation_onsite",
                  "operation_remote",
                  "maintenance"
                ]
              }
            ],
            "explanation_en": "Only when the vendor's staff work in the client's environment (system build, operation, maintenance)",
            "explanation_ja": "委託先の要員が委託元の環境で作業する委託（システム構築、運用、保守）のみ"
          },
          "controls": [
            "iso27001:5.20",
            "iso27001:8.1",
            "nisc_handbook:other_assets_protection"
          ],
          "remediation_ja": "接続する端末を委託元と取り決め、承認されていない端末からの接続を禁止してください。",
          "remediation_en": "Agree with the client which devices may connect and forbid connections from any other device."
        }
      ]
    },
    {
      "code": "SUB",
      "title_ja": "再委託",
      "title_en": "Subcontracting",
      "weight": 1,
      "applicability": {
        "all": [
          {
            "fact": "subcontracting_allowed",
            "equals": true
          }
        ],
        "explanation_en": "Only when the engagement does not prohibit subcontracting",
        "explanation_ja": "再委託を禁止していない委託のみ"
      },
      "questions": [
        {
          "code": "SUB-01",
          "text_ja": "本業務の全部または一部を再委託していますか（予定を含む）。",
          "text_en": "Do you subcontract all or part of this work (or plan to)?",
          "answer_type": "single_choice",
          "choices": [
            {
              "code": "YES",
              "score": null,
              "label_en": "Yes, or planned",
              "label_ja": "再委託している・予定がある"
            },
            {
              "code": "NO",
              "score": null,
              "label_en": "No",
              "label_ja": "再委託しない"
            }
          ],
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false
        },
        {
          "code": "SUB-02",
          "text_ja": "再委託の前に、委託元の書面による承認を得ていますか。",
          "text_en": "Do you obtain the client's written approval before subcontracting?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "depends_on": {
            "any_of": [
              "YES"
            ],
            "question": "SUB-01"
          },
          "controls": [
            "iso27001:5.19",
            "iso27001:5.21",
            "nisc_handbook:subcontracting",
            "scs:star3.supplier_management"
          ],
          "remediation_ja": "再委託の理由・内容・再委託先を書面で委託元に示し、承認を得るまで再委託しないでください。",
          "remediation_en": "Send the client the reason, scope and subcontractor in writing, and do not subcontract until it approves."
        },
        {
          "code": "SUB-03",
          "text_ja": "再委託先と、自社が委託元に負うのと同等の秘密保持・安全管理の義務を書面で取り決めていますか。",
          "text_en": "Have you bound the subcontractor in writing to confidentiality and security duties equal to yours towards the client?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "YES"
            ],
            "question": "SUB-01"
          },
          "controls": [
            "iso27001:5.20",
            "iso27001:5.21",
            "nisc_handbook:subcontracting",
            "scs:star3.supplier_management"
          ],
          "remediation_ja": "再委託契約に、本契約と同等の秘密保持・安全管理・事故報告・監査の条項を入れてください。",
          "remediation_en": "Put confidentiality, security, incident reporting and audit clauses equal to this contract into the subcontract."
        },
        {
          "code": "SUB-04",
          "text_ja": "再委託先の対策状況を定期的に確認し、その結果を委託元に報告していますか。",
          "text_en": "Do you check the subcontractor's security regularly and report the result to the client?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "YES"
            ],
            "question": "SUB-01"
          },
          "controls": [
            "iso27001:5.22",
            "nisc_handbook:compliance_checks",
            "scs:star4.supplier_management"
          ],
          "remediation_ja": "再委託先に年 1 回以上チェックシートへの回答や報告を求め、結果を委託元に共有してください。",
          "remediation_en": "Have the subcontractor answer a check sheet or report at least yearly and share the result with the client."
        },
        {
          "code": "SUB-05",
          "text_ja": "再委託先の名称、所在国、担当する作業を記入してください。",
          "text_en": "Give each subcontractor's name, country and the work it does.",
          "answer_type": "text",
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "YES"
            ],
            "question": "SUB-01"
          }
        }
      ]
    },
    {
      "code": "INC",
      "title_ja": "事故への対応",
      "title_en": "Incident response",
      "weight": 1.5,
      "questions": [
        {
          "code": "INC-01",
          "text_ja": "情報漏えい・紛失・不正アクセスなどの事故やその疑いに気づいたとき、直ちに委託元へ連絡する手順と連絡先を決めていますか。",
          "text_en": "Is there a procedure and contact point for telling the client immediately of an incident, such as a leak, loss or intrusion, or a suspected one?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "controls": [
            "iso27001:5.24",
            "iso27001:5.26",
            "iso27001:6.8",
            "nisc8:1",
            "nisc_handbook:incident_response",
            "scs:star3.response"
          ],
          "remediation_ja": "委託元への連絡先と連絡の期限（例：把握から 24 時間以内）を定めた手順を作り、全従業者に周知してください。",
          "remediation_en": "Write a procedure with the client's contact and a deadline (e.g. within 24 hours of discovery) and make it known to all staff."
        },
        {
          "code": "INC-02",
          "text_ja": "事故対応の体制（責任者・社内の連絡網・初動の手順）を文書にし、従業者に知らせていますか。",
          "text_en": "Is your incident response set-up (person in charge, internal call tree, first steps) written down and known to staff?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.24",
            "iso27001:6.8",
            "nisc8:1",
            "scs:star3.response"
          ],
          "remediation_ja": "事故対応の責任者・連絡網・初動手順を文書にし、年 1 回は訓練や読み合わせを行ってください。",
          "remediation_en": "Write down the person in charge, call tree and first steps, and rehearse or walk through them once a year."
        },
        {
          "code": "INC-03",
          "text_ja": "事故の原因を調べ、再発防止策を委託元と協議して実施していますか。",
          "text_en": "Do you investigate the cause of incidents and agree and carry out measures against recurrence with the client?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.27",
            "iso27001:5.28",
            "nisc_handbook:remediation",
            "scs:star3.response"
          ],
          "remediation_ja": "事故ごとに原因分析と再発防止策を記録し、委託元の参加を得て決定・実施してください。",
          "remediation_en": "Record a cause analysis and preventive measures for every incident, and decide and carry them out with the client."
        },
        {
          "code": "INC-04",
          "text_ja": "システム障害や災害で業務が止まったときの復旧手順や代替手段を決め、年 1 回以上見直していますか。",
          "text_en": "Have you set recovery steps or alternatives for when the work stops due to system failure or disaster, reviewed at least yearly?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.29",
            "iso27001:5.30",
            "scs:star3.recovery"
          ],
          "remediation_ja": "重要な業務とシステムの復旧手順・目標時間を定め、年 1 回以上見直して訓練してください。",
          "remediation_en": "Set recovery steps and target times for the key work and systems, and review and rehearse them at least yearly."
        }
      ]
    }
  ]
}
$json$::jsonb, 1),
('nisc_eight', 'NISC サプライチェーン 8 項目', 'NISC supply-chain eight items',
 'NISC の統一基準群（令和5年度版）が委託契約に求める 8 つのセキュリティ対策事項ごとに、委託先の実施状況を確認するシート。情報システムに関わらない委託（データ処理、保管・運搬）では技術的な設問の一部を省きます。30 分以内で回答できます。

Checks the vendor against each of the eight security items NISC''s 2023 government standards ask outsourcing contracts to cover. Some technical questions are skipped for work that involves no information system. Answerable in under 30 minutes.',
 $json$
{
  "thresholds": {
    "watch": 60,
    "no_issues": 80
  },
  "scale_scores": {
    "no": 0,
    "yes": 1,
    "partially": 0.5
  },
  "sections": [
    {
      "code": "N1",
      "title_ja": "1. インシデントへの対処能力",
      "title_en": "1. Incident handling capability",
      "weight": 1,
      "questions": [
        {
          "code": "N1-01",
          "text_ja": "事故の際の体制（関係者の役割、責任者、委託業務の担当者から責任者への報告の流れ）を定め、契約前に委託元へ説明できますか。",
          "text_en": "Have you set up incident handling (roles, person in charge, reporting line from the staff on this work) and can you explain it to the client before the contract?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "when_yes",
          "knockout": true,
          "controls": [
            "nisc8:1",
            "iso27001:5.24",
            "nisc_handbook:incident_response",
            "scs:star3.response"
          ],
          "remediation_ja": "事故対応の体制図と報告の流れを文書にし、契約前に委託元へ説明してください。",
          "remediation_en": "Document the incident response organisation and reporting flow and present it to the client before signing."
        },
        {
          "code": "N1-02",
          "text_ja": "委託期間中、事故やその兆候の有無を定期的に委託元へ報告していますか（なかった場合も含む）。",
          "text_en": "During the engagement, do you report to the client regularly whether incidents or signs of them occurred (including when none did)?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:1",
            "iso27001:5.22",
            "nisc_handbook:compliance_checks",
            "scs:star3.response"
          ],
          "remediation_ja": "月次などの定期報告に、事故・兆候の有無と対応状況の欄を設けてください。",
          "remediation_en": "Add a section on incidents, signs of incidents and their handling to your regular (e.g. monthly) report."
        }
      ]
    },
    {
      "code": "N2",
      "title_ja": "2. アクセスする者の識別とアクセス制御",
      "title_en": "2. Identification and access control",
      "weight": 1.5,
      "questions": [
        {
          "code": "N2-01",
          "text_ja": "システムの利用者と使用する機器を一意に特定し、利用者の属性に応じてアクセス権を設定していますか。",
          "text_en": "Are users and the devices they use uniquely identified, with access set according to each user's role?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:2",
            "iso27001:5.15",
            "iso27001:5.16",
            "iso27001:8.3",
            "scs:star3.protection"
          ],
          "remediation_ja": "利用者 ID と端末の台帳を作り、役割ごとのアクセス権を定義して設定してください。",
          "remediation_en": "Keep a register of user IDs and devices, define access by role, and configure it."
        },
        {
          "code": "N2-02",
          "text_ja": "管理者権限を必要最小限の人と用途に限り、その利用を記録していますか。",
          "text_en": "Are administrator rights limited to the fewest people and uses needed, and is their use logged?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:2",
            "nisc8:3",
            "iso27001:8.2",
            "scs:star4.protection"
          ],
          "remediation_ja": "管理者権限の保有者と用途を見直し、通常業務と管理作業のアカウントを分けて、操作ログを取得してください。",
          "remediation_en": "Review who holds admin rights and why, separate admin accounts from everyday ones, and log admin actions."
        },
        {
          "code": "N2-03",
          "text_ja": "推測されにくい十分な長さのパスワード（パスフレーズ）を求め、初期パスワードの変更を必須にしていますか。",
          "text_en": "Do you require long, hard-to-guess passwords (passphrases) and force initial passwords to be changed?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:2",
            "iso27001:5.17",
            "iso27001:8.5"
          ],
          "remediation_ja": "パスワードの最低文字数などの基準を設定で強制し、初期パスワードは初回利用時に変更させてください。",
          "remediation_en": "Enforce a minimum length and similar rules in settings and force initial passwords to change on first use."
        }
      ]
    },
    {
      "code": "N3",
      "title_ja": "3. ログの取得と監視",
      "title_en": "3. Logging and monitoring",
      "weight": 1,
      "questions": [
        {
          "code": "N3-01",
          "text_ja": "委託業務で使うシステムのログを取得し、ログの取得が止まっていないかを監視していますか。",
          "text_en": "Do you collect logs from the systems used for this work and watch that logging does not stop?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "system_build",
                  "operation_onsite",
                  "operation_remote",
                  "datacenter",
                  "asp_saas",
                  "housing",
                  "maintenance"
                ]
              }
            ],
            "explanation_en": "Only for work that builds, runs, maintains or provides information systems (not data processing or storage/transport)",
            "explanation_ja": "情報システムの構築・運用・保守・提供を伴う委託のみ（データ処理、保管・運搬の委託は対象外）"
          },
          "controls": [
            "nisc8:3",
            "iso27001:8.15",
            "iso27001:8.16",
            "scs:star3.detection"
          ],
          "remediation_ja": "ログの取得対象を決め、取得の停止や容量不足を検知して通知する仕組みを設けてください。",
          "remediation_en": "Decide which logs to collect and set alerts for when logging stops or runs out of space."
        },
        {
          "code": "N3-02",
          "text_ja": "ログを改ざんや削除から守り、ログの設定を変えられる人を限定していますか。",
          "text_en": "Are logs protected from alteration and deletion, with few people able to change logging settings?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "system_build",
                  "operation_onsite",
                  "operation_remote",
                  "datacenter",
                  "asp_saas",
                  "housing",
                  "maintenance"
                ]
              }
            ],
            "explanation_en": "Only for work that builds, runs, maintains or provides information systems (not data processing or storage/transport)",
            "explanation_ja": "情報システムの構築・運用・保守・提供を伴う委託のみ（データ処理、保管・運搬の委託は対象外）"
          },
          "controls": [
            "nisc8:3",
            "iso27001:8.15",
            "scs:star4.detection"
          ],
          "remediation_ja": "ログを別の保管先に転送して書換えを防ぎ、ログ設定の管理者権限を最小限にしてください。",
          "remediation_en": "Forward logs to separate storage that prevents rewriting and keep admin rights over logging to a minimum."
        },
        {
          "code": "N3-03",
          "text_ja": "委託業務に関わるログを、どのくらいの期間保存していますか。",
          "text_en": "How long do you keep the logs related to this work?",
          "answer_type": "single_choice",
          "choices": [
            {
              "code": "Y1_PLUS",
              "score": 1,
              "label_en": "1 year or more",
              "label_ja": "1 年以上"
            },
            {
              "code": "M3_TO_Y1",
              "score": 0.5,
              "label_en": "3 months to under 1 year",
              "label_ja": "3 か月以上 1 年未満"
            },
            {
              "code": "UNDER_M3",
              "score": 0,
              "label_en": "Under 3 months",
              "label_ja": "3 か月未満"
            },
            {
              "code": "NOT_KEPT",
              "score": 0,
              "label_en": "Not kept",
              "label_ja": "保存していない"
            }
          ],
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "system_build",
                  "operation_onsite",
                  "operation_remote",
                  "datacenter",
                  "asp_saas",
                  "housing",
                  "maintenance"
                ]
              }
            ],
            "explanation_en": "Only for work that builds, runs, maintains or provides information systems (not data processing or storage/transport)",
            "explanation_ja": "情報システムの構築・運用・保守・提供を伴う委託のみ（データ処理、保管・運搬の委託は対象外）"
          },
          "controls": [
            "nisc8:3",
            "iso27001:8.15"
          ],
          "remediation_ja": "事故の調査に使えるよう、少なくとも 1 年分のログを保存してください。",
          "remediation_en": "Keep at least a year of logs so that incidents can be investigated."
        }
      ]
    },
    {
      "code": "N4",
      "title_ja": "4. 機器等の物理的保護",
      "title_en": "4. Physical protection of equipment",
      "weight": 1,
      "questions": [
        {
          "code": "N4-01",
          "text_ja": "委託業務を行う場所で、鍵の管理や入退室の記録などの入退管理を行っていますか。",
          "text_en": "At the places where this work is done, do you control entry, for example by managing keys and recording entries and exits?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:4",
            "iso27001:7.2",
            "iso27001:7.3"
          ],
          "remediation_ja": "作業場所の鍵・入館証の貸出し記録と入退室の記録を残し、定期的に確認してください。",
          "remediation_en": "Record the issue of keys and passes and entries and exits at the work site, and check the records regularly."
        },
        {
          "code": "N4-02",
          "text_ja": "機器や記録媒体を廃棄・再利用するとき、データを復元できない方法で消去または破壊していますか。",
          "text_en": "When equipment or media are disposed of or reused, is the data erased or destroyed so that it cannot be recovered?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "controls": [
            "nisc8:4",
            "iso27001:7.14",
            "iso27001:8.10"
          ],
          "remediation_ja": "専用ツールによる消去か物理破壊を行い、対象機器・方法・日付・実施者を記録してください。",
          "remediation_en": "Erase with dedicated tools or destroy physically, and record the device, method, date and person."
        }
      ]
    },
    {
      "code": "N5",
      "title_ja": "5. 要員への周知と統制",
      "title_en": "5. Awareness and control of staff",
      "weight": 1,
      "questions": [
        {
          "code": "N5-01",
          "text_ja": "委託業務に従事する要員に、必要なセキュリティ教育・訓練を受けさせ、その記録を残していますか。",
          "text_en": "Do the staff on this work receive the security training they need, with records kept?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "exemptions": [
            {
              "certification": "isms",
              "explanation_en": "Exempt when a valid ISMS certificate whose verified scope covers the departments and sites doing this work is held (an ISMS audit checks this)",
              "explanation_ja": "本業務を行う部署・拠点を適用範囲に含む有効な ISMS 認証があり、その範囲を確認済みであれば免除（ISMS の審査で確認される事項のため）",
              "scope_verified": true
            }
          ],
          "controls": [
            "nisc8:5",
            "iso27001:6.3",
            "scs:star3.governance"
          ],
          "remediation_ja": "従事者向けの教育を計画し、業務開始前と年 1 回以上の受講を記録してください。",
          "remediation_en": "Plan training for the assigned staff and record attendance before they start and at least yearly."
        },
        {
          "code": "N5-02",
          "text_ja": "委託業務の情報を扱う要員の条件（所属、経験、秘密保持の誓約など）を定めていますか。",
          "text_en": "Have you set conditions (employer, experience, confidentiality pledge, etc.) for staff who handle information from this work?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:5",
            "iso27001:6.1",
            "iso27001:6.6"
          ],
          "remediation_ja": "要員の条件を文書にし、配置前に条件を満たすことを確認して記録してください。",
          "remediation_en": "Write down the conditions and confirm and record that each person meets them before assignment."
        }
      ]
    },
    {
      "code": "N6",
      "title_ja": "6. 資産管理とリスク評価",
      "title_en": "6. Asset management and risk assessment",
      "weight": 1,
      "questions": [
        {
          "code": "N6-01",
          "text_ja": "委託業務で使う機器・ソフトウェア・クラウドサービスの一覧を作り、最新に保っていますか。",
          "text_en": "Do you keep an up-to-date list of the devices, software and cloud services used for this work?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:6",
            "iso27001:5.9",
            "iso27001:8.9",
            "scs:star3.risk_identification"
          ],
          "remediation_ja": "資産の一覧を作り、導入・廃棄のたびに更新し、年 1 回以上棚卸しをしてください。",
          "remediation_en": "Make the list, update it on every addition or removal, and take stock at least yearly."
        },
        {
          "code": "N6-02",
          "text_ja": "定期的に、また重大な脆弱性が公表されたときに、脆弱性の診断を行い、速やかに対処していますか。",
          "text_en": "Do you scan for vulnerabilities regularly and when a serious one is announced, and fix them promptly?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "system_build",
                  "operation_onsite",
                  "operation_remote",
                  "datacenter",
                  "asp_saas",
                  "housing",
                  "maintenance"
                ]
              }
            ],
            "explanation_en": "Only for work that builds, runs, maintains or provides information systems (not data processing or storage/transport)",
            "explanation_ja": "情報システムの構築・運用・保守・提供を伴う委託のみ（データ処理、保管・運搬の委託は対象外）"
          },
          "controls": [
            "nisc8:6",
            "nisc8:7",
            "iso27001:8.8",
            "nisc_handbook:vulnerability_management",
            "scs:star4.risk_identification"
          ],
          "remediation_ja": "脆弱性診断の頻度と対象を決め、重大な脆弱性の公表時に臨時の確認と対処を行う手順を作ってください。",
          "remediation_en": "Set the scope and frequency of scans and a procedure for checking and fixing when a serious vulnerability is announced."
        }
      ]
    },
    {
      "code": "N7",
      "title_ja": "7. 情報とシステムの完全性の保護",
      "title_en": "7. Integrity of information and systems",
      "weight": 1.5,
      "questions": [
        {
          "code": "N7-01",
          "text_ja": "マルウェア対策を講じ、脆弱性に関する注意喚起を日常的に確認して対処していますか。",
          "text_en": "Do you protect against malware and routinely follow and act on vulnerability alerts?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:7",
            "iso27001:5.7",
            "iso27001:8.7",
            "scs:star3.protection"
          ],
          "remediation_ja": "マルウェア対策を全端末に導入し、IPA や JPCERT/CC などの注意喚起を確認する担当を決めてください。",
          "remediation_en": "Deploy anti-malware on every device and assign someone to follow alerts from sources such as IPA and JPCERT/CC."
        },
        {
          "code": "N7-02",
          "text_ja": "業務で使う通信だけを通し、それ以外の通信は遮断していますか。",
          "text_en": "Is only the network traffic the work needs allowed, and all other traffic blocked?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "category",
                "any_of": [
                  "system_build",
                  "operation_onsite",
                  "operation_remote",
                  "datacenter",
                  "asp_saas",
                  "housing",
                  "maintenance"
                ]
              }
            ],
            "explanation_en": "Only for work that builds, runs, maintains or provides information systems (not data processing or storage/transport)",
            "explanation_ja": "情報システムの構築・運用・保守・提供を伴う委託のみ（データ処理、保管・運搬の委託は対象外）"
          },
          "controls": [
            "nisc8:7",
            "iso27001:8.20",
            "iso27001:8.22",
            "scs:star3.protection"
          ],
          "remediation_ja": "通信の許可リストを作り、ファイアウォールで不要な通信を遮断してください。",
          "remediation_en": "Make an allow-list of traffic and block everything else at the firewall."
        }
      ]
    },
    {
      "code": "N8",
      "title_ja": "8. 対策の検証・評価・見直し",
      "title_en": "8. Verification, evaluation and review",
      "weight": 1,
      "questions": [
        {
          "code": "N8-01",
          "text_ja": "見つかった欠陥や脆弱性の是正について計画を立て、完了まで管理していますか。",
          "text_en": "Do you plan the fixing of flaws and vulnerabilities found and track each to completion?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "nisc8:8",
            "iso27001:8.8",
            "nisc_handbook:remediation"
          ],
          "remediation_ja": "是正の一覧（内容・期限・担当）を作り、完了まで定期的に確認してください。",
          "remediation_en": "Keep a list of fixes (what, deadline, owner) and review it regularly until each is done."
        },
        {
          "code": "N8-02",
          "text_ja": "対策が有効に機能しているかを継続的に確認し、年 1 回以上見直していますか。",
          "text_en": "Do you check continuously that the measures work, and review them at least once a year?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "exemptions": [
            {
              "certification": "isms",
              "explanation_en": "Exempt when a valid ISMS certificate whose verified scope covers the departments and sites doing this work is held (an ISMS audit checks this)",
              "explanation_ja": "本業務を行う部署・拠点を適用範囲に含む有効な ISMS 認証があり、その範囲を確認済みであれば免除（ISMS の審査で確認される事項のため）",
              "scope_verified": true
            }
          ],
          "controls": [
            "nisc8:8",
            "iso27001:5.35",
            "iso27001:5.36",
            "nisc_handbook:compliance_checks",
            "scs:star3.governance"
          ],
          "remediation_ja": "年 1 回以上、内部監査や点検で対策の有効性を評価し、見直し結果を記録してください。",
          "remediation_en": "At least yearly, evaluate the measures by internal audit or review and record the outcome."
        },
        {
          "code": "N8-03",
          "text_ja": "直近に対策を見直した日（内部監査、マネジメントレビューなど）を入力してください。",
          "text_en": "Enter the date of the most recent review of the measures (internal audit, management review, etc.).",
          "answer_type": "date",
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "yes",
              "partially"
            ],
            "question": "N8-02"
          }
        }
      ]
    }
  ]
}
$json$::jsonb, 2),
('appi_safety', '個人データ 安全管理措置', 'Personal data safeguards (APPI)',
 '個人情報保護法の委託先監督のため、個人データの安全管理措置（組織的・人的・物理的・技術的、外的環境の把握）を確認するシート。個人データを扱う委託にのみ適用され、要配慮個人情報・個人番号や国外での取扱いがある場合だけ追加の設問が表示されます。30 分以内で回答できます。

For supervising vendors under the APPI: checks the safeguards for personal data (organisational, human, physical, technical, and understanding the foreign environment). Applies only when personal data is handled; extra questions appear only for sensitive data, My Number, or handling outside Japan. Answerable in under 30 minutes.',
 $json$
{
  "thresholds": {
    "watch": 60,
    "no_issues": 80
  },
  "scale_scores": {
    "no": 0,
    "yes": 1,
    "partially": 0.5
  },
  "applicability": {
    "all": [
      {
        "fact": "handles_personal_data",
        "equals": true
      }
    ],
    "explanation_en": "Only when the handling of personal data is outsourced",
    "explanation_ja": "個人データの取扱いを委託する場合のみ"
  },
  "sections": [
    {
      "code": "POL",
      "title_ja": "基本方針・取扱規程",
      "title_en": "Policy and handling rules",
      "weight": 1,
      "questions": [
        {
          "code": "POL-01",
          "text_ja": "個人データの取扱いについて、関係法令の遵守、安全管理、問合せ窓口を含む基本方針を定めていますか。",
          "text_en": "Have you adopted a basic policy on personal data covering legal compliance, safeguards and a contact point for enquiries?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "exemptions": [
            {
              "certification": "privacy_mark",
              "explanation_en": "Exempt when a valid PrivacyMark is held (it covers the whole company and its review checks this)",
              "explanation_ja": "有効なプライバシーマークを取得していれば免除（全社が対象の制度で、付与の審査で確認される事項のため）",
              "scope_verified": false
            }
          ],
          "controls": [
            "appi:organizational",
            "iso27001:5.1",
            "iso27001:5.34"
          ],
          "remediation_ja": "事業者名・法令遵守・安全管理・問合せ窓口を記載した基本方針を定め、公表または周知してください。",
          "remediation_en": "Adopt a policy naming the company, legal compliance, safeguards and an enquiry contact, and publish or circulate it."
        },
        {
          "code": "POL-02",
          "text_ja": "取得・利用・保存・提供・削除の段階ごとに、取扱方法と責任者・担当者を定めた取扱規程がありますか。",
          "text_en": "Are there handling rules that set, for each stage (collection, use, storage, provision, deletion), how data is handled and who is responsible?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "controls": [
            "appi:organizational",
            "iso27001:5.10",
            "iso27001:5.37"
          ],
          "remediation_ja": "段階ごとの取扱方法と責任者・担当者を定めた取扱規程を作り、従業者に周知してください。",
          "remediation_en": "Write handling rules stating the method and the responsible people for each stage and make them known to staff."
        }
      ]
    },
    {
      "code": "ORG",
      "title_ja": "組織的安全管理措置",
      "title_en": "Organisational safeguards",
      "weight": 1.5,
      "questions": [
        {
          "code": "ORG-01",
          "text_ja": "個人データの取扱責任者を置き、取り扱う従業者とその取り扱う範囲を明確にしていますか。",
          "text_en": "Is there a person responsible for personal data, and is it clear which staff handle which personal data?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "controls": [
            "appi:organizational",
            "iso27001:5.2",
            "iso27001:8.3"
          ],
          "remediation_ja": "取扱責任者を任命し、取扱者とその範囲を一覧にして、変更のたびに更新してください。",
          "remediation_en": "Appoint a responsible person and keep a list of handlers and their scope, updated on every change."
        },
        {
          "code": "ORG-02",
          "text_ja": "個人データの利用・出力・持出し・削除の状況を、ログや業務記録で後から確かめられますか。",
          "text_en": "Can the use, output, removal and deletion of personal data be checked afterwards from logs or work records?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:organizational",
            "iso27001:8.15"
          ],
          "remediation_ja": "システムのログや業務日誌で、個人データの利用・出力・持出し・削除を記録してください。",
          "remediation_en": "Record use, output, removal and deletion of personal data in system logs or work logs."
        },
        {
          "code": "ORG-03",
          "text_ja": "取り扱う個人データの種類・項目・利用目的・保管場所・アクセスできる人を、台帳などで把握していますか。",
          "text_en": "Do you keep track, in a register or similar, of the kinds and items of personal data, purposes, storage locations and who can access them?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:organizational",
            "iso27001:5.9",
            "iso27001:5.34"
          ],
          "remediation_ja": "個人データの台帳（種類・項目・目的・保管場所・アクセス者・責任者）を作成してください。",
          "remediation_en": "Create a personal data register (kind, items, purpose, location, who has access, who is responsible)."
        },
        {
          "code": "ORG-04",
          "text_ja": "漏えい等やその兆候を把握したとき、委託元に直ちに知らせる体制がありますか（委託元への連絡より先に、自社の判断だけで個人情報保護委員会に報告したり本人に通知したりしない）。",
          "text_en": "When you detect a leak or a sign of one, can you inform the client at once (without reporting to the Personal Information Protection Commission or notifying the individuals on your own before telling the client)?",
          "help_ja": "委託先が委託元に通知すれば、委託先自身の委員会報告・本人通知の義務は免れます。委託元が対応の主体となれるよう、まず委託元に知らせてください。",
          "help_en": "Once the vendor informs the client, the vendor's own duty to report and notify is discharged; tell the client first so that it can lead the response.",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "controls": [
            "appi:organizational",
            "iso27001:5.24",
            "iso27001:5.26",
            "nisc8:1",
            "scs:star3.response"
          ],
          "remediation_ja": "委託元への連絡を最優先とする報告手順と連絡先を定め、事実調査・本人通知・当局報告は委託元と調整して行う旨を明記してください。",
          "remediation_en": "Set a reporting procedure that puts informing the client first, and state that investigation, notice to individuals and reporting to the authority are coordinated with the client."
        },
        {
          "code": "ORG-05",
          "text_ja": "個人データの取扱状況を定期的に自己点検または監査し、安全管理措置を見直していますか。",
          "text_en": "Do you regularly self-check or audit how personal data is handled and revise the safeguards?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "exemptions": [
            {
              "certification": "privacy_mark",
              "explanation_en": "Exempt when a valid PrivacyMark is held (it covers the whole company and its review checks this)",
              "explanation_ja": "有効なプライバシーマークを取得していれば免除（全社が対象の制度で、付与の審査で確認される事項のため）",
              "scope_verified": false
            },
            {
              "certification": "isms",
              "explanation_en": "Exempt when a valid ISMS certificate whose verified scope covers the departments and sites doing this work is held (an ISMS audit checks this)",
              "explanation_ja": "本業務を行う部署・拠点を適用範囲に含む有効な ISMS 認証があり、その範囲を確認済みであれば免除（ISMS の審査で確認される事項のため）",
              "scope_verified": true
            }
          ],
          "controls": [
            "appi:organizational",
            "iso27001:5.35",
            "iso27001:5.36"
          ],
          "remediation_ja": "年 1 回以上の点検または監査を計画・実施し、結果に基づく改善を記録してください。",
          "remediation_en": "Plan and carry out a check or audit at least yearly and record the improvements made."
        },
        {
          "code": "ORG-06",
          "text_ja": "個人データの取扱いを再委託する場合、委託元の承認を得て、再委託先を監督していますか。",
          "text_en": "If the handling of personal data is subcontracted, do you obtain the client's approval and supervise the subcontractor?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "subcontracting_allowed",
                "equals": true
              }
            ],
            "explanation_en": "Only when the engagement does not prohibit subcontracting",
            "explanation_ja": "再委託を禁止していない委託のみ"
          },
          "controls": [
            "appi:organizational",
            "iso27001:5.19",
            "iso27001:5.22",
            "nisc_handbook:subcontracting",
            "scs:star3.supplier_management"
          ],
          "remediation_ja": "再委託の前に委託元の承認を得て、再委託先と安全管理の契約を結び、定期的に状況を確認してください。",
          "remediation_en": "Obtain the client's approval first, sign safeguard terms with the subcontractor, and check its practice regularly."
        }
      ]
    },
    {
      "code": "HUM",
      "title_ja": "人的安全管理措置",
      "title_en": "Human safeguards",
      "weight": 1,
      "questions": [
        {
          "code": "HUM-01",
          "text_ja": "個人データを扱う従業者に、取扱いの注意点について定期的に研修を行っていますか。",
          "text_en": "Do staff who handle personal data receive regular training on how to handle it?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "controls": [
            "appi:human",
            "iso27001:6.3"
          ],
          "remediation_ja": "個人データを扱う従業者向けの研修を年 1 回以上行い、受講を記録してください。",
          "remediation_en": "Train staff who handle personal data at least yearly and record attendance."
        },
        {
          "code": "HUM-02",
          "text_ja": "個人データの秘密保持を、就業規則や誓約書で従業者に義務づけていますか。",
          "text_en": "Are staff bound to keep personal data confidential by the work rules or a signed pledge?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:human",
            "iso27001:6.2",
            "iso27001:6.6"
          ],
          "remediation_ja": "就業規則または誓約書に個人データの秘密保持を定め、全従業者から同意を得てください。",
          "remediation_en": "Add confidentiality of personal data to the work rules or a pledge and obtain every staff member's agreement."
        }
      ]
    },
    {
      "code": "PHY",
      "title_ja": "物理的安全管理措置",
      "title_en": "Physical safeguards",
      "weight": 1,
      "questions": [
        {
          "code": "PHY-01",
          "text_ja": "サーバ等を置く区域と事務を行う区域で、入退室の管理や、のぞき見の防止（間仕切り・座席配置など）を行っていますか。",
          "text_en": "In the areas holding servers and those where the work is done, do you control entry and prevent onlookers (partitions, seating, etc.)?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:physical",
            "iso27001:7.1",
            "iso27001:7.2",
            "iso27001:7.6"
          ],
          "remediation_ja": "区域を分けて入室者を限定し、画面や書類が第三者から見えないよう配置を工夫してください。",
          "remediation_en": "Separate the areas, restrict who enters, and arrange desks and screens so outsiders cannot see them."
        },
        {
          "code": "PHY-02",
          "text_ja": "個人データを扱う機器・記録媒体・書類を、施錠できる場所に保管するなどして盗難や紛失を防いでいますか。",
          "text_en": "Are devices, media and papers holding personal data protected against theft and loss, e.g. kept in lockable places?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:physical",
            "iso27001:7.7",
            "iso27001:7.10"
          ],
          "remediation_ja": "施錠できるキャビネット等に保管し、持ち運ばない機器はワイヤー等で固定してください。",
          "remediation_en": "Store them in lockable cabinets and secure stationary equipment with cable locks or similar."
        },
        {
          "code": "PHY-03",
          "text_ja": "個人データを持ち運ぶとき、暗号化・パスワード保護・封緘などで、中身が容易に分からないようにしていますか。",
          "text_en": "When personal data is carried, is it protected (encryption, passwords, sealed packages) so its contents are not easily revealed?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:physical",
            "iso27001:7.9",
            "iso27001:8.24"
          ],
          "remediation_ja": "持ち運ぶデータは暗号化し、書類は封緘や施錠できるケースで運んでください。",
          "remediation_en": "Encrypt data that is carried and move papers in sealed envelopes or lockable cases."
        },
        {
          "code": "PHY-04",
          "text_ja": "個人データの削除や、機器・書類の廃棄を、復元できない方法で行い、その記録を残していますか。",
          "text_en": "Are personal data deleted and devices and papers disposed of in ways that prevent recovery, with records kept?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "controls": [
            "appi:physical",
            "iso27001:7.14",
            "iso27001:8.10"
          ],
          "remediation_ja": "シュレッダー・溶解・専用ソフトによる消去・物理破壊などで処理し、日付・方法・実施者を記録してください。",
          "remediation_en": "Use shredding, pulping, dedicated erasure software or physical destruction and record the date, method and person."
        }
      ]
    },
    {
      "code": "TEC",
      "title_ja": "技術的安全管理措置",
      "title_en": "Technical safeguards",
      "weight": 1.5,
      "questions": [
        {
          "code": "TEC-01",
          "text_ja": "個人データを扱えるシステムと利用者を、アクセス権の設定で限定していますか。",
          "text_en": "Are the systems and users that can handle personal data limited through access rights?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:technical",
            "iso27001:5.15",
            "iso27001:8.3"
          ],
          "remediation_ja": "個人データにアクセスできるシステムと利用者を限定し、権限を定期的に見直してください。",
          "remediation_en": "Limit the systems and users with access to personal data and review the rights regularly."
        },
        {
          "code": "TEC-02",
          "text_ja": "利用者を ID とパスワード、多要素認証などで識別・認証していますか。",
          "text_en": "Are users identified and authenticated with IDs and passwords, multi-factor authentication or similar?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:technical",
            "iso27001:5.16",
            "iso27001:8.5"
          ],
          "remediation_ja": "利用者ごとの ID を発行し、外部からの接続には多要素認証を設定してください。",
          "remediation_en": "Issue an ID per user and require multi-factor authentication for access from outside."
        },
        {
          "code": "TEC-03",
          "text_ja": "ファイアウォール、マルウェア対策、ソフトウェアの更新、ログの確認により、不正アクセスを防ぎ、検知していますか。",
          "text_en": "Do you prevent and detect unauthorised access with firewalls, anti-malware, software updates and log review?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:technical",
            "iso27001:8.7",
            "iso27001:8.8",
            "iso27001:8.16",
            "nisc8:7",
            "scs:star3.protection"
          ],
          "remediation_ja": "境界の防御、マルウェア対策、更新の適用、ログの定期確認をそれぞれ担当者を決めて運用してください。",
          "remediation_en": "Run boundary protection, anti-malware, updates and regular log review, each with an assigned owner."
        },
        {
          "code": "TEC-04",
          "text_ja": "個人データを含む通信や、送信するファイルを暗号化していますか。",
          "text_en": "Are communications and files containing personal data encrypted in transit?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:technical",
            "iso27001:5.14",
            "iso27001:8.24"
          ],
          "remediation_ja": "通信経路を暗号化（TLS 等）し、メールで送るファイルは暗号化して、パスワードは別経路で伝えてください。",
          "remediation_en": "Encrypt connections (TLS etc.), encrypt files sent by email, and pass any password by another channel."
        }
      ]
    },
    {
      "code": "SEN",
      "title_ja": "要配慮個人情報・個人番号",
      "title_en": "Sensitive data and My Number",
      "weight": 1,
      "questions": [
        {
          "code": "SEN-01",
          "text_ja": "要配慮個人情報や個人番号を扱う人を特定の担当者に限り、それ以外の人がアクセスできないようにしていますか。",
          "text_en": "Are sensitive personal data and My Numbers handled only by designated staff, with everyone else unable to access them?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "personal_data_categories",
                "any_of": [
                  "sensitive",
                  "my_number"
                ]
              }
            ],
            "explanation_en": "Only when sensitive personal data or My Number (individual numbers) are handled",
            "explanation_ja": "要配慮個人情報または個人番号（マイナンバー）を取り扱う委託のみ"
          },
          "controls": [
            "appi:organizational",
            "appi:technical",
            "iso27001:8.3"
          ],
          "remediation_ja": "担当者を指名し、保管場所やシステムのアクセス権をその担当者に限定してください。",
          "remediation_en": "Designate the handlers and limit access to the storage and systems to them."
        },
        {
          "code": "SEN-02",
          "text_ja": "個人番号を法令で認められた事務にだけ使い、事務が終わったら速やかに削除・廃棄していますか。",
          "text_en": "Are My Numbers used only for the tasks the law allows, and deleted or disposed of promptly once those tasks end?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "applicability": {
            "all": [
              {
                "fact": "personal_data_categories",
                "any_of": [
                  "my_number"
                ]
              }
            ],
            "explanation_en": "Only when My Number (individual numbers) are handled",
            "explanation_ja": "個人番号（マイナンバー）を取り扱う委託のみ"
          },
          "controls": [
            "appi:organizational",
            "iso27001:5.31",
            "iso27001:8.10"
          ],
          "remediation_ja": "個人番号の利用事務を特定して目的外の利用を禁止し、保存期間の経過後に削除・廃棄して記録してください。",
          "remediation_en": "Define the tasks that use My Numbers, forbid any other use, and delete or dispose of them after the retention period with a record."
        },
        {
          "code": "SEN-03",
          "text_ja": "要配慮個人情報の漏えい等は 1 件でも報告対象となることを踏まえ、委託元への報告手順に含めていますか。",
          "text_en": "Does your reporting procedure to the client reflect that any leak of sensitive personal data, even one record, must be reported?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "personal_data_categories",
                "any_of": [
                  "sensitive"
                ]
              }
            ],
            "explanation_en": "Only when sensitive personal data is handled",
            "explanation_ja": "要配慮個人情報を取り扱う委託のみ"
          },
          "controls": [
            "appi:organizational",
            "iso27001:5.25",
            "iso27001:5.31"
          ],
          "remediation_ja": "要配慮個人情報の漏えい等は件数にかかわらず直ちに委託元へ報告するよう、手順を改めてください。",
          "remediation_en": "Amend the procedure so that any leak of sensitive personal data is reported to the client at once, whatever the number."
        }
      ]
    },
    {
      "code": "EXT",
      "title_ja": "外的環境の把握",
      "title_en": "Foreign environment",
      "weight": 1,
      "applicability": {
        "all": [
          {
            "fact": "data_outside_jp",
            "equals": true
          }
        ],
        "explanation_en": "Only when data is stored or processed outside Japan",
        "explanation_ja": "データの保管・処理場所に日本国外が含まれる委託のみ"
      },
      "questions": [
        {
          "code": "EXT-01",
          "text_ja": "個人データを保管・処理する国を特定し、委託元に知らせていますか。",
          "text_en": "Have you identified the countries where personal data is stored or processed and told the client?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:external_environment",
            "iso27001:5.31"
          ],
          "remediation_ja": "個人データの所在国（クラウドのリージョンを含む）を一覧にし、委託元に通知してください。",
          "remediation_en": "List the countries (including cloud regions) where personal data is held and notify the client."
        },
        {
          "code": "EXT-02",
          "text_ja": "その国の個人情報保護に関する法制度を調べ、それを踏まえた安全管理措置を講じていますか。",
          "text_en": "Do you know each country's personal data protection regime and have you taken safeguards in light of it?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "appi:external_environment",
            "iso27001:5.31",
            "iso27001:5.34"
          ],
          "remediation_ja": "各国の制度（政府によるアクセスを含む）を確認し、必要な追加措置を講じて委託元に説明してください。",
          "remediation_en": "Review each country's rules (including government access), take any extra measures needed, and explain them to the client."
        },
        {
          "code": "EXT-03",
          "text_ja": "個人データを取り扱う国と、その国で講じている主な措置を記入してください。",
          "text_en": "Name the countries where personal data is handled and the main measures taken in each.",
          "answer_type": "text",
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false
        }
      ]
    }
  ]
}
$json$::jsonb, 3),
('confidential_handling', '機密情報の取扱い', 'Handling confidential information',
 '委託元が提供する機密情報の受け渡し、保管・利用、再委託先への提供、返却・消去とその証明までを確認するシート。契約終了時の点検にも使えます。30 分以内で回答できます。

Checks how the client''s confidential information is handed over, stored and used, passed to subcontractors, and returned or erased with proof. Also suited to the check at the end of a contract. Answerable in under 30 minutes.',
 $json$
{
  "thresholds": {
    "watch": 60,
    "no_issues": 80
  },
  "scale_scores": {
    "no": 0,
    "yes": 1,
    "partially": 0.5
  },
  "sections": [
    {
      "code": "RCV",
      "title_ja": "受領と管理体制",
      "title_en": "Receipt and management",
      "weight": 1,
      "questions": [
        {
          "code": "RCV-01",
          "text_ja": "機密情報の管理責任者を決め、機密情報を扱う従業者を必要最小限にしていますか。",
          "text_en": "Is there a person in charge of confidential information, and are the staff handling it kept to the minimum?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "controls": [
            "iso27001:5.2",
            "iso27001:8.3",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "管理責任者を任命し、取扱者を必要最小限に絞って名簿で管理してください。",
          "remediation_en": "Appoint a person in charge, cut the handlers to the minimum, and keep them on a roster."
        },
        {
          "code": "RCV-02",
          "text_ja": "機密情報を扱う従業者の人数を入力してください。",
          "text_en": "How many staff handle the confidential information?",
          "answer_type": "number",
          "unit": "人",
          "min": 0,
          "max": 100000,
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false
        },
        {
          "code": "RCV-03",
          "text_ja": "委託元から受け取った機密情報を、受領日・内容・保管場所・管理者とともに台帳に記録していますか。",
          "text_en": "Do you record confidential information received from the client in a register, with date received, content, location and custodian?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "controls": [
            "iso27001:5.9",
            "iso27001:5.14",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "機密情報の管理台帳を作り、受領・複製・返却・消去のたびに記録してください。",
          "remediation_en": "Keep a register of confidential information and record each receipt, copy, return and erasure."
        },
        {
          "code": "RCV-04",
          "text_ja": "機密情報の受け渡しを、暗号化した転送や施錠した搬送など安全な方法で行い、その記録を残していますか。",
          "text_en": "Is confidential information handed over by safe means (encrypted transfer, locked transport) and is each handover recorded?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.14",
            "iso27001:8.24",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "受け渡しの方法を委託元と取り決め、暗号化などで保護し、日時・内容・受渡者を記録してください。",
          "remediation_en": "Agree the handover method with the client, protect it (e.g. encryption), and record the date, content and people involved."
        }
      ]
    },
    {
      "code": "STO",
      "title_ja": "保管と利用",
      "title_en": "Storage and use",
      "weight": 1,
      "questions": [
        {
          "code": "STO-01",
          "text_ja": "機密情報を他の情報と区別し、施錠した保管庫やアクセス権を絞ったフォルダなど、限られた人しか触れられない場所に保管していますか。",
          "text_en": "Is confidential information kept apart from other information, where only a few can reach it (locked storage, restricted folders)?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.12",
            "iso27001:5.13",
            "iso27001:7.10",
            "iso27001:8.3"
          ],
          "remediation_ja": "専用の保管場所（施錠保管庫、権限を限定したフォルダ）を用意し、機密であることを表示してください。",
          "remediation_en": "Provide dedicated storage (locked cabinet, restricted folder) and label the material as confidential."
        },
        {
          "code": "STO-02",
          "text_ja": "機密情報を契約の目的の範囲でのみ使い、委託元の承認なく複製・送信・持出しをしないことを徹底していますか。",
          "text_en": "Is confidential information used only for the contract's purpose, and never copied, sent or taken out without the client's approval?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "controls": [
            "iso27001:5.10",
            "iso27001:5.14",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "目的外利用と無断の複製・送信・持出しを禁止するルールを定め、従業者に周知し、違反がないか点検してください。",
          "remediation_en": "Set rules forbidding use beyond the purpose and unapproved copying, sending or removal, make them known, and check compliance."
        },
        {
          "code": "STO-03",
          "text_ja": "機密情報を持ち出す場合、委託元と管理責任者の承認を得て、暗号化していますか。",
          "text_en": "When confidential information is taken out, is it approved by the client and the person in charge, and encrypted?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:7.9",
            "iso27001:8.24",
            "iso27001:8.12"
          ],
          "remediation_ja": "持出しを申請・承認制とし、持ち出すデータと媒体を暗号化して、持出しと返却を記録してください。",
          "remediation_en": "Make removal subject to request and approval, encrypt the data and media, and record each removal and return."
        },
        {
          "code": "STO-04",
          "text_ja": "機密情報の閲覧・複製・出力の記録を取り、定期的に確認していますか。",
          "text_en": "Do you log viewing, copying and printing of confidential information and review the logs regularly?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "applicability": {
            "all": [
              {
                "fact": "confidentiality",
                "at_least": 3
              }
            ],
            "explanation_en": "Only when the engagement's confidentiality is at the highest level (3)",
            "explanation_ja": "機密性が最も高い（3）情報を扱う委託のみ"
          },
          "controls": [
            "iso27001:8.15",
            "iso27001:8.16",
            "scs:star4.detection"
          ],
          "remediation_ja": "アクセスと出力のログを取得し、月 1 回以上、不審な操作がないか確認してください。",
          "remediation_en": "Log access and output and check at least monthly for suspicious activity."
        },
        {
          "code": "STO-05",
          "text_ja": "バックアップ媒体やコピーも、原本と同じ扱いで管理していますか。",
          "text_en": "Are backups and copies managed in the same way as the original?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:8.13",
            "iso27001:7.10"
          ],
          "remediation_ja": "バックアップと複製を台帳に記録し、原本と同じ保管・返却・消去のルールを適用してください。",
          "remediation_en": "Record backups and copies in the register and apply the same storage, return and erasure rules as to the original."
        },
        {
          "code": "STO-06",
          "text_ja": "管理状況（目的外の利用や複製がないこと、安全管理の状況）を定期的に委託元へ報告し、委託元による立入検査に応じますか。",
          "text_en": "Do you report regularly to the client how the information is managed (no use or copying beyond the purpose, safeguards), and accept on-site inspection by the client?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.22",
            "nisc_handbook:compliance_checks",
            "nisc_handbook:security_audit"
          ],
          "remediation_ja": "定期報告の様式と頻度を委託元と取り決め、立入検査への協力を契約や手順に明記してください。",
          "remediation_en": "Agree a report format and frequency with the client, and state your cooperation with on-site inspection in the contract or procedures."
        }
      ]
    },
    {
      "code": "SUB",
      "title_ja": "再委託先への提供",
      "title_en": "Provision to subcontractors",
      "weight": 1,
      "applicability": {
        "all": [
          {
            "fact": "subcontracting_allowed",
            "equals": true
          }
        ],
        "explanation_en": "Only when the engagement does not prohibit subcontracting",
        "explanation_ja": "再委託を禁止していない委託のみ"
      },
      "questions": [
        {
          "code": "SUB-01",
          "text_ja": "機密情報を再委託先に提供していますか（予定を含む）。",
          "text_en": "Do you pass confidential information to a subcontractor (or plan to)?",
          "answer_type": "single_choice",
          "choices": [
            {
              "code": "YES",
              "score": null,
              "label_en": "Yes, or planned",
              "label_ja": "提供している・予定がある"
            },
            {
              "code": "NO",
              "score": null,
              "label_en": "No",
              "label_ja": "提供しない"
            }
          ],
          "weight": 0,
          "required": true,
          "evidence": "never",
          "knockout": false
        },
        {
          "code": "SUB-02",
          "text_ja": "提供の前に委託元の書面による承認を得て、提供した情報・日付・提供先を記録していますか。",
          "text_en": "Before passing it on, do you obtain the client's written approval and record what was passed, when and to whom?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "depends_on": {
            "any_of": [
              "YES"
            ],
            "question": "SUB-01"
          },
          "controls": [
            "iso27001:5.14",
            "iso27001:5.20",
            "nisc_handbook:subcontracting",
            "scs:star3.supplier_management"
          ],
          "remediation_ja": "再委託先への提供は委託元の書面承認を条件とし、提供の記録を台帳に残してください。",
          "remediation_en": "Pass information on only with the client's written approval and record each provision in the register."
        },
        {
          "code": "SUB-03",
          "text_ja": "再委託先から、返却または消去の記録を受け取っていますか。",
          "text_en": "Do you obtain records of return or erasure from the subcontractor?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "depends_on": {
            "any_of": [
              "YES"
            ],
            "question": "SUB-01"
          },
          "controls": [
            "iso27001:5.22",
            "iso27001:8.10",
            "nisc_handbook:subcontracting"
          ],
          "remediation_ja": "再委託先との契約に返却・消去と証明の提出を定め、受け取った証明を保管してください。",
          "remediation_en": "Require return or erasure with proof in the subcontract, and keep the proofs received."
        }
      ]
    },
    {
      "code": "RET",
      "title_ja": "返却・消去と証跡",
      "title_en": "Return, erasure and evidence",
      "weight": 1.5,
      "questions": [
        {
          "code": "RET-01",
          "text_ja": "業務の終了時や委託元から求められたとき、複製を含むすべての機密情報を返却または消去する手順がありますか。",
          "text_en": "Is there a procedure to return or erase all confidential information, copies included, at the end of the work or on the client's request?",
          "answer_type": "scale",
          "not_applicable_allowed": false,
          "weight": 2,
          "required": true,
          "evidence": "never",
          "knockout": true,
          "controls": [
            "iso27001:5.11",
            "iso27001:8.10",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "台帳に基づいて返却・消去の対象を洗い出し、期限と担当を決めて実施する手順を作ってください。",
          "remediation_en": "Write a procedure that uses the register to list what must be returned or erased, with a deadline and owner."
        },
        {
          "code": "RET-02",
          "text_ja": "消去は、上書き消去、専用ツール、物理的な破壊など、復元が困難な方法で行っていますか。",
          "text_en": "Is erasure done in ways that make recovery impractical (overwriting, dedicated tools, physical destruction)?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:7.14",
            "iso27001:8.10",
            "nisc8:4"
          ],
          "remediation_ja": "ゴミ箱への移動や通常の削除では不十分です。専用ツールか物理破壊で消去してください。",
          "remediation_en": "Moving to the recycle bin or ordinary deletion is not enough; erase with dedicated tools or destroy physically."
        },
        {
          "code": "RET-03",
          "text_ja": "返却・消去の後、責任者が対象・方法・日付を記した証明書を委託元に提出していますか。",
          "text_en": "After return or erasure, do you give the client a certificate, signed by the person in charge, stating what, how and when?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "when_yes",
          "knockout": false,
          "controls": [
            "iso27001:8.10",
            "nisc_handbook:confidentiality"
          ],
          "remediation_ja": "消去証明書の様式（対象・方法・日付・実施者・責任者の署名）を用意し、返却・消去のたびに提出してください。",
          "remediation_en": "Prepare a certificate form (item, method, date, operator, signature of the person in charge) and submit it every time."
        },
        {
          "code": "RET-04",
          "text_ja": "担当を外れた従業者が持っていた機密情報が、返却・消去されたことを確認していますか。",
          "text_en": "When someone leaves the work, do you confirm that the confidential information they held has been returned or erased?",
          "answer_type": "scale",
          "not_applicable_allowed": true,
          "weight": 1,
          "required": true,
          "evidence": "never",
          "knockout": false,
          "controls": [
            "iso27001:5.11",
            "iso27001:6.5"
          ],
          "remediation_ja": "担当変更時のチェックリストに機密情報の返却・消去の確認を加えてください。",
          "remediation_en": "Add the return or erasure of confidential information to the checklist used when someone leaves the work."
        },
        {
          "code": "RET-05",
          "text_ja": "直近の消去証明書または返却記録の写し（未実施の場合は使用する様式）を添付してください。",
          "text_en": "Attach your most recent erasure certificate or return record (or, if none yet, the form you use).",
          "answer_type": "file",
          "weight": 0,
          "required": false,
          "evidence": "never",
          "knockout": false
        }
      ]
    }
  ]
}
$json$::jsonb, 4);

-- Existing tenants: what questionnaire_starters_load(tenant) does, for all.
with t as (
    insert into questionnaire_templates (tenant_id, name, name_en, description, starter,
                                         created_by, updated_by)
    select tn.id, s.name, s.name_en, s.description, s.key, 'itaku', 'itaku'
      from tenants tn cross join questionnaire_starters s
     where not exists (select 1 from questionnaire_templates x
                        where x.tenant_id = tn.id and (x.starter = s.key or x.name = s.name))
     order by tn.created_at, tn.id, s.sort
    returning tenant_id, id, starter)
insert into questionnaire_versions (tenant_id, template_id, number, status, content, changelog,
                                    question_count, created_by, updated_by, published_at, published_by)
select t.tenant_id, t.id, 1, 'published', s.content, null,
       (select count(*) from jsonb_array_elements(s.content -> 'sections') x,
                             jsonb_array_elements(x -> 'questions')),
       'itaku', 'itaku', now(), 'itaku'
  from t join questionnaire_starters s on s.key = t.starter;
