/**
 * The replay screen folds the history's per-step changes (JSON Patch from the server's
 * stateDiff) onto `baseState` with its own small applier (apps/web/src/case-replay/json-patch.ts):
 * for any two states, applying the server's diff to the first gives the second, and earlier
 * states are never changed (each step keeps its own picture).
 */
import fc from 'fast-check';
import { stateDiff } from '../../libs/application/src/state-diff';
import { applyPatch, foldSteps, pointerTokens } from '../../apps/web/src/case-replay/json-patch';

const key = fc.oneof(fc.constantFrom('status', 'billing', 'quotes', 'a/b', 'x~y', '0'), fc.string({ maxLength: 6 }));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).object;

describe('the replay applies the history changes like the server folds the case', () => {
  it('applying stateDiff(a, b) to a gives b', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(applyPatch(a, stateDiff(a, b) as never)).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it('folding the steps keeps every earlier state as it was', () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 5 }), (states) => {
        const base = {};
        const steps = states.map((s, i) => ({ changes: stateDiff(i === 0 ? base : states[i - 1], s) as never }));
        // a deep copy taken before folding: neither the states nor the patches' values may be changed by later steps
        const before = structuredClone(states);
        const folded = foldSteps<unknown>(base, steps);
        expect(folded).toEqual(before);
        expect(states).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('reads RFC 6901 pointers', () => {
    expect(pointerTokens('/billing/quotes/a~1b/x~0y')).toEqual(['billing', 'quotes', 'a/b', 'x~y']);
    expect(pointerTokens('')).toEqual([]);
  });
});
