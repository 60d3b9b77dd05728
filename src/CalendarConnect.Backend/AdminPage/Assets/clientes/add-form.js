// "Agregar Cliente": the form that adds a company (or updates one by its id) and gets its authorization link.
import { api, problemText, readJson } from './api.js';
import { emailError, fieldErrors, hasControlCharacters, idError, nameError, whatsappError } from './company-fields.js';
import { $, messageText } from './dom.js';
import { t } from './i18n.js';
import { refresh } from './company-list.js';
import { showLink } from './link-panel.js';

const FIELDS = ['customer_id', 'customer_email', 'customer_name', 'whatsapp_number'];

function validate(values) {
  return fieldErrors({
    customer_id: idError(values.customer_id),
    customer_email: emailError(values.customer_email),
    customer_name: nameError(values.customer_name) || (hasControlCharacters(values.customer_name) ? t('err_name_control') : null),
    whatsapp_number: whatsappError(values.whatsapp_number)
  });
}

function showErrors(errors, general) {
  FIELDS.forEach((field) => {
    const message = messageText(errors[field]);
    $(field + '-error').textContent = message;
    $(field).setAttribute('aria-invalid', message ? 'true' : 'false');
  });
  const formError = $('form-error');
  formError.textContent = general || '';
  formError.hidden = !general;
  const first = FIELDS.find((field) => errors[field]);
  if (first) $(first).focus();
}

function readForm() {
  return {
    customer_id: $('customer_id').value,
    customer_email: $('customer_email').value.trim(),
    customer_name: $('customer_name').value.trim(),
    whatsapp_number: $('whatsapp_number').value.trim()
  };
}

function toggleForm(open) {
  const wasOpen = !$('add-card').hidden;
  $('add-card').hidden = !open;
  $('add-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  if (open) $('customer_id').focus();
  else if (wasOpen && $('add-card').contains(document.activeElement)) $('add-toggle').focus();
}

function cancel() {
  showErrors({});
  toggleForm(false);
}

function connect(event) {
  event.preventDefault();
  const values = readForm();
  const errors = validate(values);
  if (Object.keys(errors).length) { showErrors(errors); return; }
  showErrors({});
  const button = $('connect-button');
  button.disabled = true;
  button.textContent = t('connecting');
  if (!values.whatsapp_number) delete values.whatsapp_number; // optional: left out keeps what the company has
  api('/v1/customer-calendars/connect', { method: 'POST', body: values })
    .then((response) => readJson(response, {}).then((data) => {
      if (response.ok) {
        showLink(data, response);
        $('connect-form').reset();
        toggleForm(false);
        refresh(true);
      } else if (data && data.errors) {
        // Field errors next to their fields; the problem's detail (e.g. which company holds a WhatsApp number) above.
        showErrors(data.errors, data.errors.body ? messageText(data.errors.body) : (response.status === 409 ? data.detail : null));
      } else {
        showErrors({}, problemText(data, t('err_connect')));
      }
    }))
    .catch(() => { showErrors({}, t('err_network_check')); })
    .finally(() => { button.disabled = false; button.textContent = t('connect_calendar'); });
}

// Field errors in the other language would stay behind: the language switch clears them.
export function clearAddFormErrors() {
  FIELDS.forEach((field) => { $(field + '-error').textContent = ''; });
}

export function wireAddForm() {
  $('add-toggle').addEventListener('click', () => { toggleForm($('add-card').hidden); });
  $('add-cancel').addEventListener('click', cancel);
  $('add-card').addEventListener('keydown', (event) => { if (event.key === 'Escape') cancel(); });
  $('connect-form').addEventListener('submit', connect);
}
