import { Decider, DecisionContext, DomainError, DomainEvent, fold } from '../src/shared';

/**
 * given/when/then for deciders:
 *   spec.given([...events]).when(command, ctx).then([...events])
 *   spec.given([...events]).when(command, ctx).thenThrows('code')
 */
export function deciderSpecification<C, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
  return {
    given(events: E[]) {
      return {
        when(command: C, context: DecisionContext) {
          const run = () => decider.decide(command, fold(decider.evolve, decider.initialState(), events), context);
          return {
            then(expected: E[] | ((produced: E[]) => void)) {
              const produced = run();
              if (typeof expected === 'function') expected(produced);
              else expect(produced).toEqual(expected);
              return produced;
            },
            thenThrows(code: string, details?: Record<string, unknown>) {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).code).toBe(code);
              if (details) expect((error as DomainError).details).toMatchObject(details);
            },
          };
        },
      };
    },
  };
}

export const ctx = (now: string, actor: Partial<DecisionContext['actor']> = {}): DecisionContext => ({
  now,
  actor: { id: 'ana', roles: ['agent'], ...actor },
});
