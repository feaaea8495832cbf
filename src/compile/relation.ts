import { resolveColumn } from '../model/catalog.js';
import { entityColumn, type Model } from '../model/model.js';
import type { Filter } from '../spec/filter.js';
import type { Dialect } from './dialects/index.js';
import { compileFilter, type Parameters, type SqlColumn } from './filter.js';

/**
 * One source table as a query reads it (`s`), joined to the HCP table (`h`) when a column
 * lives there. Names resolve only to declared columns, so no other text reaches the SQL.
 */
export class Relation {
  private joined = false;
  /** Derived tables left-joined to the rows, by what they compute (each joined once). */
  private readonly derived = new Map<string, { alias: string; join: string }>();
  readonly spec;
  constructor(readonly model: Model, readonly dialect: Dialect, readonly source: string, readonly alias = 's') {
    this.spec = model.sources[source]!;
  }

  /** Whether `name` can be used with this source (its own column or the HCP table's). */
  has(name: string): boolean {
    return resolveColumn(this.model, this.source, name) !== undefined;
  }

  column(name: string): SqlColumn {
    const resolved = resolveColumn(this.model, this.source, name);
    if (!resolved) throw new Error(`column ${name} is not declared for source ${this.source}`);
    if (resolved.via) this.joined = true;
    const alias = resolved.via ? `${this.alias}_h` : this.alias;
    return { sql: `${alias}.${this.dialect.ident(name)}`, type: resolved.spec.type };
  }

  /** A column of the source itself (never the HCP table's). */
  own(name: string): string {
    if (!this.spec.columns[name]) throw new Error(`column ${name} is not declared for source ${this.source}`);
    return `${this.alias}.${this.dialect.ident(name)}`;
  }

  filter(filter: Filter | undefined, params: Parameters): string {
    return filter ? compileFilter(filter, (c) => this.column(c), params) : 'TRUE';
  }

  /** A filter on the HCP table (a population), read through this source's HCP reference. */
  population(filter: Filter | undefined, params: Parameters): string {
    if (!filter) return 'TRUE';
    return compileFilter(filter, (c) => {
      if (this.source === this.model.entity.source) return this.column(c);
      this.joined = true;
      const spec = this.model.sources[this.model.entity.source]!.columns[c];
      if (!spec) throw new Error(`column ${c} is not declared for the HCP table`);
      return { sql: `${this.alias}_h.${this.dialect.ident(c)}`, type: spec.type };
    }, params);
  }

  /**
   * Left-joins a derived table, once per `key`, and returns its alias. `make` gets the alias
   * and returns the table's SQL and the join condition; the table must match each row at
   * most once, so no row is counted twice.
   */
  leftJoin(key: string, make: (alias: string) => { table: string; on: string }): string {
    const known = this.derived.get(key);
    if (known) return known.alias;
    const alias = `${this.alias}_d${this.derived.size}`;
    const { table, on } = make(alias);
    this.derived.set(key, { alias, join: ` LEFT JOIN ${table} AS ${alias} ON ${on}` });
    return alias;
  }

  /** The FROM clause; call it after every column has been resolved. */
  from(): string {
    const { ident } = this.dialect;
    const table = `${this.dialect.table(this.source)} AS ${this.alias}`;
    const derived = [...this.derived.values()].map((d) => d.join).join('');
    if (!this.joined) return `${table}${derived}`;
    const entity = this.model.entity;
    const ref = entityColumn(this.model, this.source)!;
    return `${table} LEFT JOIN ${this.dialect.table(entity.source)} AS ${this.alias}_h ON ${this.alias}.${ident(ref)} = ${this.alias}_h.${ident(entity.key)}${derived}`;
  }
}
