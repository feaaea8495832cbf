import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { kpiDependencies } from '../model/dependencies.js';
import { PACKAGE_ROOT } from '../source/package.js';
import type { KpiSpec } from '../spec/kpi.js';
import { suggest } from '../text/suggest.js';

/** A reference file: where it is in the package (relative, `/` separators) and its text. */
export interface ReferenceFile {
  path: string;
  text: string;
}
export interface ReferenceKpi extends ReferenceFile {
  spec: KpiSpec;
}

/** The reference catalog a starter project is picked from: the package's own example project. */
export interface ReferenceCatalog {
  project: ReferenceFile;
  channels: ReferenceFile[];
  kpis: ReferenceKpi[];
  /** The team workflows that call the kpiops Action (`docs/examples/team-workflows/`), by file name. */
  workflows: ReferenceFile[];
}

/**
 * Named starter catalogs. `omnichannel-core` covers each journey stage with both early signals
 * and outcomes: reach and frequency (awareness), email opens, the digital-to-rep funnel and the
 * engagement index (consideration, conversion), NPS and prescription share (retention, outcome).
 */
export const NAMED_CATALOGS: Readonly<Record<string, readonly string[] | 'all'>> = {
  'omnichannel-core': ['reach', 'frequency', 'email_open_rate', 'cross_channel_conversion', 'cei', 'nps', 'trx_share'],
  all: 'all',
};
export const DEFAULT_CATALOG = 'omnichannel-core';

function yamlFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Reads the reference catalog shipped in the package (`kpiops.yaml`, `channels/`, `kpis/`). */
export function readReferenceCatalog(root = PACKAGE_ROOT): ReferenceCatalog {
  const file = (path: string) => ({ path, text: readFileSync(join(root, path), 'utf8') });
  return {
    project: file('kpiops.yaml'),
    channels: yamlFiles(root, 'channels').map(file),
    kpis: yamlFiles(root, 'kpis').map((path) => {
      const f = file(path);
      return { ...f, spec: parse(f.text) as KpiSpec };
    }),
    workflows: yamlFiles(root, 'docs/examples/team-workflows').map(file),
  };
}

export type Selection = { value: ReferenceKpi[] } | { error: string };

/**
 * The reference KPIs a team asked for (by id or by a named catalog), with every KPI they are
 * computed from (a benchmark comparison brings the KPI it compares, a derived KPI its inputs),
 * in the catalog's file order so the output does not depend on how the list was typed.
 */
export function selectKpis(catalog: ReferenceCatalog, request: { kpis?: readonly string[]; catalog?: string }): Selection {
  const byId = new Map(catalog.kpis.map((k) => [k.spec.id, k]));
  let ids: readonly string[];
  if (request.kpis) {
    ids = request.kpis;
  } else {
    const name = request.catalog ?? DEFAULT_CATALOG;
    const named = NAMED_CATALOGS[name];
    if (!named) {
      const hint = suggest(name, Object.keys(NAMED_CATALOGS));
      return { error: `unknown catalog "${name}".${hint ? ` Did you mean "${hint}"?` : ''} Catalogs: ${Object.keys(NAMED_CATALOGS).join(', ')}.` };
    }
    ids = named === 'all' ? [...byId.keys()] : named;
  }
  if (ids.length === 0) return { error: '--kpis needs at least one KPI id' };
  for (const id of ids) {
    if (!byId.has(id)) {
      const hint = suggest(id, byId.keys());
      return { error: `unknown KPI "${id}".${hint ? ` Did you mean "${hint}"?` : ''} The reference KPIs are: ${[...byId.keys()].sort().join(', ')}.` };
    }
  }
  const chosen = new Set<string>();
  const add = (id: string) => {
    if (chosen.has(id) || !byId.has(id)) return;
    chosen.add(id);
    for (const dep of kpiDependencies(byId.get(id)!.spec)) add(dep);
  };
  ids.forEach(add);
  return { value: catalog.kpis.filter((k) => chosen.has(k.spec.id)) };
}
