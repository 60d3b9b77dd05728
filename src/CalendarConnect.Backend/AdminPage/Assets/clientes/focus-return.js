// Dialogs: focus goes in on open and back to the row's button on close.
// The table is redrawn every few seconds, so the opener is found again by company and action when the dialog closes.
import { $ } from './dom.js';
import { rowButton } from './company-table.js';

const focusReturns = new Map();

export function returnFocusTo(dialog, customerId, action) {
  focusReturns.set(dialog, { customerId, action });
}

function restoreFocus(dialog) {
  const target = focusReturns.get(dialog);
  focusReturns.delete(dialog);
  if (!target) return;
  const back = rowButton(target.customerId, target.action) || rowButton(target.customerId, null) || $('add-toggle');
  back.focus();
}

export function wireFocusReturns(dialogIds) {
  dialogIds.forEach((id) => {
    $(id).addEventListener('close', () => { restoreFocus($(id)); });
  });
}
