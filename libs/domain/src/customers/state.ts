import { CustomerEvent, CustomerRegisteredData, SupportLevel, SupportSuspendedData } from './events';
import { instantMs } from '../policies/values';

export type CustomerState = {
  /** the registration as recorded (null until registered) */
  registration: CustomerRegisteredData | null;
  /** current tier (changes with SupportLevelChanged) */
  supportLevel: SupportLevel | null;
  /** the latest suspension not lifted since; it may have run out by time (see isSuspendedAt) */
  suspension: SupportSuspendedData | null;
};

export const initialCustomerState = (): CustomerState => ({
  registration: null,
  supportLevel: null,
  suspension: null,
});

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return { ...state, registration: event.data, supportLevel: event.data.supportLevel };
    case 'SupportSuspended':
      return { ...state, suspension: event.data };
    case 'SupportReinstated':
      return { ...state, suspension: null };
    case 'SupportLevelChanged':
      return { ...state, supportLevel: event.data.to };
    default:
      return state;
  }
}

/** Whether support is suspended at `nowIso`: a suspension has started and has not ended or been lifted. */
export function isSuspendedAt(state: CustomerState, nowIso: string): boolean {
  const s = state.suspension;
  if (!s) return false;
  const now = instantMs(nowIso);
  if (now < instantMs(s.suspendedAt)) return false;
  return s.endsAt === null || now < instantMs(s.endsAt);
}
