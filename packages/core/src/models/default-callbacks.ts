import { CallbackList, History, ProgbarLogger, type Callback } from '../callbacks/index.js';
import type { Model } from './model.js';

/**
 * The user's callbacks plus Keras's defaults: a ProgbarLogger first when verbose > 0 (unless
 * the user passed one, e.g. to capture its output) and, for fit, a History last (unless given).
 */
export function callbackListFor(model: Model, user: readonly Callback[] = [], verbose: number, history: History | null): CallbackList {
  const hasProgbar = user.some((c) => c instanceof ProgbarLogger);
  const list = new CallbackList([
    ...(verbose > 0 && !hasProgbar ? [new ProgbarLogger(verbose)] : []),
    ...user,
    ...(history && !user.includes(history) ? [history] : []),
  ]);
  list.setModel(model);
  return list;
}

/** The History among the user's callbacks, or a new one. */
export function historyFor(user: readonly Callback[] = []): History {
  return (user.find((c) => c instanceof History) as History | undefined) ?? new History();
}
