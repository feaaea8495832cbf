-- The demo catalog written by hand, as an analyst would for DuckDB: the same 24 KPIs for
-- October 2026 and the 12 months before (Rx KPIs: September 2026, as Rx lags a month), by
-- the same slices (the total and each dimension alone). The benchmark runs it on the
-- loaded snapshot and checks its numbers against kpiops' results. Channel settings are
-- copied from channels/*.yaml. Results go to `hand`: one row per KPI (or KPI.category),
-- month and slice; a dimension that is NULL there is the total.

CREATE OR REPLACE TEMP TABLE hand (kpi VARCHAR, period DATE, brand VARCHAR, country VARCHAR, segment VARCHAR, territory VARCHAR, value DOUBLE, n DOUBLE);

CREATE OR REPLACE TEMP TABLE ch AS SELECT * FROM (VALUES
  ('banner', 0.5, 'digital_self_service', 10, 'week'), ('call_center', 2.0, 'virtual', NULL, NULL),
  ('congress', 4.0, 'in_person', NULL, NULL), ('email', 1.0, 'digital_self_service', 2, 'week'),
  ('remote_detail', 4.0, 'virtual', 2, 'month'), ('rep_visit', 5.0, 'in_person', 2, 'month'),
  ('sample_portal', 3.0, 'digital_self_service', NULL, NULL), ('webinar', 4.0, 'virtual', NULL, NULL),
  ('website', 1.0, 'digital_self_service', NULL, NULL), ('whatsapp', 2.0, 'virtual', 3, 'week')
) t(channel, weight, modality, cap, cap_per);

CREATE OR REPLACE TEMP TABLE eng AS SELECT * FROM (VALUES
  ('banner', 'clicked'), ('call_center', 'called'), ('congress', 'visited'), ('congress', 'attended'),
  ('email', 'opened'), ('email', 'clicked'), ('remote_detail', 'detailed'), ('rep_visit', 'visited'),
  ('rep_visit', 'detailed'), ('sample_portal', 'sample_requested'), ('webinar', 'registered'),
  ('webinar', 'attended'), ('website', 'viewed'), ('website', 'downloaded'), ('whatsapp', 'replied')
) t(channel, event);

CREATE OR REPLACE TEMP TABLE stg AS SELECT * FROM (VALUES
  ('banner', 'impression', 0), ('banner', 'clicked', 0), ('call_center', 'called', 1), ('congress', 'visited', 0),
  ('congress', 'attended', 1), ('email', 'delivered', 0), ('email', 'opened', 0), ('email', 'clicked', 1),
  ('remote_detail', 'detailed', 1), ('rep_visit', 'visited', 0), ('rep_visit', 'detailed', 1),
  ('sample_portal', 'sample_requested', 2), ('webinar', 'registered', 1), ('webinar', 'attended', 1),
  ('website', 'viewed', 0), ('website', 'downloaded', 1), ('whatsapp', 'delivered', 0), ('whatsapp', 'replied', 1)
) t(channel, event, stage);

-- Events that show a push touch reached the HCP, for channels that list them (others: every event).
CREATE OR REPLACE TEMP TABLE rcv AS SELECT * FROM (VALUES ('email', 'delivered'), ('email', 'opened'), ('email', 'clicked')) t(channel, event);

-- Events with their HCP's attributes and whether they are engagement.
CREATE OR REPLACE TEMP VIEW ev AS
SELECT i.*, h.country, h.segment, h.territory, h.target,
  (eng.event IS NOT NULL AND NOT coalesce(i.bot, false)) AS engaged, ch.weight, ch.modality, ch.cap, ch.cap_per,
  (i.channel NOT IN (SELECT channel FROM rcv) OR (i.channel, i.event) IN (SELECT (channel, event) FROM rcv)) AS received
FROM interactions i
LEFT JOIN hcps h USING (hcp_id)
LEFT JOIN eng ON eng.channel = i.channel AND eng.event = i.event
LEFT JOIN ch ON ch.channel = i.channel;

CREATE OR REPLACE TEMP TABLE months AS
SELECT CAST(m AS DATE) AS p FROM range(TIMESTAMP '2025-10-01', TIMESTAMP '2026-11-01', INTERVAL 1 MONTH) t(m);

-- Target HCPs by HCP dimension (reach, index and stage denominators).
CREATE OR REPLACE TEMP TABLE targets AS
SELECT country, segment, territory, count(*) AS n FROM hcps WHERE target
GROUP BY GROUPING SETS ((), (country), (segment), (territory));

-- Email rates.
INSERT INTO hand
SELECT k.kpi, p, brand, country, segment, NULL, k.num / nullif(k.den, 0), k.den
FROM (
  SELECT date_trunc('month', occurred_at) AS p, brand, country, segment,
    count(DISTINCT (hcp_id, message_id)) FILTER (WHERE event = 'delivered') AS delivered,
    count(DISTINCT (hcp_id, message_id)) FILTER (WHERE event = 'opened' AND bot IS DISTINCT FROM true) AS opened,
    count(DISTINCT (hcp_id, message_id)) FILTER (WHERE event = 'clicked') AS clicked
  FROM ev WHERE channel = 'email' AND occurred_at >= '2025-10-01' AND occurred_at < '2026-11-01'
  GROUP BY date_trunc('month', occurred_at), GROUPING SETS ((), (brand), (country), (segment))
) e, LATERAL (VALUES ('email_open_rate', opened, delivered), ('email_ctr', clicked, delivered), ('email_ctor', clicked, opened)) k(kpi, num, den);

-- Reach, frequency, multichannel and sample request rates (target HCPs).
CREATE OR REPLACE TEMP TABLE reached AS
SELECT * EXCLUDE (is_reached) FROM (
  SELECT date_trunc('month', occurred_at) AS p, hcp_id, brand, any_value(country) AS country, any_value(segment) AS segment, any_value(territory) AS territory,
    bool_or(engaged) AS is_reached, count(DISTINCT message_id) FILTER (WHERE engaged) AS touches,
    list(DISTINCT channel) FILTER (WHERE engaged) AS channels, bool_or(event = 'sample_requested') AS sampled
  FROM ev WHERE target AND occurred_at >= '2025-10-01' AND occurred_at < '2026-11-01'
  GROUP BY ALL
) WHERE is_reached;
CREATE OR REPLACE TEMP TABLE reached_all AS
SELECT * EXCLUDE (is_reached) FROM (
  SELECT date_trunc('month', occurred_at) AS p, hcp_id, any_value(country) AS country, any_value(segment) AS segment, any_value(territory) AS territory,
    bool_or(engaged) AS is_reached, count(DISTINCT message_id) FILTER (WHERE engaged) AS touches,
    list(DISTINCT channel) FILTER (WHERE engaged) AS channels, bool_or(event = 'sample_requested') AS sampled
  FROM ev WHERE target AND occurred_at >= '2025-10-01' AND occurred_at < '2026-11-01'
  GROUP BY ALL
) WHERE is_reached;
-- A brand slice reads the per-brand rows; every other slice reads the rows across brands.
CREATE OR REPLACE TEMP TABLE reach_slices AS
SELECT p, brand, country, segment, territory, count(*) AS hcps, sum(touches) AS touches,
  count(*) FILTER (WHERE len(channels) >= 2) AS multi, count(*) FILTER (WHERE sampled) AS sampled
FROM (SELECT false AS all_brands, p, brand, country, segment, territory, touches, channels, sampled FROM reached
      UNION ALL SELECT true, p, NULL, country, segment, territory, touches, channels, sampled FROM reached_all)
GROUP BY p, all_brands, GROUPING SETS ((brand), (country), (segment), (territory), ())
HAVING all_brands = (GROUPING(brand) = 1);
INSERT INTO hand
SELECT 'reach', r.p, r.brand, r.country, r.segment, r.territory, r.hcps / t.n, t.n
FROM reach_slices r JOIN targets t ON t.country IS NOT DISTINCT FROM r.country AND t.segment IS NOT DISTINCT FROM r.segment AND t.territory IS NOT DISTINCT FROM r.territory;
INSERT INTO hand SELECT 'frequency', p, brand, country, segment, territory, touches / hcps, hcps FROM reach_slices;
INSERT INTO hand SELECT 'multichannel_rate', p, brand, country, segment, territory, multi / hcps, hcps FROM reach_slices;
INSERT INTO hand SELECT 'sample_request_rate', p, brand, country, segment, territory, sampled / hcps, hcps FROM reach_slices;

-- Channel mix: engaged touches by modality.
INSERT INTO hand
SELECT 'channel_mix.' || m.modality, s.p, s.brand, s.country, NULL, NULL, s.touches / sum(s.touches) OVER (PARTITION BY s.p, s.brand, s.country, s.g), sum(s.touches) OVER (PARTITION BY s.p, s.brand, s.country, s.g)
FROM (
  SELECT date_trunc('month', occurred_at) AS p, modality, brand, country, GROUPING(brand, country) AS g, count(DISTINCT (hcp_id, message_id)) AS touches
  FROM ev WHERE engaged AND occurred_at >= '2025-10-01' AND occurred_at < '2026-11-01'
  GROUP BY date_trunc('month', occurred_at), modality, GROUPING SETS ((), (brand), (country))
) s JOIN (SELECT DISTINCT modality FROM ch) m USING (modality);

-- Over-contact: reached target HCPs with more received push touches than a channel's cap in one of its windows.
CREATE OR REPLACE TEMP TABLE contacts AS
SELECT date_trunc('month', occurred_at) AS p, hcp_id, brand, channel, date_trunc(cap_per, occurred_at) AS w, any_value(cap) AS cap,
  count(DISTINCT message_id) AS pushed
FROM ev WHERE target AND cap IS NOT NULL AND received AND occurred_at >= '2025-10-01' AND occurred_at < '2026-11-01'
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE over_by_brand AS SELECT p, hcp_id, brand, bool_or(pushed > cap) AS over FROM contacts GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE over_all AS
SELECT p, hcp_id, bool_or(pushed > cap) AS over FROM (
  SELECT date_trunc('month', occurred_at) AS p, hcp_id, channel, date_trunc(cap_per, occurred_at) AS w, any_value(cap) AS cap, count(DISTINCT message_id) AS pushed
  FROM ev WHERE target AND cap IS NOT NULL AND received AND occurred_at >= '2025-10-01' AND occurred_at < '2026-11-01'
  GROUP BY ALL
) GROUP BY ALL;
INSERT INTO hand
SELECT 'over_contact_rate', p, brand, country, segment, territory, count(*) FILTER (WHERE over) / count(*), count(*)
FROM (SELECT false AS all_brands, r.p, r.brand, r.country, r.segment, r.territory, coalesce(o.over, false) AS over FROM reached r LEFT JOIN over_by_brand o USING (p, hcp_id, brand)
      UNION ALL SELECT true, r.p, NULL, r.country, r.segment, r.territory, coalesce(o.over, false) FROM reached_all r LEFT JOIN over_all o USING (p, hcp_id))
GROUP BY p, all_brands, GROUPING SETS ((brand), (country), (segment), (territory), ())
HAVING all_brands = (GROUPING(brand) = 1);
-- Funnels: the cohort of a month is each pair's first step in it; later steps within the window.
CREATE OR REPLACE TEMP MACRO funnel_rows(first_step, second_step, pair_kind, days) AS TABLE
WITH s AS (
  SELECT hcp_id, CASE pair_kind WHEN 'message' THEN message_id WHEN 'content' THEN content_id END AS pair, occurred_at AS t, brand, country, segment,
    CASE first_step WHEN 'webinar' THEN channel = 'webinar' AND event = 'registered'
      WHEN 'content' THEN channel = 'website' AND event = 'viewed'
      ELSE (channel = 'email' AND event = 'clicked') OR (channel = 'website' AND event = 'viewed') END AS s0,
    CASE second_step WHEN 'webinar' THEN channel = 'webinar' AND event = 'attended'
      WHEN 'content' THEN channel = 'website' AND event = 'downloaded'
      ELSE channel IN ('rep_visit', 'remote_detail') AND event IN ('visited', 'detailed') END AS s1
  FROM ev WHERE occurred_at >= '2025-10-01'
), a AS (
  SELECT date_trunc('month', t) AS p, hcp_id, pair, min(t) AS t0, arg_min(brand, t) AS brand, any_value(country) AS country, any_value(segment) AS segment
  FROM s WHERE s0 AND t < '2026-11-01' GROUP BY ALL
)
SELECT a.p, a.brand, a.country, a.segment, EXISTS (
  SELECT 1 FROM s WHERE s.s1 AND s.hcp_id = a.hcp_id AND s.pair IS NOT DISTINCT FROM a.pair AND s.t >= a.t0 AND s.t <= a.t0 + to_days(days)
) AS converted FROM a;
INSERT INTO hand
SELECT kpi, p, brand, country, segment, NULL, count(*) FILTER (WHERE converted) / count(*), count(*)
FROM (SELECT 'webinar_attendance_rate' AS kpi, * FROM funnel_rows('webinar', 'webinar', 'message', 30)
      UNION ALL SELECT 'content_download_rate', * FROM funnel_rows('content', 'content', 'content', 30)
      UNION ALL SELECT 'cross_channel_conversion', * FROM funnel_rows('digital', 'rep', 'hcp', 14))
GROUP BY kpi, p, GROUPING SETS ((), (brand), (country), (segment));

-- Content utilization: approved, unexpired items used in a touch in the month.
INSERT INTO hand
SELECT 'content_utilization', m.p, c.brand, NULL, NULL, NULL,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.content_id = c.content_id AND date_trunc('month', i.occurred_at) = m.p)) / count(*), count(*)
FROM content c JOIN months m ON c.approved_at < m.p + INTERVAL 1 MONTH AND (c.expires_at IS NULL OR c.expires_at > m.p)
GROUP BY m.p, GROUPING SETS ((), (c.brand));

-- Survey scores.
INSERT INTO hand
SELECT 'nps', p, brand, country, segment, NULL, 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*), count(*)
FROM (SELECT date_trunc('month', responded_at) AS p, r.brand, h.country, h.segment, score FROM responses r LEFT JOIN hcps h USING (hcp_id)
      WHERE survey = 'nps' AND score IS NOT NULL AND responded_at >= '2025-10-01' AND responded_at < '2026-11-01')
GROUP BY p, GROUPING SETS ((), (brand), (country), (segment));
INSERT INTO hand
SELECT 'csat', p, brand, country, segment, NULL, 100.0 * count(*) FILTER (WHERE score >= 4) / count(*), count(*)
FROM (SELECT date_trunc('month', responded_at) AS p, r.brand, h.country, h.segment, score FROM responses r LEFT JOIN hcps h USING (hcp_id)
      WHERE survey = 'csat' AND score IS NOT NULL AND responded_at >= '2025-10-01' AND responded_at < '2026-11-01')
GROUP BY p, GROUPING SETS ((), (brand), (country), (segment));
INSERT INTO hand
SELECT CASE survey WHEN 'ces' THEN 'ces' ELSE 'intent_to_prescribe' END, p, brand, country, segment, NULL, avg(score), count(*)
FROM (SELECT survey, date_trunc('month', responded_at) AS p, r.brand, h.country, h.segment, score FROM responses r LEFT JOIN hcps h USING (hcp_id)
      WHERE survey IN ('ces', 'intent') AND score IS NOT NULL AND responded_at >= '2025-10-01' AND responded_at < '2026-11-01')
GROUP BY survey, p, GROUPING SETS ((), (brand), (country), (segment));

-- NPS gap to the leader, by brand: our NPS minus the best competitor of the latest study started by the month.
INSERT INTO hand
SELECT 'nps_gap_to_leader', n.period, n.brand, NULL, NULL, NULL, n.value - (
  SELECT max(b.value) FROM benchmarks b WHERE b.brand = n.brand AND b.metric = 'nps' AND b.company <> 'ours' AND b.period = (
    SELECT max(b2.period) FROM benchmarks b2 WHERE b2.brand = n.brand AND b2.metric = 'nps'
      AND make_date(CAST(left(b2.period, 4) AS INTEGER), (CAST(right(b2.period, 1) AS INTEGER) - 1) * 3 + 1, 1) <= n.period)), n.n
FROM hand n WHERE n.kpi = 'nps' AND n.brand IS NOT NULL;

-- Engagement index: per target HCP over the six months ending with each month.
CREATE OR REPLACE TEMP TABLE cei_tm AS
SELECT DISTINCT hcp_id, brand, channel, message_id, weight, CAST(date_trunc('month', occurred_at) AS DATE) AS m
FROM ev WHERE engaged AND target AND occurred_at >= '2025-05-01' AND occurred_at < '2026-11-01';
CREATE OR REPLACE TEMP TABLE cei_win AS
SELECT mo.p, t.* FROM cei_tm t JOIN months mo ON t.m > mo.p - INTERVAL 6 MONTH AND t.m <= mo.p;
CREATE OR REPLACE TEMP TABLE cei_hcp AS
WITH by_brand AS (
  SELECT p, hcp_id, brand, count(DISTINCT channel) AS channels, count(DISTINCT m) AS months FROM cei_win GROUP BY ALL
), brand_points AS (
  SELECT p, hcp_id, brand, sum(weight) AS points FROM (SELECT DISTINCT p, hcp_id, brand, channel, message_id, weight FROM cei_win) GROUP BY ALL
), across AS (
  SELECT p, hcp_id, count(DISTINCT channel) AS channels, count(DISTINCT m) AS months FROM cei_win GROUP BY ALL
), across_points AS (
  SELECT p, hcp_id, sum(weight) AS points FROM (SELECT DISTINCT p, hcp_id, channel, message_id, weight FROM cei_win) GROUP BY ALL
)
SELECT x.*, 100 * (0.3333 * channels / 10 + 0.3333 * least(1, points / 40) + 0.3334 * least(1, months / 6)) AS cei
FROM (SELECT false AS all_brands, b.p, b.hcp_id, b.brand, channels, months, points FROM by_brand b JOIN brand_points USING (p, hcp_id, brand)
      UNION ALL SELECT true, a.p, a.hcp_id, NULL, channels, months, points FROM across a JOIN across_points USING (p, hcp_id)) x;
INSERT INTO hand
SELECT 'cei', c.p, c.brand, c.country, c.segment, c.territory, c.total / t.n, t.n
FROM (SELECT p, brand, h.country, h.segment, h.territory, sum(cei) AS total FROM cei_hcp JOIN hcps h USING (hcp_id)
      GROUP BY p, all_brands, GROUPING SETS ((brand), (h.country), (h.segment), (h.territory), ()) HAVING all_brands = (GROUPING(brand) = 1)) c
JOIN targets t ON t.country IS NOT DISTINCT FROM c.country AND t.segment IS NOT DISTINCT FROM c.segment AND t.territory IS NOT DISTINCT FROM c.territory;

-- Goal attainment: points since the goal's start (same HCP and brand) over goal points, capped at 1.
CREATE OR REPLACE TEMP TABLE goal_months AS
SELECT row_number() OVER () AS goal, m.p, g.hcp_id, g.brand, g.goal_points, CAST(g.period_start AS TIMESTAMP) AS since,
  least(m.p + INTERVAL 1 MONTH, g.period_end + INTERVAL 1 DAY) AS upto
FROM goals g JOIN months m ON g.period_start < m.p + INTERVAL 1 MONTH AND g.period_end + INTERVAL 1 DAY > m.p
WHERE g.goal_points > 0;
CREATE OR REPLACE TEMP TABLE goal_points AS
SELECT goal, sum(weight) AS points FROM (
  SELECT DISTINCT gm.goal, e.channel, e.message_id, e.weight FROM goal_months gm
  JOIN ev e ON e.hcp_id = gm.hcp_id AND e.brand = gm.brand AND e.engaged AND e.occurred_at >= gm.since AND e.occurred_at < gm.upto
) GROUP BY goal;
INSERT INTO hand
SELECT 'goal_attainment', gm.p, gm.brand, h.country, h.segment, h.territory, avg(least(1, coalesce(gp.points, 0) / gm.goal_points)), count(*)
FROM goal_months gm LEFT JOIN goal_points gp USING (goal) JOIN hcps h USING (hcp_id)
GROUP BY gm.p, GROUPING SETS ((), (gm.brand), (h.country), (h.segment), (h.territory));

-- Re-engagement: lapsed 90 days before the month starts, back in the month.
CREATE OR REPLACE TEMP TABLE eng_days AS
SELECT hcp_id, brand, country, segment, CAST(occurred_at AS DATE) AS d FROM ev WHERE engaged AND occurred_at < '2026-11-01' GROUP BY ALL;
INSERT INTO hand
SELECT 'reengagement_rate', p, brand, country, segment, NULL, count(*) FILTER (WHERE back) / count(*), count(*)
FROM (
  SELECT m.p, x.all_brands, x.brand, x.country, x.segment, bool_or(x.d >= m.p AND x.d < m.p + INTERVAL 1 MONTH) AS back
  FROM (SELECT false AS all_brands, hcp_id, brand, country, segment, d FROM eng_days
        UNION ALL SELECT DISTINCT true, hcp_id, NULL, country, segment, d FROM eng_days) x
  JOIN months m ON x.d < m.p + INTERVAL 1 MONTH
  GROUP BY m.p, x.all_brands, x.hcp_id, x.brand, x.country, x.segment
  HAVING max(x.d) FILTER (WHERE x.d < m.p) < m.p - INTERVAL 90 DAY
) GROUP BY p, all_brands, GROUPING SETS ((brand), (country), (segment), ()) HAVING all_brands = (GROUPING(brand) = 1);

-- Journey stages: furthest stage over the six months ending with each month, vs the month before.
CREATE OR REPLACE TEMP TABLE staged AS
SELECT m.p, hcp_id, GROUPING(brand) = 1 AS all_brands, brand, max(stg.stage) AS stage
FROM ev JOIN stg USING (channel, event)
JOIN (SELECT p FROM months UNION ALL SELECT DATE '2025-09-01') m ON ev.occurred_at >= m.p - INTERVAL 5 MONTH AND ev.occurred_at < m.p + INTERVAL 1 MONTH
WHERE target AND bot IS DISTINCT FROM true
GROUP BY m.p, hcp_id, GROUPING SETS ((), (brand));
INSERT INTO hand
SELECT 'stage_distribution.' || s.name, c.p, c.brand, c.country, c.segment, NULL, coalesce(c.at[s.i + 1], 0) / t.n, t.n
FROM (
  SELECT cur.p, cur.brand, h.country, h.segment,
    [count(*) FILTER (WHERE cur.stage = 0), count(*) FILTER (WHERE cur.stage = 1), count(*) FILTER (WHERE cur.stage = 2), count(*) FILTER (WHERE cur.stage = 3)] AS at
  FROM staged cur JOIN hcps h USING (hcp_id)
  WHERE cur.p >= '2025-10-01'
  GROUP BY cur.p, cur.all_brands, GROUPING SETS ((cur.brand), (h.country), (h.segment), ()) HAVING cur.all_brands = (GROUPING(cur.brand) = 1)
) c
CROSS JOIN (VALUES (0, 'awareness'), (1, 'consideration'), (2, 'conversion'), (3, 'retention')) s(i, name)
JOIN targets t ON t.country IS NOT DISTINCT FROM c.country AND t.segment IS NOT DISTINCT FROM c.segment AND t.territory IS NULL;

-- Rx share and NRx growth (September 2026 back, as Rx lags a month).
CREATE OR REPLACE TEMP TABLE rx_slices AS
SELECT r.month AS p, r.brand, h.country, h.segment, h.territory, sum(trx) AS trx, sum(market_trx) AS market, sum(nrx) AS nrx, count(DISTINCT r.hcp_id) AS hcps
FROM rx r LEFT JOIN hcps h USING (hcp_id) WHERE r.month >= '2024-09-01' AND r.month < '2026-10-01'
GROUP BY r.month, GROUPING SETS ((), (r.brand), (h.country), (h.segment), (h.territory));
INSERT INTO hand SELECT 'trx_share', p, brand, country, segment, territory, trx / nullif(market, 0), hcps FROM rx_slices WHERE p >= '2025-09-01';
INSERT INTO hand
SELECT 'nrx_growth', c.p, c.brand, c.country, c.segment, c.territory, c.nrx / nullif(l.nrx, 0) - 1, c.hcps
FROM rx_slices c LEFT JOIN rx_slices l ON l.p = c.p - INTERVAL 1 YEAR AND l.brand IS NOT DISTINCT FROM c.brand AND l.country IS NOT DISTINCT FROM c.country
  AND l.segment IS NOT DISTINCT FROM c.segment AND l.territory IS NOT DISTINCT FROM c.territory
WHERE c.p >= '2025-09-01';
