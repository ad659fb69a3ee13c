-- 00_pure.sql: functions the schema itself names: text folding (the
-- generated vendors.search_text) and the corporate number check digit
-- (CHECK constraints of vendors and corporate_master).
--
-- The one live copy of these functions: `itaku migrate` re-applies this
-- file whenever its checksum changes, like every functions file, but
-- BEFORE the numbered migrations (files numbered 00-09 do), because a
-- migration's table cannot name a function that does not exist yet. So
-- only pure functions belong here: no table, no trigger, nothing a
-- migration creates. Change them here, never in a migration.

-- Folds text for search: NFKC (full-width ASCII and half-width kana become
-- their usual forms), lower case, hiragana to katakana, and no spaces or
-- ASCII hyphens, so that "ｶﾌﾞｼｷｶﾞｲｼｬ", "かぶしきがいしゃ" and
-- "カブシキガイシャ" are one string.
create or replace function itaku_fold(t text) returns text
language sql immutable parallel safe strict as $$
    select translate(lower(normalize(t, NFKC)),
        'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ -　',
        'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ')
$$;

-- NTA check digit: over the 12-digit base P1..P12 counted from the right,
-- weights 1 (odd n) and 2 (even n); check = 9 - (sum mod 9).
create or replace function corporate_number_valid(n text) returns boolean
language sql immutable parallel safe strict as $$
    select n ~ '^[0-9]{13}$'
       and substr(n, 1, 1)::int = 9 - (select sum(substr(n, 14 - i, 1)::int * (2 - i % 2))
                                         from generate_series(1, 12) i) % 9
$$;
