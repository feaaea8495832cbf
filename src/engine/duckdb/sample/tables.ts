import { BRANDS, CHANNELS_BY_MODALITY, SAMPLE_CHANNELS, COMPETITORS, CONTENT_PER_BRAND, CONTENT_TYPES, COUNTRIES, DISMISS_REASONS, DRIVERS, NAMES, SEGMENTS, SPECIALTIES, SUGGESTION_DAYS, SUGGESTION_SEGMENTS } from './world.js';
import { lit, lookup, pick } from './sql-helpers.js';

/** The shape of one generated sample: sizes, seed and calendar. All values are validated integers or dates. */
export interface SampleShape {
  hcps: number;
  months: number;
  seed: number;
  /** First day of the first month, `YYYY-MM-01`. */
  start: string;
  /** The snapshot's as_of: first day after the last month, `YYYY-MM-01`. */
  asOf: string;
}

/** A uniform number in [0, 1) from a hash of the seed and the given keys: the same inputs, the same number. */
export const uniformMacro = (seed: number) => `CREATE MACRO u(a, b, c) AS (hash(a, b, c, ${seed}) % 1000000007) / 1000000007.0`;

const listOf = (values: readonly string[]) => `[${values.map(lit).join(', ')}]`;
const CHANNEL_LIST = listOf(SAMPLE_CHANNELS);
const BRAND_LIST = listOf(BRANDS.map((b) => b.id));
const COUNTRY_LIST = listOf(COUNTRIES.map((c) => c.id));

const monthStart = (m: string, shape: SampleShape) => `(DATE ${lit(shape.start)} + to_months(CAST(${m} AS INTEGER)))`;

/** Brands an HCP of this specialty prescribes, as a weighted pick. */
function brandPick(specialty: string, u: string): string {
  const cases = SPECIALTIES.map((s) => {
    const brands = BRANDS.filter((b) => (s.areas as readonly string[]).includes(b.area));
    return `WHEN ${lit(s.id)} THEN ${pick(u, brands.map((b) => [b.id, b.area === 'neuroscience' && s.areas.length > 1 ? 0.8 : 1] as const))}`;
  });
  return `CASE ${specialty} ${cases.join(' ')} END`;
}

/**
 * A made-up "Dr. Given Family" name for the HCP, plausible for its country. One hash of the
 * HCP id alone (not the seeded `u`) picks both parts, so adding names changed no other
 * value; the family name is taken from the hash's higher digits, independent of the given name.
 */
function nameSql(id: string, country: string): string {
  const h = `hash(${id} || '/name')`;
  const part = (list: readonly string[], divisor: number) => `[${list.map(lit).join(', ')}][CAST((${h} // ${divisor}) % ${list.length} AS INTEGER) + 1]`;
  return `'Dr. ' || CASE ${country} ${Object.entries(NAMES).map(([c, n]) => `WHEN ${lit(c)} THEN ${part(n.given, 1)} || ' ' || ${part(n.family, n.given.length)}`).join(' ')} END`;
}

/**
 * A territory's id from its country and number: `DE-T07`, `DE-T123`. At least two digits,
 * never fewer than the number has (`lpad` would cut 123 to `12`, giving two territories one id).
 */
const territoryId = (country: string, n: string) => `${country} || '-T' || printf('%02d', ${n})`;

export function hcpsSql(shape: SampleShape): string {
  const territories = COUNTRIES.map((c) => [c.id, Math.max(1, Math.round((shape.hcps * c.weight) / 250))] as const);
  const segment = (field: (s: (typeof SEGMENTS)[number]) => number) => lookup('segment', SEGMENTS.map((s) => [s.id, field(s)] as const));
  return `
CREATE TABLE hcps AS
WITH base AS (
  SELECT i AS hcp_n, u(i, 1, 0) AS u1, u(i, 2, 0) AS u2, u(i, 3, 0) AS u3, u(i, 4, 0) AS u4,
         u(i, 5, 0) AS u5, u(i, 6, 0) AS u6, u(i, 7, 0) AS u7, u(i, 8, 0) AS u8
  FROM range(${shape.hcps}) t(i)
), drawn AS (
  SELECT *,
    ${pick('u1', COUNTRIES.map((c) => [c.id, c.weight] as const))} AS country,
    ${pick('u2', SPECIALTIES.map((s) => [s.id, s.weight] as const))} AS specialty,
    ${pick('u3', SEGMENTS.map((s) => [s.id, s.weight] as const))} AS segment
  FROM base
), placed AS (
  SELECT *, CAST(floor(u8 * ${lookup('country', territories)}) AS INTEGER) + 1 AS territory_n FROM drawn
)
SELECT printf('H%07d', hcp_n) AS hcp_id, specialty, segment,
  CAST(${segment((s) => s.deciles[0])} + floor(u4 * (${segment((s) => s.deciles[1] - s.deciles[0] + 1)})) AS INTEGER) AS decile,
  ${territoryId('country', 'territory_n')} AS territory,
  country || '-' || CASE territory_n % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'south' ELSE 'central' END AS region,
  country,
  u5 < ${segment((s) => s.target)} AS target,
  u6 < 0.03 AS pdrp_opt_out,
  u7 < 0.72 AS email_consent,
  ${nameSql("printf('H%07d', hcp_n)", 'country')} AS name,
  hcp_n, territory_n
FROM placed`;
}

/** One row per touch: HCP, month, channel, brand and start time. */
export function touchesSql(shape: SampleShape): string {
  const segment = (field: (s: (typeof SEGMENTS)[number]) => number) => lookup('h.segment', SEGMENTS.map((s) => [s.id, field(s)] as const));
  const modality = `CASE segment ${SEGMENTS.map((s) => `WHEN ${lit(s.id)} THEN ${pick('u(touch_key, 21, 0)', [['in_person', s.mix[0]], ['virtual', s.mix[1]], ['digital_self_service', s.mix[2]]])}`).join(' ')} END`;
  const channel = `CASE modality ${Object.entries(CHANNELS_BY_MODALITY).map(([m, list]) => `WHEN ${lit(m)} THEN ${pick('u(touch_key, 22, 0)', list)}`).join(' ')} END`;
  // Fewer touches in August and December, as in most European markets.
  const season = `CASE month(${monthStart('m.m', shape)}) WHEN 8 THEN 0.6 WHEN 12 THEN 0.75 WHEN 7 THEN 0.85 ELSE 1.0 END`;
  return `
CREATE TABLE touches AS
WITH hm AS (
  SELECT h.hcp_n, h.segment, h.specialty, list_position(${COUNTRY_LIST}, h.country) AS ci, h.territory_n AS tn, m.m,
    ${segment((s) => s.touches)} * (CASE WHEN h.target THEN 1.0 ELSE 0.5 END) * ${season} AS rate
  FROM hcps h, range(${shape.months}) m(m)
), counted AS (
  SELECT *, CAST(floor(rate * (0.5 + u(hcp_n, m, 11)) + u(hcp_n, m, 12)) AS INTEGER) AS k FROM hm
), expanded AS (
  SELECT hcp_n, segment, specialty, ci, tn, m, unnest(range(k)) AS t FROM counted WHERE k > 0
), keyed AS (
  SELECT *, hcp_n * 4096 + m * 64 + t AS touch_key FROM expanded
), moded AS (
  SELECT *, ${modality} AS modality FROM keyed
)
SELECT touch_key, m, ci, tn, channel, brand, list_position(${CHANNEL_LIST}, channel) AS ch, list_position(${BRAND_LIST}, brand) AS br, t0,
  -- A few popular items carry most touches: most of the catalog goes unused.
  CAST(floor(pow(u(touch_key, 25, 0), 3) * 40) AS INTEGER) + 1 AS cn
FROM (
SELECT touch_key, m, ci, tn, ${channel} AS channel, ${brandPick('specialty', 'u(touch_key, 23, 0)')} AS brand,
  CAST(${monthStart('m', shape)} AS TIMESTAMP) + to_seconds(CAST(floor(u(touch_key, 24, 0) * 86400 * date_diff('day', ${monthStart('m', shape)}, ${monthStart('m + 1', shape)})) AS BIGINT)) AS t0
FROM moded)`;
}

/** One SELECT per (channel, event) with the condition under which the touch produced it and when. */
interface Step {
  channel: string;
  event: string;
  when?: string;
  /** Seconds after the touch started. */
  after: string;
  bot?: string;
  duration?: string;
  content?: boolean;
}

/** Each event a touch can produce, in step order: its channel, condition, timing and measures. */
function eventSteps(shape: SampleShape): Step[] {
  const delivered = 'u(touch_key, 31, 0) < 0.97';
  // One brand's emails stop being opened in the last two months (a deliverability problem to detect).
  const openRate = `(0.22 * CASE WHEN brand = 'neurexa' AND m >= ${shape.months - 2} THEN 0.35 ELSE 1.0 END)`;
  const humanOpen = `${delivered} AND u(touch_key, 32, 0) < ${openRate}`;
  const openAfter = '(3600 + floor(u(touch_key, 35, 0) * 255600))';
  const attendance = lookup('brand', BRANDS.map((b) => [b.id, b.webinarAttendance] as const));
  return [
    { channel: 'email', event: 'sent', after: '0', bot: 'false', content: true },
    { channel: 'email', event: 'delivered', when: delivered, after: '60', bot: 'false', content: true },
    { channel: 'email', event: 'bounced', when: `NOT (${delivered})`, after: '60', bot: 'false', content: true },
    { channel: 'email', event: 'opened', when: humanOpen, after: openAfter, bot: 'false', content: true },
    { channel: 'email', event: 'opened', when: `${delivered} AND u(touch_key, 33, 0) < 0.05`, after: '90', bot: 'true', content: true },
    { channel: 'email', event: 'clicked', when: `${humanOpen} AND u(touch_key, 34, 0) < 0.16`, after: `${openAfter} + 30 + floor(u(touch_key, 36, 0) * 600)`, bot: 'false', content: true },
    { channel: 'webinar', event: 'registered', after: '0', content: true },
    { channel: 'webinar', event: 'attended', when: `u(touch_key, 41, 0) < ${attendance}`, after: '86400 * (1 + floor(u(touch_key, 42, 0) * 14))', duration: '1800 + floor(u(touch_key, 43, 0) * 1800)', content: true },
    { channel: 'website', event: 'viewed', after: '0', duration: '10 + floor(u(touch_key, 51, 0) * 290)', content: true },
    { channel: 'website', event: 'downloaded', when: 'u(touch_key, 52, 0) < 0.15', after: '30 + floor(u(touch_key, 53, 0) * 270)', content: true },
    { channel: 'rep_visit', event: 'visited', after: '0', duration: '300 + floor(u(touch_key, 61, 0) * 1500)' },
    { channel: 'rep_visit', event: 'detailed', when: 'u(touch_key, 62, 0) < 0.85', after: '300', content: true },
    { channel: 'rep_visit', event: 'sample_requested', when: 'u(touch_key, 63, 0) < 0.08', after: '600' },
    { channel: 'remote_detail', event: 'detailed', after: '0', duration: '600 + floor(u(touch_key, 71, 0) * 900)', content: true },
    { channel: 'whatsapp', event: 'delivered', after: '0', content: true },
    { channel: 'whatsapp', event: 'replied', when: 'u(touch_key, 81, 0) < 0.2', after: '600 + floor(u(touch_key, 82, 0) * 172800)' },
    { channel: 'call_center', event: 'called', after: '0', duration: '120 + floor(u(touch_key, 91, 0) * 600)' },
    { channel: 'congress', event: 'visited', after: '0', duration: '120 + floor(u(touch_key, 101, 0) * 900)' },
    { channel: 'congress', event: 'attended', when: 'u(touch_key, 102, 0) < 0.4', after: '3600', content: true },
    { channel: 'sample_portal', event: 'sample_requested', after: '0' },
    { channel: 'banner', event: 'impression', after: '0', content: true },
    { channel: 'banner', event: 'clicked', when: 'u(touch_key, 111, 0) < 0.012', after: '5', content: true },
  ];
}

const REP_CHANNELS = ['rep_visit', 'remote_detail', 'whatsapp'];

/** An interaction's channel, from the position the interactions table keeps. */
export const INTERACTION_CHANNEL = `${CHANNEL_LIST}[ch]`;

/**
 * The events of every touch, as numbers only: the sort key (touch and step), the time, the
 * channel, brand and country as positions in their lists, the territory's number, and what
 * the steps measure. Its
 * text columns are made as the table is written (`interactionsColumns`), after the sort, so
 * the sort moves numbers rather than strings.
 */
export function interactionsSql(shape: SampleShape): string {
  const steps = eventSteps(shape);
  // One scan of the touches joined to the steps of their channel (instead of a scan per step);
  // each step's condition and timing is a CASE on the step number.
  const byStep = (f: (s: Step) => string) => `CASE step ${steps.map((s, i) => `WHEN ${i} THEN ${f(s)}`).join(' ')} END`;
  return `
CREATE TABLE interactions AS
WITH candidates AS (
  SELECT t.*, s.step FROM touches t JOIN (VALUES ${steps.map((s, i) => `(${i}, ${lit(s.channel)})`).join(', ')}) AS s(step, channel) USING (channel)
), events AS (
  SELECT touch_key * 32 + step AS sort_key, t0 + to_seconds(CAST(${byStep((x) => x.after)} AS BIGINT)) AS occurred_at, ch, br, ci, tn, t0,
    CASE WHEN ${byStep((x) => (x.content ? 'true' : 'false'))} THEN cn END AS cn,
    CAST(${byStep((x) => x.bot ?? 'NULL')} AS BOOLEAN) AS bot,
    CAST(${byStep((x) => x.duration ?? 'NULL')} AS INTEGER) AS duration_s
  FROM candidates
  WHERE ${byStep((x) => x.when ?? 'true')}
)
SELECT * FROM events WHERE occurred_at < TIMESTAMP ${lit(`${shape.asOf} 00:00:00`)}`;
}

/**
 * The interactions file's columns, in order, from the numbers `interactionsSql` keeps: each text
 * (ids, channel, event, brand, campaign, content, rep) is a function of them.
 */
export function interactionsColumns(shape: SampleShape): string {
  const steps = eventSteps(shape);
  const touch = 'sort_key // 32';
  const step = 'sort_key % 32';
  const hcpId = `printf('H%07d', ${touch} // 4096)`;
  const messageId = `${hcpId} || '-' || strftime(${monthStart(`(${touch} // 64) % 64`, shape)}, '%Y%m') || '-' || CAST(${touch} % 64 AS VARCHAR)`;
  const brand = `${BRAND_LIST}[br]`;
  const channel = INTERACTION_CHANNEL;
  const prefix = `upper(substr(${brand}, 1, 3))`;
  const territory = territoryId(`${COUNTRY_LIST}[ci]`, 'tn');
  return [
    `${messageId} || '.' || CAST(${step} AS VARCHAR) AS event_id`,
    `${messageId} AS message_id`,
    `${hcpId} AS hcp_id`,
    'occurred_at',
    `${channel} AS channel`,
    `[${steps.map((s) => lit(s.event)).join(', ')}][${step} + 1] AS event`,
    `${brand} AS brand`,
    `${prefix} || '-' || strftime(t0, '%Y') || 'Q' || CAST(quarter(t0) AS VARCHAR) AS campaign_id`,
    `${prefix} || '-' || lpad(CAST(cn AS VARCHAR), 4, '0') AS content_id`,
    `CASE WHEN ${channel} IN (${REP_CHANNELS.map(lit).join(', ')}) THEN 'REP-' || ${territory} END AS rep_id`,
    'bot',
    'duration_s',
  ].join(', ');
}

/** The steps of the events a suggestion counts as the rep meeting the HCP: a visit or a detail, in person or remote. */
const meetingSteps = (shape: SampleShape) =>
  eventSteps(shape).flatMap((s, i) => (['rep_visit', 'remote_detail'].includes(s.channel) && ['visited', 'detailed'].includes(s.event) ? [i] : []));

const quarters = (shape: SampleShape) => `(SELECT DISTINCT date_trunc('quarter', ${monthStart('m', shape)}) AS q FROM range(${shape.months}) t(m))`;

/** Brands an HCP prescribes (one row per HCP and brand). */
const hcpBrands = `(SELECT h.*, b.brand FROM hcps h JOIN (VALUES ${SPECIALTIES.flatMap((s) => BRANDS.filter((b) => (s.areas as readonly string[]).includes(b.area)).map((b) => `(${lit(s.id)}, ${lit(b.id)})`)).join(', ')}) AS b(specialty, brand) ON h.specialty = b.specialty)`;

export function responsesSql(shape: SampleShape): string {
  const surveys = [
    { id: 'nps', p: 0.12, lo: 0, hi: 10, mean: (b: (typeof BRANDS)[number]) => b.nps, spread: 2.2 },
    { id: 'csat', p: 0.08, lo: 1, hi: 5, mean: (b: (typeof BRANDS)[number]) => b.csat, spread: 0.9 },
    { id: 'ces', p: 0.06, lo: 1, hi: 7, mean: (b: (typeof BRANDS)[number]) => b.ces, spread: 1.2 },
    { id: 'intent', p: 0.1, lo: 0, hi: 10, mean: (b: (typeof BRANDS)[number]) => b.intent, spread: 2.0 },
  ];
  const selects = surveys.map((s, i) => {
    const mean = lookup('brand', BRANDS.map((b) => [b.id, s.mean(b)] as const));
    const key = `hash(hcp_n, brand, q)`;
    // The sum of three uniforms is bell-shaped; scaled so the spread is roughly one standard deviation.
    const noise = `(u(${key}, ${i}, 1) + u(${key}, ${i}, 2) + u(${key}, ${i}, 3) - 1.5) * 2`;
    return `
  SELECT hcp_id || '-' || brand || '-' || strftime(q, '%Y%m') || '-' || ${lit(s.id)} AS response_id, hcp_id, brand, ${lit(s.id)} AS survey,
    CASE WHEN u(${key}, ${i}, 4) < 0.02 THEN NULL ELSE CAST(least(${s.hi}, greatest(${s.lo}, round(${mean} + ${s.spread} * ${noise}))) AS DOUBLE) END AS score,
    CAST(q AS TIMESTAMP) + to_seconds(CAST(floor(u(${key}, ${i}, 5) * 86400 * 90) AS BIGINT)) AS responded_at
  FROM hb, ${quarters(shape)} qs WHERE u(${key}, ${i}, 0) < ${s.p}`;
  });
  return `
CREATE TABLE responses AS
WITH hb AS ${hcpBrands}
SELECT * FROM (${selects.join('\n  UNION ALL')}
) WHERE responded_at < TIMESTAMP ${lit(`${shape.asOf} 00:00:00`)} AND responded_at >= TIMESTAMP ${lit(`${shape.start} 00:00:00`)}`;
}

export function goalsSql(shape: SampleShape): string {
  return `
CREATE TABLE goals AS
WITH hb AS ${hcpBrands}
SELECT hcp_id, brand, CAST(q AS DATE) AS period_start, CAST(q + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS period_end,
  CAST(10 + decile * 4 + floor(u(hash(hcp_n, brand), epoch(q), 1) * 6) AS DOUBLE) AS goal_points
FROM hb, ${quarters(shape)} qs WHERE target`;
}

export function rxSql(shape: SampleShape): string {
  const share = lookup('brand', BRANDS.map((b) => [b.id, b.share] as const));
  // Rx arrives a month late: the last month of the sample has none yet.
  return `
CREATE TABLE rx AS
WITH hb AS ${hcpBrands},
rows AS (
  SELECT hcp_id, hcp_n, brand, decile, m, ${monthStart('m', shape)} AS month, u(hash(hcp_n, brand), m, 1) AS a, u(hash(hcp_n, brand), m, 2) AS b
  FROM hb, range(${shape.months - 1}) t(m) WHERE decile >= 3
)
SELECT hcp_id, brand, CAST(month AS DATE) AS month,
  CAST(floor(decile * 0.6 * (0.5 + a) * (CASE WHEN month(month) = 8 THEN 0.7 ELSE 1.0 END)) AS INTEGER) AS nrx,
  CAST(floor(decile * 0.6 * (0.5 + a) * (CASE WHEN month(month) = 8 THEN 0.7 ELSE 1.0 END)) * 3 + floor(b * 4) AS INTEGER) AS trx,
  -- The August lull is the whole market's, not only the brand's: the brand's share holds.
  CAST(ceil((floor(decile * 0.6 * (0.5 + a)) * 3 + floor(b * 4) + 1) / (${share} * (0.7 + 0.6 * b)) * (CASE WHEN month(month) = 8 THEN 0.7 ELSE 1.0 END)) AS INTEGER) AS market_trx
FROM rows`;
}

export function contentSql(shape: SampleShape): string {
  const channels = ['email', 'website', 'rep_visit', 'remote_detail', 'webinar', 'whatsapp', 'banner', 'congress'];
  return `
CREATE TABLE content AS
WITH items AS (SELECT b.brand, i FROM (VALUES ${BRANDS.map((b) => `(${lit(b.id)})`).join(', ')}) b(brand), range(${CONTENT_PER_BRAND}) t(i))
SELECT upper(substr(brand, 1, 3)) || '-' || lpad(CAST(i + 1 AS VARCHAR), 4, '0') AS content_id, brand,
  ${pick('u(hash(brand), i, 1)', CONTENT_TYPES.map((t) => [t, 1] as const))} AS type,
  ${pick('u(hash(brand), i, 2)', channels.map((c) => [c, 1] as const))} AS channel,
  approved_at,
  CASE WHEN u(hash(brand), i, 3) < 0.4 THEN NULL ELSE approved_at + to_days(CAST(365 + floor(u(hash(brand), i, 4) * 540) AS INTEGER)) END AS expires_at
FROM (SELECT *, CAST(DATE ${lit(shape.start)} AS TIMESTAMP) - INTERVAL 12 MONTH + to_days(CAST(floor(u(hash(brand), i, 5) * (${shape.months} + 11) * 30) AS INTEGER)) AS approved_at FROM items)`;
}

export function benchmarksSql(shape: SampleShape): string {
  const ours = lookup('brand', BRANDS.map((b) => [b.id, Math.round((b.nps - 7) * 30)] as const));
  const companies = [['ours', 0], ...COMPETITORS.map((c, i) => [c, [8, -4, 14][i]!] as const)] as const;
  return `
CREATE TABLE benchmarks AS
SELECT strftime(q, '%Y') || '-Q' || CAST(quarter(q) AS VARCHAR) AS period, brand, company, 'nps' AS metric,
  CAST(round(${ours} + company_offset + (u(hash(brand, company), epoch(q), 1) - 0.5) * 8) AS DOUBLE) AS value
FROM ${quarters(shape)} qs,
  (VALUES ${BRANDS.map((b) => `(${lit(b.id)})`).join(', ')}) b(brand),
  (VALUES ${companies.map(([c, o]) => `(${lit(c)}, ${o})`).join(', ')}) c(company, company_offset)`;
}

/**
 * Next-best-action suggestions to the HCP's territory rep. Its own random stream (every draw
 * is keyed with 'nba'), so adding the table changed no value of another. Reps act more on
 * suggestions for their best customers and for HCPs they are about to meet (a rep visit or
 * remote detail within the suggestion's life, read from the interactions already made), and
 * acting comes before that meeting: engagement after an actioned suggestion runs higher than
 * after a dismissed one. A suggestion whose answer would come after the snapshot's as-of
 * date is still open (no outcome yet).
 */
export function recommendationsSql(shape: SampleShape): string {
  const bySegment = (f: (s: (typeof SUGGESTION_SEGMENTS)[keyof typeof SUGGESTION_SEGMENTS]) => number) => lookup('segment', Object.entries(SUGGESTION_SEGMENTS).map(([id, s]) => [id, f(s)] as const));
  const byDriver = (f: (d: (typeof DRIVERS)[number]) => string | number) => `CASE driver ${DRIVERS.map((d) => `WHEN ${lit(d.id)} THEN ${f(d)}`).join(' ')} END`;
  const u = (i: number) => `u(key, ${i}, 'nba')`;
  const asOf = `TIMESTAMP ${lit(`${shape.asOf} 00:00:00`)}`;
  return `
CREATE TABLE recommendations AS
WITH hm AS (
  SELECT hcp_n, hcp_id, segment, territory, m, ${bySegment((s) => s.rate)} * (CASE WHEN target THEN 1.0 ELSE 0.3 END) AS rate
  FROM hcps, range(${shape.months}) t(m)
), counted AS (
  SELECT *, CAST(floor(rate * (0.5 + u(hcp_n, m, 'nba-n')) + u(hcp_n, m, 'nba-r')) AS INTEGER) AS k FROM hm
), keyed AS (
  SELECT hcp_n, hcp_id, segment, territory, m, s, hcp_n * 4096 + m * 64 + s AS key
  FROM (SELECT *, unnest(range(k)) AS s FROM counted WHERE k > 0)
), drawn AS (
  SELECT *, ${pick(u(1), DRIVERS.map((d) => [d.id, d.weight] as const))} AS driver,
    CAST(${monthStart('m', shape)} AS TIMESTAMP) + to_seconds(CAST(floor(${u(2)} * 86400 * date_diff('day', ${monthStart('m', shape)}, ${monthStart('m + 1', shape)})) AS BIGINT)) AS posted_at
  FROM keyed
), met AS (
  SELECT sort_key // 32 // 4096 AS hcp_n, occurred_at FROM interactions WHERE sort_key % 32 IN (${meetingSteps(shape).join(', ')})
), soon AS (
  SELECT d.*, m.occurred_at AS met_at FROM drawn d ASOF LEFT JOIN met m ON d.hcp_n = m.hcp_n AND m.occurred_at > d.posted_at
), decided AS (
  SELECT *, posted_at + INTERVAL ${SUGGESTION_DAYS} DAY AS expires_at, coalesce(met_at < posted_at + INTERVAL ${SUGGESTION_DAYS} DAY, false) AS meets,
    ${byDriver((d) => d.act)} + ${bySegment((s) => s.act)} + CASE WHEN coalesce(met_at < posted_at + INTERVAL ${SUGGESTION_DAYS} DAY, false) THEN 0.15 ELSE -0.1 END AS p_act,
    ${byDriver((d) => d.dismiss)} AS p_dismiss
  FROM soon
), answered AS (
  SELECT *,
    CASE WHEN ${u(3)} < p_act THEN (CASE WHEN ${u(4)} < 0.35 THEN 'completed' ELSE 'actioned' END)
         WHEN ${u(3)} < p_act + p_dismiss THEN 'dismissed' ELSE 'expired' END AS answer,
    -- Acting takes the driver's mean days (exponentially spread), within the suggestion's life.
    least(${SUGGESTION_DAYS * 86400 - 3600}, floor(-ln(1 - ${u(5)}) * 86400 * ${byDriver((d) => d.days)})) AS act_s
  FROM decided
), timed AS (
  SELECT *, CASE answer WHEN 'expired' THEN expires_at WHEN 'dismissed' THEN posted_at + to_seconds(CAST(600 + floor(${u(6)} * 172800) AS BIGINT))
    -- A rep who acts before a planned meeting acts at the latest an hour before it.
    ELSE posted_at + to_seconds(CAST(CASE WHEN meets THEN least(act_s, greatest(0, epoch(met_at) - epoch(posted_at) - 3600)) ELSE act_s END AS BIGINT)) END AS answered_at
  FROM answered
)
SELECT 'S-' || hcp_id || '-' || strftime(posted_at, '%Y%m') || '-' || CAST(s AS VARCHAR) AS recommendation_id, hcp_id, 'REP-' || territory AS rep_id,
  posted_at, expires_at, driver, ${byDriver((d) => pick(u(7), d.channels))} AS channel,
  CASE WHEN answered_at < ${asOf} THEN answer END AS outcome,
  CASE WHEN answered_at < ${asOf} THEN answered_at END AS outcome_at,
  CASE WHEN answered_at < ${asOf} AND answer = 'dismissed' THEN ${pick(u(8), DISMISS_REASONS)} END AS reason,
  key AS sort_key
FROM timed`;
}
