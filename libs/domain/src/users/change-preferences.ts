import { DecisionContext } from '../shared';
import { toUtcIso } from '../policies/values';
import { ChangeUserPreferences } from './commands';
import { UserEvent } from './events';
import { forbidden, requireLanguage, requireUser } from './rules';
import { UserState } from './state';

/** ChangeUserPreferences -> UserPreferencesChanged; only the person themselves; nothing new -> []. */
export function decideChangeUserPreferences(command: ChangeUserPreferences, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireUser(state, command.userId);
  if (ctx.actor.id !== user.userId) throw forbidden('preferences are changed by the person themselves');
  if (command.language === undefined) return [];
  const language = requireLanguage(command.language);
  if (language === user.language) return [];
  return [{ type: 'UserPreferencesChanged', data: { userId: user.userId, language, by: ctx.actor.id, at: toUtcIso(ctx.now) } }];
}
