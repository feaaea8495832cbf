import type { Preset } from './preset.js';

const VISIT = { title: 'Salesforce Life Sciences Cloud Developer Guide — Visit', url: 'https://developer.salesforce.com/docs/atlas.en-us.life_sciences_dev_guide.meta/life_sciences_dev_guide/sforce_api_objects_visit.htm' };
const VISIT_TIMES = { title: 'Salesforce Health Cloud Object Reference — Visit (ActualVisitStartTime)', url: 'https://developer.salesforce.com/docs/atlas.en-us.health_cloud_object_reference.meta/health_cloud_object_reference/sforce_api_objects_visit.htm' };

/** Salesforce Life Sciences Cloud visits (Visit): one row per visit to an account; a group visit's members are child visits. */
export const LSC_VISIT: Preset = {
  name: 'salesforce_lsc/visit',
  table: 'interactions',
  object: 'Visit',
  description: 'Salesforce Life Sciences Cloud visits: one row per visit to an account; the visits of a group visit name it as their parent.',
  columns: {
    event_id: { from: 'Id' },
    // The member visits of a group visit belong to its touch.
    message_id: { coalesce: [{ from: 'ParentVisitId' }, { from: 'Id' }] },
    hcp_id: { from: 'AccountId' },
    occurred_at: { from: 'ActualVisitStartTime' },
    channel: { from: 'Channel', map: { 'In-Person': 'rep_visit', Remote: 'remote_detail', Email: 'email', WhatsApp: 'whatsapp' } },
    event: { constant: 'visited' },
  },
  references: [VISIT, VISIT_TIMES],
  notes: [
    'Export visits that took place (with an ActualVisitStartTime): a planned visit is not an interaction.',
    'Phone, SMS and WeChat visits are not mapped (the example project has no channel for them): map `channel` yourself if you have them.',
    'Every visit is a `visited` event; the Visit object records no detailing. A team counting remote visits as engagement maps `event` itself or adds `visited` to the remote channel\'s engagement events.',
  ],
};

export const SALESFORCE_LSC: readonly Preset[] = [LSC_VISIT];
