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

export const VEEVA_CRM: readonly Preset[] = [CALL2, SENT_EMAIL, EMAIL_ACTIVITY];
