-- 45_holidays.sql: the Japanese holiday calendar that moves PPC deadlines.
--
-- The one live copy of these functions and triggers: `itaku migrate`
-- re-applies this file, after the numbered migrations, whenever its
-- checksum changes. Change them here, never in a migration.

-- The n-th Monday of a month (the Happy Monday holidays).
create or replace function jp_nth_monday(y integer, m integer, n integer) returns date
language sql immutable parallel safe as $$
    select make_date(y, m, 1)
           + (8 - extract(isodow from make_date(y, m, 1))::integer) % 7 + 7 * (n - 1)
$$;

-- Day of March (spring) or September (autumn) of the equinox holiday, by
-- the usual approximation of the equinox's Japanese date, which holds
-- for 1980-2099. The law fixes the day by the official ephemeris (暦要項,
-- published each February for the next year); compare with
-- `itaku holiday list YEAR` when it appears.
create or replace function jp_equinox_day(y integer, autumn boolean) returns integer
language sql immutable parallel safe as $$
    select floor(case when autumn then 23.2488 else 20.8431 end
                 + 0.242194 * (y - 1980) - floor((y - 1980) / 4))::integer
$$;

-- The 国民の祝日 of a date (国民の祝日に関する法律 2条, as amended up to
-- 2018, and the one-day laws above), or null. Neither 振替休日 nor 国民の休日:
-- see jp_holiday. The 2020 and 2021 moves for the Olympic Games (the
-- special-measures act for the Tokyo Games, as amended in 2018 and 2020)
-- are written in.
create or replace function jp_national_holiday(d date) returns text
language sql stable parallel safe as $$
    select coalesce(case
        when m = 1 and dd = 1 then '元日'
        when d = jp_nth_monday(y, 1, 2) then '成人の日'
        when m = 2 and dd = 11 then '建国記念の日'
        when m = 2 and dd = 23 and y >= 2020 then '天皇誕生日'
        when m = 3 and dd = jp_equinox_day(y, false) then '春分の日'
        when m = 4 and dd = 29 then case when y >= 2007 then '昭和の日' else 'みどりの日' end
        when m = 5 and dd = 3 then '憲法記念日'
        when m = 5 and dd = 4 and y >= 2007 then 'みどりの日'
        when m = 5 and dd = 5 then 'こどもの日'
        when d = case y when 2020 then date '2020-07-23' when 2021 then date '2021-07-22'
                 else case when y >= 2003 then jp_nth_monday(y, 7, 3) else make_date(y, 7, 20) end
                 end then '海の日'
        when y >= 2016 and d = case y when 2020 then date '2020-08-10' when 2021 then date '2021-08-08'
                               else make_date(y, 8, 11) end then '山の日'
        when d = case when y >= 2003 then jp_nth_monday(y, 9, 3) else make_date(y, 9, 15) end
             then '敬老の日'
        when m = 9 and dd = jp_equinox_day(y, true) then '秋分の日'
        when d = case y when 2020 then date '2020-07-24' when 2021 then date '2021-07-23'
                 else jp_nth_monday(y, 10, 2) end
             then case when y >= 2020 then 'スポーツの日' else '体育の日' end
        when m = 11 and dd = 3 then '文化の日'
        when m = 11 and dd = 23 then '勤労感謝の日'
        when m = 12 and dd = 23 and y <= 2018 then '天皇誕生日'
        end, (select x.name from jp_extra_holidays x where x.day = d))
      from (select extract(year from d)::integer as y, extract(month from d)::integer as m,
                   extract(day from d)::integer as dd) p
$$;

-- The holiday of a date under 国民の祝日に関する法律, or null: a 国民の祝日,
-- a 振替休日 (3条2項: since 2007 the first day after a Sunday 祝日 that is
-- no 祝日 itself; before, the Monday after it) or a 国民の休日 (3条3項: a day
-- between two 祝日; before 2007 not a Sunday). Defined for 2000-2099.
create or replace function jp_holiday(d date) returns text
language plpgsql stable parallel safe as $$
declare
    name text;
    k integer := 1;
begin
    if d < date '2000-01-01' or d > date '2099-12-31' then
        raise exception 'the holiday calendar covers 2000 to 2099, not %', d;
    end if;
    name := jp_national_holiday(d);
    if name is not null then
        return name;
    end if;
    if d >= date '2007-01-01' then
        while jp_national_holiday(d - k) is not null loop
            if extract(isodow from d - k) = 7 then
                return '振替休日';
            end if;
            k := k + 1;
        end loop;
    elsif extract(isodow from d - 1) = 7 and jp_national_holiday(d - 1) is not null then
        return '振替休日';
    end if;
    if jp_national_holiday(d - 1) is not null and jp_national_holiday(d + 1) is not null
       and (d >= date '2007-01-01' or extract(isodow from d) <> 7) then
        return '国民の休日';
    end if;
    return null;
end
$$;

-- 行政機関の休日に関する法律 1条: Saturdays, Sundays, the holidays above and
-- 29 December to 3 January.
create or replace function jp_government_closed(d date) returns boolean
language sql stable parallel safe as $$
    select extract(isodow from d) >= 6
        or to_char(d, 'MMDD') >= '1229' or to_char(d, 'MMDD') <= '0103'
        or jp_holiday(d) is not null
$$;

-- The first date from d on which the government is open (2条: a deadline
-- that falls on a closed day moves to the next open one).
create or replace function jp_next_open_day(d date) returns date
language plpgsql stable parallel safe as $$
begin
    while jp_government_closed(d) loop
        d := d + 1;
    end loop;
    return d;
end
$$;
