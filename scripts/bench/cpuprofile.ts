import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `tsx scripts/bench/cpuprofile.ts FILE.cpuprofile [TOP]`: self time by function and by package from a V8 CPU profile
 * (node --cpu-prof), so "where does the API spend its CPU" is a table, not a flame graph to squint at.
 */

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export type CpuProfile = z.infer<typeof profileSchema>;

/** The package (node_modules/NAME) or project folder a script URL belongs to. */
export function owner(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:')) return 'node core';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  const dist = /\/dist\/([^/]+)/.exec(url);
  return dist?.[1] ? `project ${dist[1]}/` : path.basename(url);
}

export function selfTimes(profile: CpuProfile): { byFunction: Map<string, number>; byOwner: Map<string, number>; totalMs: number } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = nodes.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') return;
    totalMs += ms;
    const fn = `${functionName || '(anonymous)'} ${url ? `${owner(url)}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + ms);
  });
  return { byFunction, byOwner, totalMs };
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx scripts/bench/cpuprofile.ts FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  const { byFunction, byOwner, totalMs } = selfTimes(profileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))));
  const top = Number(topArg ?? 25);
  const print = (title: string, m: Map<string, number>) => {
    process.stdout.write(`\n${title} (busy ${totalMs.toFixed(0)} ms)\n`);
    for (const [k, ms] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${k}\n`);
    }
  };
  print('self time by package', byOwner);
  print('self time by function', byFunction);
}

if (require.main === module) main();
