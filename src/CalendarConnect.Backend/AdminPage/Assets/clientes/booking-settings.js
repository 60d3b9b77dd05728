// "Configurar horarios": a company's booking settings (time zone, weekly hours, slot length, buffers, notice,
// horizon, calendars), read and saved with the API; the server's per-field messages go next to the fields.
import { api, customerPath, problemText, readJson } from './api.js';
import { companyLabel } from './company-fields.js';
import { $, messageText, showMessage } from './dom.js';
import { t } from './i18n.js';
import { rowButton } from './company-table.js';
import { fillWeek, readWeek, showDayErrors } from './week-editor.js';

const NUMBER_FIELDS = ['slot_minutes', 'buffer_before_minutes', 'buffer_after_minutes', 'min_notice_minutes', 'horizon_days'];
const SETTINGS_FIELDS = ['time_zone', 'calendar_ids', 'allow_off_grid_starts'].concat(NUMBER_FIELDS);
let settingsFor = null;   // the company whose settings are open
let settingsRequest = 0;  // answers to an older request are ignored

function settingsPath(customerId) { return customerPath(customerId) + '/booking-settings'; }

function fillSettings(settings) {
  $('bs-time_zone').value = settings.time_zone || '';
  NUMBER_FIELDS.forEach((field) => { $('bs-' + field).value = settings[field] == null ? '' : String(settings[field]); });
  $('bs-calendar_ids').value = (settings.calendar_ids || []).join(', ');
  $('bs-allow_off_grid_starts').checked = settings.allow_off_grid_starts === true;
  fillWeek(settings.weekly_hours || {});
}

function readSettings() {
  const body = { time_zone: $('bs-time_zone').value.trim() || null, weekly_hours: readWeek() };
  NUMBER_FIELDS.forEach((field) => {
    const text = $('bs-' + field).value.trim();
    // Not a whole number: sent as typed (or null), so the server's message says what is expected.
    body[field] = /^-?\d{1,9}$/.test(text) ? parseInt(text, 10) : (text || null);
  });
  const ids = $('bs-calendar_ids').value.split(',').map((id) => id.trim()).filter(Boolean);
  body.calendar_ids = ids.length ? ids : ['primary'];
  body.allow_off_grid_starts = $('bs-allow_off_grid_starts').checked;
  return body;
}

function showSettingsErrors(errors) {
  errors = errors || {};
  const general = [];
  let firstInvalid = null;
  SETTINGS_FIELDS.forEach((field) => {
    const message = messageText(errors[field]);
    $('bs-' + field + '-error').textContent = message;
    $('bs-' + field).setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message && !firstInvalid) firstInvalid = $('bs-' + field);
  });
  $('bs-weekly_hours-error').textContent = messageText(errors.weekly_hours);
  firstInvalid = showDayErrors(errors, firstInvalid);
  Object.keys(errors).forEach((key) => {
    if (SETTINGS_FIELDS.indexOf(key) < 0 && key !== 'weekly_hours' && key.indexOf('weekly_hours.') !== 0) general.push(messageText(errors[key]));
    else if (key.indexOf('weekly_hours.') === 0 && !$('bs-' + key + '-error')) general.push(key + ': ' + messageText(errors[key]));
  });
  showMessage('settings-error', general.join(' '));
  if (firstInvalid) firstInvalid.focus();
}

export function openSettings(item) {
  const request = ++settingsRequest;
  settingsFor = item;
  $('settings-customer').textContent = companyLabel(item);
  $('settings-form').hidden = true;
  showSettingsErrors({});
  showMessage('settings-success', '');
  $('settings-loading').textContent = t('loading_settings');
  $('settings-panel').hidden = false;
  $('settings-panel').scrollIntoView({ block: 'nearest' });
  api(settingsPath(item.customer_id))
    .then((response) => readJson(response, {}).then((data) => {
      if (request !== settingsRequest) return;
      if (!response.ok) {
        $('settings-loading').textContent = problemText(data, t('err_load_settings'));
        return;
      }
      fillSettings(data);
      $('settings-loading').textContent = '';
      $('settings-form').hidden = false;
      $('bs-time_zone').focus();
    }))
    .catch(() => { if (request === settingsRequest) $('settings-loading').textContent = t('err_network'); });
}

function saveSettings(event) {
  event.preventDefault();
  if (!settingsFor) return;
  const item = settingsFor;
  const request = settingsRequest;
  const button = $('settings-save');
  showMessage('settings-success', '');
  button.disabled = true;
  button.textContent = t('saving');
  api(settingsPath(item.customer_id), { method: 'PUT', body: readSettings() })
    .then((response) => readJson(response, {}).then((data) => {
      if (request !== settingsRequest) return;
      if (response.ok) {
        fillSettings(data);
        showSettingsErrors({});
        showMessage('settings-success', t('settings_saved', item.customer_name));
      } else if (data && data.errors) {
        showSettingsErrors(data.errors);
      } else {
        showSettingsErrors({});
        showMessage('settings-error', problemText(data, t('err_save_settings')));
      }
    }))
    .catch(() => { showMessage('settings-error', t('err_network_check')); })
    .finally(() => { button.disabled = false; button.textContent = t('save'); });
}

function closeSettings() {
  const item = settingsFor;
  settingsFor = null;
  settingsRequest++;
  $('settings-panel').hidden = true;
  const back = item && rowButton(item.customer_id, 'settings');
  if (back) back.focus();
}

export function wireBookingSettings() {
  $('settings-form').addEventListener('submit', saveSettings);
  $('settings-close').addEventListener('click', closeSettings);
  $('settings-panel').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeSettings(); });
}
