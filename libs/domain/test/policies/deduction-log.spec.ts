import fc from 'fast-check';
import { DeductionLog, evolvePolicy, initialPolicyState, MinutesDeductedData, PolicyEvent, PolicyState } from '../../src/policies';
import { fold } from '../../src/shared';

const deduction = (entryId: string, minutes = 15, ticketId = 't1', authorizationId = 'q1'): MinutesDeductedData => ({
  policyId: 'p1',
  customerId: 'acme',
  entryId,
  ticketId,
  authorizationId,
  authorizedMinutes: 10_000,
  minutes,
  workedOn: '2026-03-02',
  engineerId: 'ana',
  description: 'Revisión',
  kind: 'remote',
  minutesRemaining: 0,
  deductedBy: 'ana',
  deductedAt: '2026-03-02T16:00:00.000Z',
});

/** what the log must answer: the record copies the policy state held before 2026-12 */
function reference(ds: MinutesDeductedData[]) {
  const byEntry: Record<string, MinutesDeductedData> = {};
  const byAuthorization: Record<string, number> = {};
  for (const d of ds) {
    byEntry[d.entryId] = d;
    const key = `${d.ticketId}\u0000${d.authorizationId}`;
    byAuthorization[key] = (byAuthorization[key] ?? 0) + d.minutes;
  }
  return { byEntry, byAuthorization };
}

function expectSame(log: DeductionLog, ds: MinutesDeductedData[]) {
  const ref = reference(ds);
  expect(log.size).toBe(ds.length);
  expect(log.list()).toEqual(ds);
  expect([...log]).toEqual(ds);
  expect(JSON.parse(JSON.stringify(log))).toEqual(ds);
  for (const d of ds) expect(log.get(d.entryId)).toEqual(ref.byEntry[d.entryId]);
  expect(log.minutesByAuthorization()).toEqual(ref.byAuthorization);
  for (const [key, minutes] of Object.entries(ref.byAuthorization)) {
    const [ticketId, authorizationId] = key.split('\u0000');
    expect(log.minutesAuthorized(ticketId, authorizationId)).toBe(minutes);
  }
}

describe('DeductionLog: the policy state grows by one deduction without copying the earlier ones', () => {
  it('a decision keeps seeing the state it was given: an older log answers as before after the line grew', () => {
    const s0 = fold(evolvePolicy, initialPolicyState(), [] as PolicyEvent[]);
    const e = (d: MinutesDeductedData): PolicyEvent => ({ type: 'MinutesDeducted', data: d });
    const s1 = evolvePolicy(s0, e(deduction('e1', 30)));
    const s2 = evolvePolicy(s1, e(deduction('e2', 45)));
    const s3 = evolvePolicy(s2, e(deduction('e3', 15, 't2', 'q9')));
    expect(s1.deductions.get('e2')).toBeUndefined();
    expect(s1.deductions.minutesAuthorized('t1', 'q1')).toBe(30);
    expect(s1.deductions.list().map((d) => d.entryId)).toEqual(['e1']);
    expect(s2.deductions.minutesAuthorized('t1', 'q1')).toBe(75);
    expect(s2.deductions.minutesAuthorized('t2', 'q9')).toBe(0);
    expect(s3.deductions.minutesAuthorized('t2', 'q9')).toBe(15);
    expect(s0.deductions.size).toBe(0);
    expect([s1.minutesUsed, s2.minutesUsed, s3.minutesUsed]).toEqual([30, 75, 90]);
  });

  it('two successors of one state each see their own line (the second one copies)', () => {
    const base = DeductionLog.of([deduction('a', 10), deduction('b', 20)]);
    const left = base.append(deduction('c', 30));
    const right = base.append(deduction('c', 40, 't1', 'q2'));
    expectSame(base, [deduction('a', 10), deduction('b', 20)]);
    expectSame(left, [deduction('a', 10), deduction('b', 20), deduction('c', 30)]);
    expectSame(right, [deduction('a', 10), deduction('b', 20), deduction('c', 40, 't1', 'q2')]);
    // and both go on growing independently
    expectSame(left.append(deduction('d', 5)), [deduction('a', 10), deduction('b', 20), deduction('c', 30), deduction('d', 5)]);
    expectSame(right.append(deduction('d', 6)), [deduction('a', 10), deduction('b', 20), deduction('c', 40, 't1', 'q2'), deduction('d', 6)]);
    expectSame(left, [deduction('a', 10), deduction('b', 20), deduction('c', 30)]);
  });

  it('separate policies never share storage', () => {
    const a = initialPolicyState().deductions.append(deduction('x', 10));
    const b = initialPolicyState().deductions;
    expect(b.size).toBe(0);
    expect(b.get('x')).toBeUndefined();
    expectSame(b.append(deduction('y', 7)), [deduction('y', 7)]);
    expectSame(a, [deduction('x', 10)]);
  });

  it('answers like the former record copies for any history of appends, from any earlier log (property)', () => {
    const step = fc.record({
      from: fc.nat(),
      entry: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6'),
      ticket: fc.constantFrom('t1', 't2'),
      authorization: fc.constantFrom('q1', 'q2'),
      minutes: fc.integer({ min: 1, max: 240 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        // every log made so far, with the deductions it must hold
        const made: Array<{ log: DeductionLog; ds: MinutesDeductedData[] }> = [{ log: DeductionLog.empty(), ds: [] }];
        for (const s of steps) {
          const from = made[s.from % made.length];
          const d = deduction(s.entry, s.minutes, s.ticket, s.authorization);
          made.push({ log: from.log.append(d), ds: [...from.ds, d] });
        }
        for (const m of made) expectSame(m.log, m.ds);
      }),
      { numRuns: 100 },
    );
  });

  it('the policy state serializes its deductions as their list (handlers and tools that print a state)', () => {
    const state: PolicyState = evolvePolicy(initialPolicyState(), { type: 'MinutesDeducted', data: deduction('e1', 30) });
    expect(JSON.parse(JSON.stringify(state)).deductions).toEqual([deduction('e1', 30)]);
  });
});
