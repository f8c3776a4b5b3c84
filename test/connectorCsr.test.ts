import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectorCsr } from '../core/config/connectorCsr.ts';
import { generateConnections, type ConnectorEnds } from '../core/config/connectors.ts';
import type { ConnectorConfig } from '../core/config/schema.ts';
import { resolveWeights, weightSource, type WeightForm } from '../core/config/weights.ts';
import { csrFromTriples } from '../core/network/network.ts';
import { randomStream } from '../core/rng.ts';

/*
 * The direct CSR builder against the reference path it replaces: generate (pre, post) triples in generation
 * order, resolve their weights, then sort them into rows with csrFromTriples. Same matrix, bit for bit.
 */

const connectorArb = (nPre: number, nPost: number): fc.Arbitrary<ConnectorConfig> =>
  fc.oneof(
    fc.record({ type: fc.constant('all_to_all' as const), allow_self_connections: fc.boolean() }),
    fc.record({ type: fc.constant('fixed_probability' as const), p_connect: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })), allow_self_connections: fc.boolean() }),
    fc.record({ type: fc.constant('fixed_in_degree' as const), n: fc.integer({ min: 0, max: Math.max(0, nPre - 1) }), allow_self_connections: fc.constant(false) }),
    fc.record({ type: fc.constant('fixed_out_degree' as const), n: fc.integer({ min: 0, max: Math.max(0, nPost - 1) }), allow_self_connections: fc.constant(false) }),
    fc.record({
      type: fc.constant('from_list' as const),
      connections: fc.array(
        fc.oneof(
          fc.tuple(fc.integer({ min: 0, max: nPre - 1 }), fc.integer({ min: 0, max: nPost - 1 })),
          fc.tuple(fc.integer({ min: 0, max: nPre - 1 }), fc.integer({ min: 0, max: nPost - 1 }), fc.double({ min: -5, max: 5, noNaN: true })),
        ),
        { maxLength: 40 },
      ),
    }),
  ) as fc.Arbitrary<ConnectorConfig>;

const formArb: fc.Arbitrary<WeightForm> = fc.oneof(
  fc.record({ kind: fc.constant('constant' as const), value: fc.double({ min: -3, max: 3, noNaN: true }) }),
  fc.record({ kind: fc.constant('normal' as const), spec: fc.record({ distribution: fc.constant('normal' as const), mean: fc.constant(1), std: fc.constant(0.5) }) }),
  fc.record({ kind: fc.constant('uniform' as const), spec: fc.record({ distribution: fc.constant('uniform' as const), low: fc.constant(-1), high: fc.constant(2) }) }),
) as fc.Arbitrary<WeightForm>;

describe('connectorCsr', () => {
  it('gives the matrix of generateConnections + resolveWeights + csrFromTriples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.boolean(), fc.integer({ min: 1, max: 12 })).chain(([nPre, same, other]) => {
            const nPost = same ? nPre : other;
            return fc.tuple(fc.constant(nPre), fc.constant(nPost), fc.constant(same), connectorArb(nPre, nPost), formArb, fc.integer({ min: 0, max: 1000 }));
          }),
        ),
        ([nPre, nPost, same, connector, form, seed]) => {
          if (connector.type === 'one_to_one' && nPre !== nPost) return;
          if (connector.type === 'fixed_in_degree' && connector.n > (same ? nPre - 1 : nPre)) return;
          const ends: ConnectorEnds = { sourceName: 'a', targetName: 'b', nPre, nPost, samePopulation: same };
          const conn = () => randomStream(seed, 'connectivity/x');
          const wts = () => randomStream(seed, 'weights/x');
          const c = generateConnections(connector, ends, conn);
          const reference = csrFromTriples(nPre, c.pre, c.post, resolveWeights(form, c, wts));
          let counted = -1;
          const direct = connectorCsr(connector, ends, conn, weightSource(form, wts), (n) => (counted = n));
          expect(counted).toBe(c.count);
          expect(direct.rows).toBe(reference.rows);
          expect(Array.from(direct.rowStart)).toEqual(Array.from(reference.rowStart));
          expect(Array.from(direct.targets)).toEqual(Array.from(reference.targets));
          expect(Array.from(direct.weights)).toEqual(Array.from(reference.weights));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('one_to_one on equal sizes', () => {
    const ends: ConnectorEnds = { sourceName: 'a', targetName: 'b', nPre: 4, nPost: 4, samePopulation: false };
    const m = connectorCsr({ type: 'one_to_one' }, ends, () => randomStream(0, 'x'), (pre, post) => 10 * pre + post, () => undefined);
    expect(Array.from(m.rowStart)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(m.targets)).toEqual([0, 1, 2, 3]);
    expect(Array.from(m.weights)).toEqual([0, 11, 22, 33]);
  });
});
