import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSpikes, matchTrains } from '../plugins/interop/compare.ts';
import { parseSpikeFile } from '../plugins/interop/spikeFile.ts';
import { runCli } from './helpers/cliRun.ts';

/** A result file in firstspike's format from [population, index, time] rows. */
function resultText(rows: readonly (readonly [string, number, number])[]): string {
  return JSON.stringify({
    format: 'firstspike.simulation',
    version: 1,
    duration_ms: 10,
    spikes: { population: rows.map((r) => r[0]), index: rows.map((r) => r[1]), time_ms: rows.map((r) => r[2]) },
    traces: [],
  });
}

describe('matchTrains (hand-derived matchings; times are dyadic so |dt| is exact)', () => {
  it('prefers the pair with the smaller |dt| when only one can match', () => {
    // A 0 and A 0.75 both lie within 0.5 of B 0.5; |dt| = 0.5 vs 0.25: the second wins
    const m = matchTrains([0, 0.75], [0.5], 0.5);
    expect(m.pairs).toEqual([[1, 0]]);
    expect([m.missing, m.extra]).toEqual([1, 0]);
  });

  it('prefers more pairs over a smaller total |dt|', () => {
    // (0, 0.5) and (1, 1.5): 2 pairs, total 1; (1, 0.5) alone: 1 pair, total 0.5
    const m = matchTrains([0, 1], [0.5, 1.5], 0.5);
    expect(m.pairs).toEqual([[0, 0], [1, 1]]);
  });

  it('does not match beyond the tolerance, and matches exactly at it', () => {
    expect(matchTrains([1], [1.25], 0.125).pairs).toEqual([]);
    expect(matchTrains([1], [1.125], 0.125).pairs).toEqual([[0, 0]]);
  });

  it('matches a chain where each spike has two candidates in order', () => {
    // gaps of 0.25 with tolerance 0.25 make one piece; the in-order optimum pairs 1-1.25, 1.5-1.75, 2-2.25
    const m = matchTrains([1, 1.5, 2], [1.25, 1.75, 2.25], 0.25);
    expect(m.pairs).toEqual([[0, 0], [1, 1], [2, 2]]);
  });

  it('handles empty trains', () => {
    expect(matchTrains([], [1, 2], 1)).toEqual({ pairs: [], missing: 0, extra: 2 });
    expect(matchTrains([3], [], 1)).toEqual({ pairs: [], missing: 1, extra: 0 });
  });

  it('agrees with an exhaustive search on small random trains', () => {
    // brute force: the best (count, -total |dt|) over all non-crossing matchings, by plain recursion
    const best = (a: number[], b: number[], tol: number, i = 0, j = 0): [number, number] => {
      if (i === a.length || j === b.length) return [0, 0];
      const options: [number, number][] = [best(a, b, tol, i + 1, j), best(a, b, tol, i, j + 1)];
      if (Math.abs(a[i] - b[j]) <= tol) {
        const [c, s] = best(a, b, tol, i + 1, j + 1);
        options.push([c + 1, s + Math.abs(a[i] - b[j])]);
      }
      return options.reduce((x, y) => (y[0] > x[0] || (y[0] === x[0] && y[1] < x[1]) ? y : x));
    };
    const train = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }).map((xs) => xs.map((x) => x / 8).sort((p, q) => p - q));
    fc.assert(
      fc.property(train, train, fc.integer({ min: 0, max: 8 }), (a, b, t) => {
        const tol = t / 8;
        const m = matchTrains(a, b, tol);
        const [count, total] = best(a, b, tol);
        expect(m.pairs.length).toBe(count);
        expect(m.pairs.reduce((s, [i, j]) => s + Math.abs(a[i] - b[j]), 0)).toBe(total);
        for (let k = 1; k < m.pairs.length; k++) {
          expect(m.pairs[k][0]).toBeGreaterThan(m.pairs[k - 1][0]);
          expect(m.pairs[k][1]).toBeGreaterThan(m.pairs[k - 1][1]);
        }
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

describe('compareSpikes (per population, per neuron)', () => {
  it('counts matched, missing and extra spikes and |dt| per population', () => {
    const a = parseSpikeFile(
      resultText([
        ['exc', 0, 1],
        ['exc', 0, 2],
        ['exc', 1, 2],
        ['inh', 0, 5],
        ['only_a', 3, 1],
      ]),
      'a',
    );
    const b = parseSpikeFile(
      resultText([
        ['exc', 0, 1.0625],
        ['exc', 0, 2.5], // 0.5 from 2: beyond the tolerance
        ['exc', 2, 2], // neuron 2, not 1: no match
        ['inh', 0, 4.875],
      ]),
      'b',
    );
    const c = compareSpikes(a, b, 0.25);
    const exc = c.populations.find((p) => p.population === 'exc');
    expect(exc).toMatchObject({ spikesA: 3, spikesB: 3, matched: 1, missing: 2, extra: 2, maxAbsDtMs: 0.0625 });
    expect(c.populations.find((p) => p.population === 'inh')).toMatchObject({ matched: 1, missing: 0, extra: 0, maxAbsDtMs: 0.125 });
    expect(c.populations.find((p) => p.population === 'only_a')).toMatchObject({ spikesA: 1, spikesB: 0, missing: 1 });
    expect([c.matched, c.missing, c.extra]).toEqual([2, 3, 2]);
    expect(c.maxAbsDtMs).toBe(0.125);
    expect(c.meanAbsDtMs).toBe((0.0625 + 0.125) / 2);
    expect(c.agree).toBe(false);
  });
});

describe('firstspike compare (CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-compare-'));
    await writeFile(join(dir, 'a.json'), resultText([['p', 0, 1], ['p', 1, 3]]));
    await writeFile(join(dir, 'near.json'), resultText([['p', 1, 3.0625], ['p', 0, 0.9375]]));
    await writeFile(join(dir, 'far.json'), resultText([['p', 0, 1], ['p', 1, 3.5]]));
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ format: 'firstspike.simulation', version: 1, spikes: { population: ['p'], index: [0], time_ms: [] } }));
  });

  it('exits 0 when every spike matches within the tolerance and prints the figures', async () => {
    const r = await runCli(['compare', join(dir, 'a.json'), join(dir, 'near.json'), '--tolerance', '0.125']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/total: 2 matched, 0 missing \(in A only\), 0 extra \(in B only\); max \|dt\| 0\.06250 ms, mean \|dt\| 0\.06250 ms/);
    expect(r.out).toMatch(/^agree/m);
  });

  it('exits 1 when spikes differ beyond the tolerance, reporting missing and extra', async () => {
    const r = await runCli(['compare', join(dir, 'a.json'), join(dir, 'far.json'), '-t', '0.25', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ agree: false, matched: 1, missing: 1, extra: 1, max_abs_dt_ms: 0, mean_abs_dt_ms: 0 });
    expect(r.err).toMatch(/differ/);
  });

  it('exits 2 with one line for bad files and a bad tolerance', async () => {
    for (const argv of [
      ['compare', join(dir, 'a.json'), join(dir, 'bad.json')],
      ['compare', join(dir, 'a.json'), join(dir, 'missing.json')],
      ['compare', join(dir, 'a.json'), join(dir, 'near.json'), '--tolerance', '-1'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^firstspike: error: /);
    }
  });
});
