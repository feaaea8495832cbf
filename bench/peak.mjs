// Loaded with `node --import ./bench/peak.mjs …`: when the process exits, its peak resident
// memory (MB, DuckDB's included) is written to the file KPIOPS_BENCH_PEAK names.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.KPIOPS_BENCH_PEAK) writeFileSync(process.env.KPIOPS_BENCH_PEAK, String(Math.round(process.resourceUsage().maxRSS / 1024)));
});
