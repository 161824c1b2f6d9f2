import { CallbackList, History, ProgbarLogger, type Callback } from '../callbacks/index.js';
import type { Model } from './model.js';

/**
 * The user's callbacks plus Keras 3's defaults, after them: for fit a History (unless given),
 * then a ProgbarLogger when verbose > 0 (unless the user passed one, e.g. to capture its
 * output). Last, as in Keras 3, the bar shows what callbacks add to the logs (learning_rate)
 * and a callback's epoch-end message prints before the epoch's final bar line.
 */
export function callbackListFor(model: Model, user: readonly Callback[] = [], verbose: number, history: History | null): CallbackList {
  const hasProgbar = user.some((c) => c instanceof ProgbarLogger);
  const list = new CallbackList([
    ...user,
    ...(history && !user.includes(history) ? [history] : []),
    ...(verbose > 0 && !hasProgbar ? [new ProgbarLogger(verbose)] : []),
  ]);
  list.setModel(model);
  return list;
}

/** The History among the user's callbacks, or a new one. */
export function historyFor(user: readonly Callback[] = []): History {
  return (user.find((c) => c instanceof History) as History | undefined) ?? new History();
}
