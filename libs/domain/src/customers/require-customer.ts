import { notFound } from '../shared';
import { CustomerRegisteredData } from './events';
import { CustomerState } from './state';

export function requireRegistered(state: CustomerState, customerId: string): CustomerRegisteredData {
  if (!state.registration) throw notFound('customer', customerId);
  return state.registration;
}
