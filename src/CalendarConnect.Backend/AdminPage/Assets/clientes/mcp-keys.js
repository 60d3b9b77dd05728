// Claves MCP of a company: create one (its secret shown once), list them, revoke one after asking in its row.
import { api, customerPath, problemText, readJson } from './api.js';
import { companyLabel } from './company-fields.js';
import { $, cell, messageText } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { returnFocusTo } from './focus-return.js';

const LABEL_MAX_LENGTH = 100;
let keysFor = null;   // the company whose keys are open
let keysRequest = 0;  // answers to an older request are ignored

function keysPath(customerId) { return customerPath(customerId) + '/mcp-keys'; }

function formatDate(iso) { return formatDateTime(iso, 'short'); }

// keys-error hides while empty; keys-status is a status line that stays in place.
function setKeysMessage(id, text) {
  $(id).textContent = text || '';
  if (id === 'keys-error') $(id).hidden = !text;
}

function setLabelError(message) {
  $('key-label-error').textContent = message;
  $('key-label').setAttribute('aria-invalid', message ? 'true' : 'false');
  if (message) $('key-label').focus();
}

export function openKeys(item) {
  keysFor = item;
  returnFocusTo($('keys-dialog'), item.customer_id, 'keys');
  $('keys-customer').textContent = companyLabel(item);
  $('key-form').reset();
  setLabelError('');
  hideNewKey();
  setKeysMessage('keys-error', '');
  setKeysMessage('keys-status', '');
  $('keys-body').replaceChildren();
  $('keys-table').hidden = true;
  $('keys-dialog').showModal();
  $('key-label').focus();
  loadKeys();
}

function hideNewKey() {
  $('new-key-value').value = '';
  $('key-copy-status').textContent = '';
  $('new-key').hidden = true;
}

// focusAfter: the id of the control to focus once the list is drawn; status: what to say then (e.g. "revoked").
function loadKeys(focusAfter, status) {
  const item = keysFor;
  const request = ++keysRequest;
  if (!item) return;
  if (!$('keys-body').children.length) setKeysMessage('keys-status', t('keys_loading'));
  api(keysPath(item.customer_id))
    .then((response) => readJson(response, null).then((data) => {
      if (request !== keysRequest || keysFor !== item) return;
      if (!response.ok || !Array.isArray(data)) {
        setKeysMessage('keys-status', '');
        setKeysMessage('keys-error', problemText(data, t('err_keys')));
        return;
      }
      renderKeys(data);
      if (status) setKeysMessage('keys-status', status);
      if (focusAfter && $(focusAfter)) $(focusAfter).focus();
    }))
    .catch(() => { if (request === keysRequest) setKeysMessage('keys-error', t('err_network')); });
}

function renderKeys(keys) {
  const rows = keys.map((key) => {
    const tr = document.createElement('tr');
    tr.dataset.keyId = key.key_id;
    tr.appendChild(cell(key.label || t('key_no_label'), key.label ? '' : 'muted'));
    tr.appendChild(cell(key.key_id, 'mono'));
    tr.appendChild(cell(formatDate(key.created_at)));
    tr.appendChild(cell(key.last_used_at ? formatDate(key.last_used_at) : t('key_never_used'), key.last_used_at ? '' : 'muted'));
    const actions = document.createElement('td');
    actions.className = 'actions';
    if (key.revoked_at) {
      const revoked = document.createElement('span');
      revoked.className = 'badge badge-off';
      revoked.textContent = t('key_revoked_at', formatDate(key.revoked_at));
      actions.appendChild(revoked);
    } else {
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.id = 'revoke-' + key.key_id;
      revoke.className = 'btn btn-ghost btn-small';
      revoke.textContent = t('key_revoke');
      revoke.setAttribute('aria-label', t('action_label', t('key_revoke'), key.label ? key.label + ' (' + key.key_id + ')' : key.key_id));
      revoke.addEventListener('click', () => { askRevoke(tr, key); });
      actions.appendChild(revoke);
    }
    tr.appendChild(actions);
    return tr;
  });
  $('keys-body').replaceChildren(...rows);
  $('keys-table').hidden = rows.length === 0;
  setKeysMessage('keys-status', rows.length ? '' : t('keys_empty'));
}

// Revoking asks first, in the row itself (a dialog inside the dialog would be harder to use by keyboard).
function askRevoke(tr, key) {
  const actions = tr.querySelector('td.actions');
  const question = document.createElement('span');
  question.className = 'small confirm-question';
  question.id = 'revoke-question-' + key.key_id;
  question.textContent = t('key_revoke_question');
  const yes = document.createElement('button');
  yes.type = 'button';
  yes.className = 'btn btn-danger btn-small';
  yes.textContent = t('key_revoke_confirm');
  yes.setAttribute('aria-describedby', question.id);
  const no = document.createElement('button');
  no.type = 'button';
  no.className = 'btn btn-ghost btn-small';
  no.textContent = t('cancel');
  no.addEventListener('click', () => { loadKeys('revoke-' + key.key_id); });
  yes.addEventListener('click', () => { revokeKey(key, yes); });
  actions.replaceChildren(question, yes, no);
  no.focus();
}

function revokeKey(key, button) {
  const item = keysFor;
  if (!item) return;
  button.disabled = true;
  api(keysPath(item.customer_id) + '/' + encodeURIComponent(key.key_id), { method: 'DELETE' })
    .then((response) => {
      if (response.ok) {
        setKeysMessage('keys-error', '');
        hideNewKey();
        loadKeys('key-label', t('key_revoked', key.label || key.key_id));
        return;
      }
      return readJson(response, {}).then((data) => {
        setKeysMessage('keys-error', problemText(data, t('err_key_revoke')));
        button.disabled = false;
      });
    })
    .catch(() => { setKeysMessage('keys-error', t('err_network')); button.disabled = false; });
}

function createKey(event) {
  event.preventDefault();
  const item = keysFor;
  if (!item) return;
  const label = $('key-label').value.trim();
  if (label.length > LABEL_MAX_LENGTH) {
    setLabelError(t('err_label_long'));
    return;
  }
  setLabelError('');
  const button = $('key-create');
  button.disabled = true;
  button.textContent = t('key_creating');
  setKeysMessage('keys-error', '');
  api(keysPath(item.customer_id), { method: 'POST', body: label ? { label } : {} })
    .then((response) => readJson(response, {}).then((data) => {
      if (keysFor !== item) return;
      if (response.status === 201 && data.api_key) {
        $('key-form').reset();
        $('new-key-value').value = data.api_key;
        $('key-copy-status').textContent = '';
        $('new-key').hidden = false;
        $('key-copy').focus();
        loadKeys();
      } else if (data && data.errors && data.errors.label) {
        setLabelError(messageText(data.errors.label));
      } else {
        setKeysMessage('keys-error', problemText(data, t('err_key_create')));
      }
    }))
    .catch(() => { setKeysMessage('keys-error', t('err_network_check')); })
    .finally(() => { button.disabled = false; button.textContent = t('key_create'); });
}

function setCopyStatus(text, kind) {
  $('key-copy-status').textContent = text;
  $('key-copy-status').className = 'copy-status copy-' + kind;
}

function copyKey() {
  const value = $('new-key-value').value;
  if (!value) return;
  const fallback = () => {
    $('new-key-value').focus();
    $('new-key-value').select();
    setCopyStatus(t('key_copy_failed'), 'warn');
  };
  try {
    navigator.clipboard.writeText(value).then(() => { setCopyStatus(t('key_copied'), 'ok'); }, fallback);
  } catch { fallback(); }
}

function forgetKeys() {
  keysFor = null;
  keysRequest++;
  hideNewKey(); // the key leaves the page with the dialog
}

function closeKeys() {
  forgetKeys();
  if ($('keys-dialog').open) $('keys-dialog').close();
}

export function wireMcpKeys() {
  $('key-form').addEventListener('submit', createKey);
  $('key-copy').addEventListener('click', copyKey);
  $('new-key-value').addEventListener('focus', (event) => { event.currentTarget.select(); });
  $('keys-close').addEventListener('click', closeKeys);
  $('keys-dialog').addEventListener('close', forgetKeys);
}
