// The authorization link panel: the link of a company just added, reconnected or given another account; open it
// in a popup or copy it to send it; the panel says when the company's calendar is connected.
import { LINK_EXPIRES_HEADER, api, customerPath, problemText, readJson } from './api.js';
import { companyLabel } from './company-fields.js';
import { $ } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { refresh, showStatus } from './company-list.js';
import { rowButton } from './company-table.js';

let current = null;  // the connect answer shown, with its expiry, opener and whether it is connected by now

function showExpiry() {
  current.expiry = formatDateTime(current.expiresAt, 'long');
  $('link-expiry').textContent = current.expiry ? t('link_expiry', current.expiry) : '';
}

function setCopyStatus(text, kind) {
  const status = $('copy-status');
  status.textContent = text;
  status.className = 'copy-status' + (kind ? ' copy-' + kind : '');
}

function setPopupStatus(text) {
  const status = $('popup-status');
  status.textContent = text;
  status.className = 'copy-status' + (text ? ' copy-ok' : '');
}

// data: the connect answer; response: its HTTP answer (the link's expiry is a header).
// opener: the control focus returns to when the panel closes (Agregar Cliente, or the row's Conectar button).
export function showLink(data, response, opener) {
  current = data;
  current.expiresAt = response.headers.get(LINK_EXPIRES_HEADER);
  current.opener = opener || null;
  current.connected = !!data.calendar_connected;
  $('link-customer').textContent = companyLabel(data);
  $('share-link').value = data.shareable_link;
  showExpiry();
  setCopyStatus('', '');
  setPopupStatus('');
  $('link-panel').hidden = false;
  $('link-panel').scrollIntoView({ block: 'nearest' });
  $('open-now').focus();
}

function closeLink() {
  if ($('link-panel').hidden) return;
  const opener = current && current.opener;
  $('link-panel').hidden = true;
  const back = opener && opener.customerId ? rowButton(opener.customerId, opener.action) : $('add-toggle');
  (back || $('add-toggle')).focus();
}

// The company was disconnected: its link no longer leads anywhere useful.
export function hideLinkOf(customerId) {
  if (current && current.customer_id === customerId) $('link-panel').hidden = true;
}

// While the panel is open, watch its company: when the popup (or whoever got the link) finishes the consent,
// the panel says so, without a reload, wherever the company is in the list.
export function watchLinkedCompany() {
  if (!current || current.connected || $('link-panel').hidden) return Promise.resolve();
  const watched = current;
  return api(customerPath(watched.customer_id))
    .then((response) => (response.ok ? response.json() : null))
    .then((item) => {
      if (item && item.calendar_connected && current === watched) {
        watched.connected = true;
        setPopupStatus(t('link_connected', watched.customer_name));
      }
    })
    .catch(() => { /* the next poll tries again */ });
}

// Reconectar (or Conectar after a disconnection): the connect flow again for a company already in the list.
// connect saves the email and name it is sent (an upsert), and the list may be seconds old: the company is read
// fresh right before, so a change saved meanwhile (another tab's Editar, a script's PATCH) is not undone.
export function reconnect(item, button) {
  button.disabled = true;
  const failure = (data) => {
    const error = new Error(problemText(data, t('err_link')));
    error.fromServer = true;
    return error;
  };
  api(customerPath(item.customer_id))
    .then((response) => readJson(response, {}).then((fresh) => {
      if (!response.ok || !fresh || fresh.customer_id !== item.customer_id) throw failure(fresh);
      return api('/v1/customer-calendars/connect', { method: 'POST', body: { customer_id: fresh.customer_id, customer_email: fresh.customer_email, customer_name: fresh.customer_name } });
    }))
    .then((response) => readJson(response, {}).then((data) => {
      if (!response.ok) throw failure(data);
      showLink(data, response, { customerId: item.customer_id, action: 'connect' });
      refresh(true);
    }))
    .catch((error) => { showStatus(error && error.fromServer ? error.message : t('err_network')); })
    .finally(() => { button.disabled = false; });
}

function openNow() {
  if (!current) return;
  // noopener: the Google page gets no handle on this admin page.
  window.open(current.authorization_url, 'calendarconnect-oauth', 'popup,width=520,height=680,noopener');
}

function copyFallback(message) {
  const input = $('share-link');
  input.focus();
  input.select();
  setCopyStatus(message, 'warn');
}

function copyLink() {
  if (!current) return;
  const link = current.shareable_link;
  try {
    navigator.clipboard.writeText(link).then(
      () => { setCopyStatus(current.expiry ? t('copied_until', current.expiry) : t('copied'), 'ok'); },
      () => { copyFallback(t('copy_failed')); });
  } catch {
    copyFallback(t('copy_unsupported'));
  }
}

// The expiry in the language just chosen; a copy status in the other language is cleared.
export function relabelLinkPanel() {
  if (current) showExpiry();
  setCopyStatus('', '');
}

export function wireLinkPanel() {
  $('open-now').addEventListener('click', openNow);
  $('copy-link').addEventListener('click', copyLink);
  $('link-close').addEventListener('click', closeLink);
  $('link-panel').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeLink(); });
  $('share-link').addEventListener('focus', (event) => { event.currentTarget.select(); });
}
