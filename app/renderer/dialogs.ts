// Modal questions in the page (<dialog>): confirming a destructive command, asking for a file path.

import type { MonitorClient } from '../shared/monitor-api.js';
import type { FileKind } from '../shared/monitor-types.js';
import { el } from './dom.js';

export class Dialogs {
  constructor(private readonly client: MonitorClient, private readonly canPick: () => boolean, private readonly suggestions: (kind: FileKind) => string[]) {}

  /** Resolves true when the user confirms. */
  confirm(question: string, confirmLabel: string): Promise<boolean> {
    const dialog = el('dialog', { class: 'modal', 'data-testid': 'confirm-dialog' },
      el('p', { text: question }),
      el('form', { method: 'dialog', class: 'modal-actions' },
        el('button', { value: 'cancel', text: 'Cancel' }),
        el('button', { value: 'ok', class: 'danger', 'data-testid': 'confirm-ok', text: confirmLabel })));
    return this.show(dialog).then((value) => value === 'ok');
  }

  /** Asks for a path (typed, picked from the project's files, or from the native picker); null if cancelled. */
  async askPath(kind: FileKind, title: string): Promise<string | null> {
    const listId = `paths-${kind}-${Math.random().toString(36).slice(2)}`;
    const input = el('input', { type: 'text', list: listId, class: 'path-input', placeholder: kind === 'elf' ? 'guests/bin/NAME.elf' : 'scenarios/NAME.json', 'data-testid': 'path-input', required: true });
    const list = el('datalist', { id: listId }, ...this.suggestions(kind).map((path) => el('option', { value: path })));
    const browse = el('button', { type: 'button', text: 'Browse…', hidden: !this.canPick() });
    browse.addEventListener('click', () => {
      void this.client.call('pickFile', { kind }).then((picked) => {
        if (picked.path !== null) input.value = picked.path;
      }, () => undefined);
    });
    const dialog = el('dialog', { class: 'modal', 'data-testid': 'path-dialog' },
      el('form', { method: 'dialog' },
        el('p', { text: title }),
        el('div', { class: 'row' }, input, list, browse),
        el('div', { class: 'modal-actions' },
          el('button', { value: 'cancel', formnovalidate: true, text: 'Cancel' }),
          el('button', { value: 'ok', class: 'primary', 'data-testid': 'path-ok', text: 'OK' }))));
    const answer = await this.show(dialog, input);
    return answer === 'ok' && input.value.trim() !== '' ? input.value.trim() : null;
  }

  private show(dialog: HTMLDialogElement, focus?: HTMLElement): Promise<string> {
    document.body.append(dialog);
    dialog.showModal();
    focus?.focus();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => {
        resolve(dialog.returnValue);
        dialog.remove();
      }, { once: true });
    });
  }
}
