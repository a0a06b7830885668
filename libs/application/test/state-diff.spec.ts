import fc from 'fast-check';
import { applyStatePatch, stateDiff } from '@helpdesk/application';

describe('stateDiff: what changed between two folded states, as JSON Patch', () => {
  it('names each change with its path, the new value and the old one', () => {
    const before = { status: 'open', sla: { respondedAt: null, pauses: [{ from: 'a', to: null }] }, tags: ['x', 'y'], 'a/b~c': 1, gone: true };
    const after = { status: 'closed', sla: { respondedAt: 't', pauses: [{ from: 'a', to: 'b' }] }, tags: ['x'], 'a/b~c': 2, added: { n: 1 } };
    const patch = stateDiff(before, after);
    expect(patch).toHaveLength(7);
    expect(patch).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/status', value: 'closed', old: 'open' },
        { op: 'replace', path: '/sla/respondedAt', value: 't', old: null },
        { op: 'replace', path: '/sla/pauses/0/to', value: 'b', old: null },
        { op: 'remove', path: '/tags/1', old: 'y' },
        { op: 'replace', path: '/a~1b~0c', value: 2, old: 1 },
        { op: 'remove', path: '/gone', old: true },
        { op: 'add', path: '/added', value: { n: 1 } },
      ]),
    );
    expect(applyStatePatch(before, patch)).toEqual(after);
    expect(stateDiff(before, before)).toEqual([]);
  });

  it('applied to the first state, always gives the second (any JSON values)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(applyStatePatch(a, stateDiff(a, b))).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });
});
