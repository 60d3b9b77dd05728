// Editar: a company's name, email and WhatsApp number, saved as a merge patch of what changed.
import { api, customerPath, problemText, readJson } from './api.js';
import { companyLabel, emailError, fieldErrors, nameError, whatsappError } from './company-fields.js';
import { $, messageText, showMessage } from './dom.js';
import { t } from './i18n.js';
import { refresh, showStatus } from './company-list.js';
import { returnFocusTo } from './focus-return.js';

const EDIT_FIELDS = ['customer_name', 'customer_email', 'whatsapp_number'];
let editing = null;

export function openEdit(item) {
  editing = item;
  returnFocusTo($('edit-dialog'), item.customer_id, 'edit');
  $('edit-customer').textContent = companyLabel(item);
  $('edit-customer_name').value = item.customer_name;
  $('edit-customer_email').value = item.customer_email;
  $('edit-whatsapp_number').value = item.whatsapp_number || '';
  showEditErrors({}, '');
  $('edit-save').disabled = false;
  $('edit-dialog').showModal();
  $('edit-customer_name').focus();
}

function showEditErrors(errors, general) {
  let first = null;
  EDIT_FIELDS.forEach((field) => {
    const message = messageText(errors[field]);
    $('edit-' + field + '-error').textContent = message;
    $('edit-' + field).setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message && !first) first = $('edit-' + field);
  });
  showMessage('edit-error', general);
  if (first) first.focus();
}

function closeEdit() {
  editing = null;
  $('edit-dialog').close();
}

function saveEdit(event) {
  event.preventDefault();
  if (!editing) return;
  const item = editing;
  const values = {
    customer_name: $('edit-customer_name').value.trim(),
    customer_email: $('edit-customer_email').value.trim(),
    whatsapp_number: $('edit-whatsapp_number').value.trim()
  };
  const errors = fieldErrors({
    customer_name: nameError(values.customer_name),
    customer_email: emailError(values.customer_email),
    whatsapp_number: whatsappError(values.whatsapp_number)
  });
  if (Object.keys(errors).length) { showEditErrors(errors, ''); return; }
  // Merge patch: only what changed; an emptied WhatsApp field clears the number.
  const patch = {};
  if (values.customer_name !== item.customer_name) patch.customer_name = values.customer_name;
  if (values.customer_email !== item.customer_email) patch.customer_email = values.customer_email;
  if (values.whatsapp_number !== (item.whatsapp_number || '')) patch.whatsapp_number = values.whatsapp_number || null;
  if (!Object.keys(patch).length) {
    // Nothing changed: no request; the dialog closes and says so.
    closeEdit();
    showStatus(t('edit_unchanged', item.customer_name));
    return;
  }
  const button = $('edit-save');
  button.disabled = true;
  api(customerPath(item.customer_id), { method: 'PATCH', body: patch })
    .then((response) => readJson(response, {}).then((data) => {
      if (editing !== item) return;
      if (response.ok) {
        closeEdit();
        showStatus(t('edited', data.customer_name));
        refresh(true);
      } else if (data && data.errors) {
        showEditErrors(data.errors, response.status === 409 ? data.detail : messageText(data.errors.body));
      } else {
        showEditErrors({}, problemText(data, t('err_edit')));
      }
    }))
    .catch(() => { showEditErrors({}, t('err_network_check')); })
    .finally(() => { button.disabled = false; });
}

export function wireEditDialog() {
  $('edit-form').addEventListener('submit', saveEdit);
  $('edit-cancel').addEventListener('click', closeEdit);
  $('edit-dialog').addEventListener('close', () => { editing = null; });
}
