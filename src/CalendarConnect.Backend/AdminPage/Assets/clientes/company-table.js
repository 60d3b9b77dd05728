// The companies table: one row per company with its contact, its status and the buttons that act on it.
import { $, cell } from './dom.js';
import { t } from './i18n.js';
import { statusCell } from './status-cell.js';

// What each row button does (set once by clientes.js): connect, acceptAccount, disconnect, settings, edit, keys.
let rowActions = null;

export function setRowActions(actions) {
  rowActions = actions;
}

function rowAction(item, action, text, className, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn btn-small ' + className;
  button.textContent = text;
  button.dataset.action = action;
  // Every row has the same buttons: the accessible name says which company each acts on.
  button.setAttribute('aria-label', t('action_label', text, item.customer_name));
  button.addEventListener('click', () => { onClick(button); });
  return button;
}

function contactCell(item) {
  const contact = cell(item.customer_email);
  if (item.whatsapp_number) {
    const phone = document.createElement('div');
    phone.className = 'small muted whatsapp';
    phone.textContent = t('whatsapp_short', item.whatsapp_number);
    contact.appendChild(phone);
  }
  return contact;
}

function actionsCell(item) {
  const actions = document.createElement('td');
  actions.className = 'actions';
  const group = document.createElement('div');
  group.className = 'action-group';
  // What the company most likely needs comes first: (re)connecting, then disconnecting.
  if (item.status === 'needs_reauthorization' || item.status === 'not_connected') {
    group.appendChild(rowAction(item, 'connect', item.status === 'needs_reauthorization' ? t('reconnect') : t('connect'), 'btn-secondary',
      (button) => { rowActions.connect(item, button); }));
  }
  if (item.account_attempt) {
    group.appendChild(rowAction(item, 'accept-account', t('accept_account'), 'btn-secondary', () => { rowActions.acceptAccount(item); }));
  }
  if (item.status === 'connected' || item.status === 'needs_reauthorization') {
    group.appendChild(rowAction(item, 'disconnect', t('disconnect'), 'btn-ghost', () => { rowActions.disconnect(item); }));
  }
  group.appendChild(rowAction(item, 'settings', t('configure_hours'), 'btn-secondary', () => { rowActions.settings(item); }));
  group.appendChild(rowAction(item, 'edit', t('edit'), 'btn-ghost', () => { rowActions.edit(item); }));
  group.appendChild(rowAction(item, 'keys', t('mcp_keys'), 'btn-ghost', () => { rowActions.keys(item); }));
  actions.appendChild(group);
  return actions;
}

// filtered: a search or status filter is on (the empty table says that nothing matches, not that there is nothing).
export function renderTable(items, filtered) {
  const rows = items.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.customerId = item.customer_id;
    tr.appendChild(cell(item.customer_id, 'mono'));
    tr.appendChild(cell(item.customer_name));
    tr.appendChild(contactCell(item));
    tr.appendChild(statusCell(item));
    tr.appendChild(actionsCell(item));
    return tr;
  });
  // The table is redrawn every few seconds: keep keyboard focus on the same button of the same company.
  const active = document.activeElement;
  const focused = active && active.dataset && active.dataset.action && active.closest('#customers-body tr')
    ? [active.closest('tr').dataset.customerId, active.dataset.action] : null;
  $('customers-body').replaceChildren(...rows);
  if (focused) {
    const again = rowButton(focused[0], focused[1]);
    if (again) again.focus();
  }
  $('empty-state').textContent = filtered ? t('empty_filtered') : t('empty');
  $('empty-state').hidden = items.length > 0;
  $('customers-table').hidden = items.length === 0;
}

// The button for this action in the company's row (any button of the row when action is null).
export function rowButton(customerId, action) {
  for (const row of document.querySelectorAll('#customers-body tr')) {
    if (row.dataset.customerId === customerId) {
      return row.querySelector(action ? 'button[data-action="' + action + '"]' : 'button[data-action]');
    }
  }
  return null;
}
