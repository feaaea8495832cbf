import type { Preset } from './preset.js';

const CALL_REPORTING = { title: 'Veeva CRM Help — Components of Call Reporting', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/Activities/Call_Reporting_2/InitialConfig/Components.htm' };
const CALL_FIELDS = { title: 'Adobe Marketo Engage — Syncing Call and Call Key Messages (Veeva CRM Call2_vod__c fields)', url: 'https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/crm-sync/veeva-crm-sync/sync-details/syncing-call-and-call-key-messages' };
const CALL_TYPE = { title: 'Veeva Support — How is Call Type (Call_Type_vod) determined in CRM', url: 'https://support.veeva.com/hc/en-us/articles/5845800295451-How-is-Call-Type-Call-Type-vod-Determined-in-CRM' };
const STANDARD_METRICS = { title: 'Veeva CRM Help — Veeva CRM Standard Metrics (Call_Channel_vod values)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/General/VeevaCRMStandardMetrics.htm' };
const RESTRICTING_CHANNELS = { title: 'Veeva CRM Help — Restricting Call Channels (Call_Channel_vod API names)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/Activities/Call_Reporting_2/AdvFunct/Executing/Header/RestrictingChannelOptions.htm' };

/** Call_Type_vod is kept by Veeva CRM from what was recorded on the call: a call with a product detail is a detail. */
const CALL_EVENTS = {
  'Call Only': 'visited',
  'Sample Only': 'visited',
  'Event Only': 'visited',
  'Detail Only': 'detailed',
  'Detail with Sample': 'detailed',
  'Group Detail': 'detailed',
  'Group Detail with Sample': 'detailed',
  'Event Detail': 'detailed',
};

/** Veeva CRM call reports (Call2_vod__c): one row per account on a call. */
export const CALL2: Preset = {
  name: 'veeva_crm/call2',
  table: 'interactions',
  object: 'Call2_vod__c',
  description: 'Veeva CRM calls: one row per account on a call; the attendees of a group call are child calls of the call they attended.',
  columns: {
    event_id: { from: 'Id' },
    // A group call's attendees are child Call2_vod rows: they all belong to the one touch, their parent call.
    message_id: { coalesce: [{ from: 'Parent_Call_vod__c' }, { from: 'Id' }] },
    hcp_id: { from: 'Account_vod__c' },
    occurred_at: { from: 'Call_Date_vod__c' },
    channel: { from: 'Call_Channel_vod__c', map: { Face_to_face_vod: 'rep_visit', Video_vod: 'remote_detail' } },
    event: { from: 'Call_Type_vod__c', map: CALL_EVENTS },
  },
  references: [CALL_REPORTING, CALL_FIELDS, CALL_TYPE, STANDARD_METRICS, RESTRICTING_CHANNELS],
  notes: [
    'Export submitted calls only (Status_vod__c = Submitted_vod): planned and saved calls are plans, not interactions, and a preset does not filter rows.',
    'Phone_vod, Email_vod, Message_vod and Other_vod calls are not mapped (the demo project has no channel for them): a call on one of them fails the load as an unmapped value until the team maps `channel` itself.',
    'The brand is the team\'s own product list: map `brand` under `columns` (e.g. from a product column of the export).',
  ],
};

const TRACKING_EMAIL = { title: 'Veeva CRM Help — Tracking Approved Email Activity (Sent_Email_vod, Email_Activity_vod)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/Multichannel/ApprovedEmail/DefaultFunct/TrackingActivity.htm' };
const SENT_EMAIL_STATUS = { title: 'Veeva Support — What do the picklist values for Status_vod in Sent_Email_vod mean', url: 'https://support.veeva.com/hc/en-us/articles/216008217-What-Do-the-Various-Picklist-Values-for-Status-vod-in-Sent-Email-vod-Mean-in-CRM-' };

/** Veeva CRM Approved Email sends (Sent_Email_vod__c): one row per email sent to one account. */
export const SENT_EMAIL: Preset = {
  name: 'veeva_crm/sent_email',
  table: 'interactions',
  object: 'Sent_Email_vod__c',
  description: 'Veeva CRM Approved Emails: one row per email sent to an account, with its latest delivery status.',
  columns: {
    event_id: { from: 'Id' },
    message_id: { from: 'Id' },
    hcp_id: { from: 'Account_vod__c' },
    occurred_at: { from: 'Email_Sent_Date_vod__c' },
    channel: { constant: 'email' },
    // Status_vod is the send's latest state: an email that was delivered and then unsubscribed from was delivered.
    event: { from: 'Status_vod__c', map: { Sent_vod: 'sent', Delivered_vod: 'delivered', Unsubscribed_vod: 'delivered', Bounced_vod: 'bounced', Dropped_vod: 'bounced' } },
  },
  references: [TRACKING_EMAIL, SENT_EMAIL_STATUS],
  notes: [
    'Export sent emails only: Saved_vod (and any draft or scheduled status) is not an email that went out, and fails the load as an unmapped value.',
    'Dropped_vod (suppressed after an earlier bounce, or refused as spam) counts as bounced: the email never reached the inbox.',
    'Opens and clicks are Email_Activity_vod__c records, not columns of the send; the send\'s own open and click counters are not read.',
  ],
};

const AE_END_USERS = { title: 'Veeva CRM Help — Configuring Approved Email End Users (Email_Activity_vod fields)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/Multichannel/ApprovedEmail/InitialConfig/ConfiguringAE/AEConfigEndUsers.htm' };
const BOT_ACTIVITY = { title: 'Veeva CRM Help — 24R3.4 Functionality Guide, Detecting Automated Email Interactions (Bot_vod)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/ReleaseNotes/24R3.4/24R3.4FunctionalityGuide.htm' };

/** Veeva CRM Approved Email activity (Email_Activity_vod__c): one row per event logged on a sent email. */
export const EMAIL_ACTIVITY: Preset = {
  name: 'veeva_crm/email_activity',
  table: 'interactions',
  object: 'Email_Activity_vod__c',
  description: 'Veeva CRM Approved Email activity: one row per event (open, click …) logged on a sent email; each belongs to one Sent_Email_vod__c.',
  columns: {
    event_id: { from: 'Id' },
    // The send is the touch: its opens and clicks belong to the touch its Sent_Email_vod__c row is.
    message_id: { from: 'Sent_Email_vod__c' },
    // The activity names its send, not the account: the HCP is the send's.
    hcp_id: { lookup: { preset: 'veeva_crm/sent_email', match: 'Sent_Email_vod__c', on: 'Id', take: 'Account_vod__c' } },
    occurred_at: { from: 'Activity_DateTime_vod__c' },
    channel: { constant: 'email' },
    event: { from: 'Event_type_vod__c', map: { Opened_vod: 'opened', Clicked_vod: 'clicked', Delivered_vod: 'delivered', Bounced_vod: 'bounced', Dropped_vod: 'bounced' } },
    // Filled when Mailgun detected a bot (apple, gmail, generic); blank for a person's action.
    bot: { from: 'Bot_vod__c', map: { apple: true, gmail: true, generic: true } },
  },
  references: [TRACKING_EMAIL, AE_END_USERS, BOT_ACTIVITY, SENT_EMAIL_STATUS],
  notes: [
    'Needs the Sent_Email_vod__c export too (preset veeva_crm/sent_email) in the same snapshot, covering every send the activities belong to: an activity whose send is missing fails the load rather than counting without its HCP.',
    'Event types other than opens, clicks, deliveries, bounces and drops (document views and downloads, unsubscribes, spam reports) are not mapped: a team that exports them maps `event` itself.',
  ],
};

const SUGGESTIONS = { title: 'Veeva CRM Help — Suggestions Components (Suggestion_vod, Suggestion_Feedback_vod, Record_Type_Name_vod and its record types)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/Accounts/Suggestions/InitalConfig/SuggestionsComponents.htm' };
const SUGGESTIONS_CONFIG = { title: 'Veeva CRM Help — Suggestions Initial Configuration (the suggestion\'s owner in the public and private models)', url: 'https://crmhelp.veeva.com/doc/Content/CRM_topics/Accounts/Suggestions/InitalConfig/SuggestionsConfig.htm' };

/**
 * Suggestion_vod keeps one 0/1 flag per kind of feedback (a Suggestion_Feedback_vod record
 * sets it): joined as `complete/actioned/dismissed`. Completing is the last step of acting,
 * and a suggestion acted on counts as acted on even if it was also dismissed.
 */
const OUTCOMES: Record<string, string | null> = {};
for (const complete of ['0', '1']) for (const actioned of ['0', '1']) for (const dismissed of ['0', '1']) {
  OUTCOMES[`${complete}/${actioned}/${dismissed}`] = complete === '1' ? 'completed' : actioned === '1' ? 'actioned' : dismissed === '1' ? 'dismissed' : null;
}

/** Veeva CRM suggestions (Suggestion_vod__c): one row per suggestion posted for an account. */
export const SUGGESTION: Preset = {
  name: 'veeva_crm/suggestion',
  table: 'recommendations',
  object: 'Suggestion_vod__c',
  description: 'Veeva CRM suggestions: one row per suggestion posted for an account, with the flags its feedback records set (actioned, dismissed, marked complete).',
  columns: {
    recommendation_id: { from: 'Id' },
    hcp_id: { from: 'Account_vod__c' },
    posted_at: { from: 'Posted_Date_vod__c' },
    expires_at: { from: 'Expiration_Date_vod__c' },
    // The record type is the action the suggestion proposes: schedule a call, send an email.
    channel: { from: 'Record_Type_Name_vod__c', map: { Call_vod: 'rep_visit', Email_vod: 'email' } },
    outcome: { concat: [{ from: 'Marked_As_Complete_vod__c' }, '/', { from: 'Actioned_vod__c' }, '/', { from: 'Dismissed_vod__c' }], map: OUTCOMES },
  },
  references: [SUGGESTIONS, SUGGESTIONS_CONFIG],
  notes: [
    'The outcome comes from the suggestion\'s own flags Marked_As_Complete_vod__c, Actioned_vod__c and Dismissed_vod__c (0 or 1): marked complete → completed, else actioned → actioned, else dismissed → dismissed, else empty (open). An expired suggestion is never `expired`: nothing on the suggestion says it lapsed, so it stays empty and is left out of the answered suggestions.',
    'Not mapped: outcome_at (the time of the feedback is on Suggestion_Feedback_vod__c records, of which a suggestion can have several), reason (the dismiss reason is feedback too; Reason_vod__c is why the suggestion was made), driver (Suggestion_Tag_vod__c records, several per suggestion) and rep_id (the owner is the rep only in the private sharing model). KPIs reading outcome_at (days to act, engagement after acting or dismissing) stay empty until the team maps it.',
    'Call_Objective_vod and Insight_vod suggestions are not mapped (no channel of their own): export Call_vod and Email_vod suggestions, or map `channel` yourself.',
  ],
};

export const VEEVA_CRM: readonly Preset[] = [CALL2, SENT_EMAIL, EMAIL_ACTIVITY, SUGGESTION];
