import type { AlertMessage } from '../alerts/message.js';
import { terminalText } from '../text/terminal.js';
import { STATUS_COLOR, type CompiledTemplates, type RenderedScorecard } from './render.js';

/** A rendered email: subject, HTML, text and Markdown (an alert carries no charts or documents). */
export type RenderedEmail = RenderedScorecard;

/** How a transition looks: the status colours of a scorecard, so red means the same in both emails. */
const TONE: Record<AlertMessage['transition'], { status: 'red' | 'green' | 'amber'; symbol: string }> = {
  firing: { status: 'red', symbol: '✗' },
  renotify: { status: 'red', symbol: '✗' },
  recovered: { status: 'green', symbol: '✓' },
  no_data: { status: 'amber', symbol: '…' },
  error: { status: 'amber', symbol: '!' },
};

/**
 * A value from YAML or data on one line, with every control character shown as a picture
 * (ESC as ␛, a line break as ␊): nothing raw reaches a subject header, an HTML page or a
 * terminal showing the text part. Handlebars and the `md` helper escape the rest.
 */
const oneLine = (value: string | undefined) => terminalText(value ?? '');

/** "Firing: Email opens collapse — Brand neurexa: Email open rate". */
export function alertSubject(m: AlertMessage): string {
  const about = [m.slice_label, m.what_label].filter((x) => x !== '').join(': ');
  return oneLine(`${m.transition_label}: ${m.title}${about ? ` — ${about}` : ''}`);
}

/** Since when, in the words of the transition: an episode began before it is told over. */
function sinceText(m: AlertMessage): string {
  switch (m.transition) {
    case 'firing':
    case 'renotify': return `Firing since ${m.since_display}`;
    case 'recovered': return `Had been firing since ${m.since_display}`;
    case 'no_data': return `No data since ${m.since_display}`;
    case 'error': return `Failing since ${m.since_display}`;
  }
}

/** "2026-12-04 06:00 UTC": an instant a reader can take in at a glance, to the minute. */
const instantText = (iso: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso);

/** The template's view of one alert email: the message with every text on one line, plus display strings. */
function viewOf(m: AlertMessage) {
  const tone = TONE[m.transition];
  // A description's paragraphs, each on one line: a line break inside a paragraph is only where the YAML was wrapped.
  const paragraphs = (m.description ?? '').split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*/).map((p) => oneLine(p.trim().replace(/\s*(?:\r\n|\r|\n)\s*/g, ' '))).filter((p) => p !== '');
  const about = m.kind === 'feed' ? 'About this feed' : 'About this alert';
  return {
    kind: m.kind,
    id: oneLine(m.id),
    subject: alertSubject(m),
    title: oneLine(m.title),
    transition: m.transition,
    transition_label: oneLine(m.transition_label),
    sequence: m.sequence,
    recipient: { name: oneLine(m.recipient.name), email: oneLine(m.recipient.email) },
    what_label: oneLine(m.what_label),
    slice_label: oneLine(m.slice_label),
    detail: oneLine(m.detail),
    ...(m.period ? { period: oneLine(m.period) } : {}),
    since_text: oneLine(sinceText(m)),
    description_paragraphs: paragraphs,
    // What to do matters while it fires; afterwards the description says what the alert is about.
    description_heading: m.transition === 'firing' || m.transition === 'renotify' ? 'What to do' : about,
    read_more: oneLine(`The ${m.scorecards.length === 1 ? 'scorecard' : 'scorecards'} showing ${m.what_label}${m.slice_label ? ` for ${m.slice_label}` : ''}:`),
    scorecards: m.scorecards.map((s) => ({ id: oneLine(s.id), title: oneLine(s.title), period: oneLine(s.period) })),
    tone: tone.status,
    tone_class: `k-${tone.status}`,
    tone_color: STATUS_COLOR[tone.status]!,
    tone_symbol: tone.symbol,
    audit_line: oneLine(`${m.kind === 'feed' ? 'Feed' : 'Alert'} ${m.id} · evaluated ${instantText(m.audit.evaluated_at)} · configuration ${m.audit.config_hash.slice(0, 12)} · snapshot ${m.audit.snapshot_id}`),
  };
}

/** Renders one alert email for one recipient from the compiled `alert` templates; the subject is built here, not by a template. */
export function renderAlert(t: CompiledTemplates, m: AlertMessage): RenderedEmail {
  const view = viewOf(m);
  const tidy = (s: string) => s.replace(/\n{3,}/g, '\n\n');
  return { subject: view.subject, html: t.html(view), text: tidy(t.text(view)), markdown: tidy(t.markdown(view)), attachments: [], documents: [] };
}
