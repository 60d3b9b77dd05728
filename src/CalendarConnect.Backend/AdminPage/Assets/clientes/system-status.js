// The "Estado del sistema" view: reads GET /v1/system-status and draws its three parts. Every value from the server is
// rendered with textContent; reasons are short codes, shown with their explanation in the page's language.
import { api, readJson } from './api.js';
import { $, cell, showMessage } from './dom.js';
import { formatDateTime, language, t } from './i18n.js';

const KINDS = ['calendar_api', 'token_refresh'];
let last = null;       // the last answer, redrawn when the language changes
let loadedAt = null;
let failedToLoad = false;
let loading = false;

export function refreshStatus() {
  if (loading) return Promise.resolve();
  loading = true;
  return api('/v1/system-status')
    .then((response) => (response.ok ? readJson(response, null) : null))
    .then((data) => {
      failedToLoad = !data;
      if (data) { last = data; loadedAt = new Date(); }
      redrawStatus();
    })
    .catch(() => { failedToLoad = true; redrawStatus(); })
    .finally(() => { loading = false; });
}

export function redrawStatus() {
  showMessage('status-error', failedToLoad ? t('err_status') : '');
  $('status-updated').textContent = loadedAt
    ? t('status_updated', loadedAt.toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }))
    : t('status_loading');
  if (!last) return;
  drawReauthorization(last.needs_reauthorization);
  drawFailures(last.google_failures);
  drawMirror(last.mirror);
}

// A reason code with its explanation, and Google's HTTP status when there was one: "Error interno de Google (backendError, HTTP 503)".
function reasonText(code, httpStatus) {
  const known = t('reason_' + code);
  const detail = [code].concat(httpStatus ? ['HTTP ' + httpStatus] : []).join(', ');
  return (typeof known === 'string' ? known : t('reason_other')) + ' (' + detail + ')';
}

function when(iso) { return formatDateTime(iso, 'short'); }

function drawReauthorization(list) {
  const body = $('reauth-body');
  body.replaceChildren();
  list.companies.forEach((company) => {
    const row = document.createElement('tr');
    row.append(cell(company.customer_id), cell(reasonText(company.reason)), cell(when(company.since)));
    const actions = document.createElement('td');
    const link = document.createElement('a');
    link.className = 'btn btn-secondary btn-small';
    link.href = '/clientes?' + new URLSearchParams({ q: company.customer_id, status: 'needs_reauthorization' }).toString();
    link.textContent = t('reauth_action');
    actions.append(link);
    row.append(actions);
    body.append(row);
  });
  $('reauth-table').hidden = list.companies.length === 0;
  $('reauth-empty').hidden = list.companies.length > 0;
  $('reauth-more').textContent = list.total > list.companies.length ? t('reauth_more', list.companies.length, list.total) : '';
}

function drawFailures(failures) {
  KINDS.forEach((kind) => { $('count-' + kind).textContent = String(failures.by_kind[kind] || 0); });
  const body = $('failures-body');
  body.replaceChildren();
  failures.latest.forEach((failure) => {
    const row = document.createElement('tr');
    const kind = t('kind_' + failure.kind);
    row.append(cell(when(failure.last_at)), cell(failure.customer_id), cell(typeof kind === 'string' ? kind : failure.kind),
      cell(reasonText(failure.reason, failure.http_status)), cell(String(failure.count)));
    body.append(row);
  });
  $('failures-list').hidden = failures.latest.length === 0;
  $('failures-empty').hidden = failures.latest.length > 0;
}

function drawMirror(mirror) {
  const body = $('mirror-body');
  body.replaceChildren();
  mirror.calendars.forEach((calendar) => {
    const row = document.createElement('tr');
    const state = calendar.failures > 0
      ? t('mirror_failing', calendar.failures) + (calendar.last_error ? ' · ' + reasonText(calendar.last_error) : '')
      : t('mirror_ok');
    row.append(cell(calendar.customer_id), cell(calendar.calendar_id),
      cell(calendar.synced_at ? when(calendar.synced_at) : t('mirror_never')), cell(state, calendar.failures > 0 ? 'warn-text' : ''));
    body.append(row);
  });
  const listed = mirror.enabled && mirror.calendars.length > 0;
  $('mirror-list').hidden = !listed;
  $('mirror-empty').hidden = listed;
  $('mirror-empty').textContent = mirror.enabled ? t('mirror_empty') : t('mirror_off');
  $('mirror-more').textContent = mirror.total > mirror.calendars.length ? t('reauth_more', mirror.calendars.length, mirror.total) : '';
}
