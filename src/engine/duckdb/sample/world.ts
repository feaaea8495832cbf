/**
 * The fixed facts of the sample world: brands, countries, channels and how HCPs of each
 * segment prefer to be reached. Numbers are chosen to look like published omnichannel
 * benchmarks, not taken from any company.
 */
export const BRANDS = [
  { id: 'cardiora', area: 'cardiopulmonary', webinarAttendance: 0.55, nps: 7.6, csat: 4.1, ces: 5.4, intent: 6.8, share: 0.22 },
  { id: 'pulmivo', area: 'cardiopulmonary', webinarAttendance: 0.45, nps: 6.9, csat: 3.8, ces: 5.0, intent: 6.1, share: 0.17 },
  { id: 'neurexa', area: 'neuroscience', webinarAttendance: 0.5, nps: 6.4, csat: 3.6, ces: 4.7, intent: 5.7, share: 0.12 },
] as const;

export const COUNTRIES = [
  { id: 'DE', weight: 0.25 }, { id: 'FR', weight: 0.2 }, { id: 'IT', weight: 0.17 },
  { id: 'ES', weight: 0.15 }, { id: 'GB', weight: 0.15 }, { id: 'NL', weight: 0.08 },
] as const;

/** Specialties and the therapy areas whose brands their HCPs prescribe. */
export const SPECIALTIES = [
  { id: 'cardiology', weight: 0.22, areas: ['cardiopulmonary'] },
  { id: 'pulmonology', weight: 0.15, areas: ['cardiopulmonary'] },
  { id: 'neurology', weight: 0.18, areas: ['neuroscience'] },
  { id: 'general_practice', weight: 0.3, areas: ['cardiopulmonary', 'neuroscience'] },
  { id: 'internal_medicine', weight: 0.15, areas: ['cardiopulmonary', 'neuroscience'] },
] as const;

/**
 * Segments: their share of HCPs, decile range, share on the target list, monthly touches
 * per HCP, and the modality mix they respond to (in person / virtual / digital). Weighted
 * over segments the mix is close to a third each.
 */
export const SEGMENTS = [
  { id: 'high_prescriber', weight: 0.15, deciles: [8, 10], target: 0.92, touches: 3.4, mix: [0.5, 0.3, 0.2] },
  { id: 'growth', weight: 0.25, deciles: [5, 8], target: 0.85, touches: 2.25, mix: [0.36, 0.34, 0.3] },
  { id: 'maintain', weight: 0.35, deciles: [3, 6], target: 0.45, touches: 1.35, mix: [0.26, 0.32, 0.42] },
  { id: 'low_potential', weight: 0.25, deciles: [1, 3], target: 0.1, touches: 0.6, mix: [0.12, 0.26, 0.62] },
] as const;

/** Channels within each modality, with their share of that modality's touches. */
export const CHANNELS_BY_MODALITY = {
  in_person: [['rep_visit', 0.85], ['congress', 0.15]],
  virtual: [['remote_detail', 0.45], ['webinar', 0.3], ['whatsapp', 0.15], ['call_center', 0.1]],
  digital_self_service: [['email', 0.55], ['website', 0.25], ['banner', 0.12], ['sample_portal', 0.08]],
} as const;

/** Every channel the sample writes interactions on. */
export const SAMPLE_CHANNELS: readonly string[] = Object.values(CHANNELS_BY_MODALITY).flatMap((list) => list.map(([id]) => id));

export const CONTENT_PER_BRAND = 150;
export const CONTENT_TYPES = ['email_template', 'detail_aid', 'leave_piece', 'web_article', 'pdf', 'video'] as const;
export const COMPETITORS = ['Competitor A', 'Competitor B', 'Competitor C'] as const;

/**
 * Given names and surnames common in each country, combined by a hash of the HCP id into
 * made-up demo names ("Dr. Lena Vogel"): no list of real people is used, and the
 * combination draws on none of the values that shape the rest of the sample.
 */
export const NAMES: Record<(typeof COUNTRIES)[number]['id'], { given: readonly string[]; family: readonly string[] }> = {
  DE: {
    given: ['Anna', 'Lena', 'Katrin', 'Sabine', 'Julia', 'Miriam', 'Petra', 'Claudia', 'Johanna', 'Laura', 'Nina', 'Ute', 'Thomas', 'Stefan', 'Markus', 'Jan', 'Tobias', 'Andreas', 'Michael', 'Florian', 'Matthias', 'Christian', 'Sebastian', 'Uwe'],
    family: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Wagner', 'Hofmann', 'Vogel', 'Krause', 'Lehmann', 'Wolf', 'Schäfer', 'Koch', 'Richter', 'Klein', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Hartmann', 'Lange', 'Werner'],
  },
  ES: {
    given: ['María', 'Carmen', 'Lucía', 'Elena', 'Marta', 'Pilar', 'Laura', 'Ana', 'Isabel', 'Rocío', 'Cristina', 'Nuria', 'Javier', 'Carlos', 'Miguel', 'Alejandro', 'Diego', 'Sergio', 'Pablo', 'Jorge', 'Antonio', 'Manuel', 'Raúl', 'Álvaro'],
    family: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Moreno', 'Jiménez', 'Navarro', 'Ruiz', 'Díaz', 'Hernández', 'Muñoz', 'Álvarez', 'Romero', 'Torres', 'Domínguez', 'Vázquez', 'Ramos', 'Gil', 'Serrano'],
  },
  FR: {
    given: ['Claire', 'Sophie', 'Camille', 'Julie', 'Élodie', 'Nathalie', 'Isabelle', 'Céline', 'Aurélie', 'Marion', 'Émilie', 'Sandrine', 'Nicolas', 'Julien', 'Antoine', 'Mathieu', 'Olivier', 'Thierry', 'Sébastien', 'Guillaume', 'Pierre', 'François', 'Laurent', 'Vincent'],
    family: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Garnier', 'Simon', 'Laurent', 'Michel', 'Fontaine', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Rousseau', 'Mercier'],
  },
  GB: {
    given: ['Sarah', 'Emma', 'Rachel', 'Helen', 'Claire', 'Joanna', 'Laura', 'Kate', 'Rebecca', 'Hannah', 'Lucy', 'Fiona', 'James', 'David', 'Richard', 'Andrew', 'Mark', 'Simon', 'Peter', 'Daniel', 'Matthew', 'Paul', 'Robert', 'Stephen'],
    family: ['Smith', 'Jones', 'Williams', 'Brown', 'Taylor', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Johnson', 'Robinson', 'Thompson', 'White', 'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Clarke', 'Jackson'],
  },
  IT: {
    given: ['Giulia', 'Francesca', 'Chiara', 'Elena', 'Valentina', 'Silvia', 'Sara', 'Federica', 'Paola', 'Laura', 'Martina', 'Alessandra', 'Marco', 'Luca', 'Andrea', 'Matteo', 'Davide', 'Stefano', 'Giovanni', 'Francesco', 'Alessandro', 'Roberto', 'Paolo', 'Simone'],
    family: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Costa', 'Giordano', 'Mancini', 'Rizzo', 'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro', 'Mariani'],
  },
  NL: {
    given: ['Anouk', 'Sanne', 'Femke', 'Lotte', 'Marieke', 'Ingrid', 'Eva', 'Lisa', 'Esther', 'Mirjam', 'Fleur', 'Iris', 'Jeroen', 'Bram', 'Sander', 'Pieter', 'Ruben', 'Maarten', 'Thijs', 'Joost', 'Bas', 'Wouter', 'Koen', 'Lars'],
    family: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'Kok'],
  },
};

/**
 * Next-best-action suggestions. Each driver (why the suggestion was made) has its share of
 * suggestions, how likely a rep acts on it or dismisses it, how many days acting takes on
 * average, and the channels it proposes. A suggestion nobody answers expires after
 * SUGGESTION_DAYS.
 */
export const DRIVERS = [
  { id: 'email_clicked', weight: 0.25, act: 0.56, dismiss: 0.18, days: 2, channels: [['rep_visit', 0.4], ['remote_detail', 0.3], ['email', 0.3]] },
  { id: 'webinar_attended', weight: 0.12, act: 0.62, dismiss: 0.14, days: 3, channels: [['remote_detail', 0.5], ['email', 0.5]] },
  { id: 'rx_decline', weight: 0.2, act: 0.38, dismiss: 0.34, days: 5, channels: [['rep_visit', 0.7], ['remote_detail', 0.3]] },
  { id: 'lapsed_engagement', weight: 0.18, act: 0.3, dismiss: 0.36, days: 6, channels: [['rep_visit', 0.5], ['email', 0.3], ['whatsapp', 0.2]] },
  { id: 'new_content', weight: 0.25, act: 0.26, dismiss: 0.42, days: 4, channels: [['email', 0.5], ['rep_visit', 0.3], ['whatsapp', 0.2]] },
] as const;

/** Suggestions per HCP and month by segment, and how much likelier a rep is to act on one (reps act on their best customers). */
export const SUGGESTION_SEGMENTS = {
  high_prescriber: { rate: 0.8, act: 0.12 },
  growth: { rate: 0.6, act: 0.05 },
  maintain: { rate: 0.3, act: -0.05 },
  low_potential: { rate: 0.12, act: -0.15 },
} as const;

/** Why reps dismiss a suggestion, and how often. */
export const DISMISS_REASONS = [
  ['not_relevant', 0.32], ['already_planned', 0.22], ['hcp_unavailable', 0.18], ['wrong_timing', 0.16], ['no_capacity', 0.12],
] as const;

export const SUGGESTION_DAYS = 14;
