// Aceptar cuenta: someone consented with a Google account other than the company's email; the admin may make that
// account the company's email, and the company authorizes once more with it (a new link).
import { api, customerPath, problemText, readJson } from './api.js';
import { companyLabel } from './company-fields.js';
import { $, showMessage } from './dom.js';
import { t } from './i18n.js';
import { refresh, showStatus } from './company-list.js';
import { returnFocusTo } from './focus-return.js';
import { showLink } from './link-panel.js';

let pendingAccept = null;

export function askAccept(item) {
  pendingAccept = { item, account: item.account_attempt.account_email };
  returnFocusTo($('accept-dialog'), item.customer_id, 'accept-account');
  $('accept-customer').textContent = companyLabel(item);
  $('accept-account').textContent = pendingAccept.account;
  $('accept-error').hidden = true;
  $('accept-confirm').disabled = false;
  $('accept-dialog').showModal();
  $('accept-cancel').focus();
}

// The account shown in the dialog is the one sent: a newer attempt with yet another account is refused (409), not accepted.
function confirmAccept() {
  if (!pendingAccept) return;
  const { item, account } = pendingAccept;
  const button = $('accept-confirm');
  button.disabled = true;
  const fail = (message) => {
    showMessage('accept-error', message);
    button.disabled = false;
  };
  api(customerPath(item.customer_id) + '/account-attempt/accept', { method: 'POST', body: { account_email: account } })
    .then((response) => readJson(response, {}).then((data) => {
      if (response.ok) {
        pendingAccept = null;
        $('accept-dialog').close();
        showLink(data, response, { customerId: item.customer_id, action: 'settings' });
        // After the list is redrawn, which writes its own "Actualizado" there.
        refresh(true).then(() => { showStatus(t('accepted', account, item.customer_name)); });
      } else {
        fail(problemText(data, t('err_accept')));
      }
    }))
    .catch(() => { fail(t('err_network')); });
}

export function wireAccountAttemptDialog() {
  $('accept-confirm').addEventListener('click', confirmAccept);
  $('accept-cancel').addEventListener('click', () => { pendingAccept = null; $('accept-dialog').close(); });
  $('accept-dialog').addEventListener('close', () => { pendingAccept = null; });
}
