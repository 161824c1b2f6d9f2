// The backend choice: every registered backend, the ones that cannot run disabled with why.
import { listBackends, type BackendInfo } from '@perceptron/core';

/** Backends that failed to initialise on this page (available on paper, not in practice). */
const failed = new Map<string, string>();

export function markBackendFailed(name: string, reason: string): void {
  failed.set(name, reason);
}

function infos(): BackendInfo[] {
  return listBackends().map((b) => (failed.has(b.name) ? { ...b, available: false, reason: failed.get(b.name)! } : b));
}

/** Fills the fieldset with one radio per backend; keeps the choice if it is still possible. */
export function renderBackendPicker(fieldset: HTMLFieldSetElement, preferred?: string): void {
  const list = infos();
  const chosen = list.find((b) => b.available && b.name === preferred) ?? list.find((b) => b.available);
  fieldset.replaceChildren(Object.assign(document.createElement('legend'), { textContent: 'Backend' }));
  for (const b of list) {
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'backend', value: b.name, disabled: !b.available, checked: b === chosen });
    label.append(input, ` ${b.name}`);
    if (!b.available) label.append(Object.assign(document.createElement('span'), { className: 'reason', textContent: `unavailable: ${b.reason}` }));
    fieldset.append(label);
  }
}

export function chosenBackend(fieldset: HTMLFieldSetElement): string | null {
  return fieldset.querySelector<HTMLInputElement>('input[name=backend]:checked')?.value ?? null;
}
