// Desconectar: asks in a dialog, then revokes the company's Google access and deletes its tokens.
import { api, customerPath, problemText, readJson } from './api.js';
import { companyLabel } from './company-fields.js';
import { $, showMessage } from './dom.js';
import { t } from './i18n.js';
import { refresh, showStatus } from './company-list.js';
import { returnFocusTo } from './focus-return.js';
import { hideLinkOf } from './link-panel.js';

let pendingDisconnect = null;

export function askDisconnect(item) {
  pendingDisconnect = item;
  returnFocusTo($('disconnect-dialog'), item.customer_id, 'disconnect');
  $('disconnect-customer').textContent = companyLabel(item);
  $('disconnect-error').hidden = true;
  $('disconnect-confirm').disabled = false;
  $('disconnect-dialog').showModal();
  $('disconnect-cancel').focus();
}

function confirmDisconnect() {
  if (!pendingDisconnect) return;
  const item = pendingDisconnect;
  const button = $('disconnect-confirm');
  button.disabled = true;
  const fail = (message) => {
    showMessage('disconnect-error', message);
    button.disabled = false;
  };
  api(customerPath(item.customer_id), { method: 'DELETE' })
    .then((response) => readJson(response, {}).then((data) => {
      if (response.ok) {
        pendingDisconnect = null;
        $('disconnect-dialog').close();
        hideLinkOf(item.customer_id);
        const said = t(data && data.grant_may_still_be_active ? 'disconnected_grant_active' : 'disconnected', item.customer_name);
        showStatus(said);
        // After the list is redrawn, which writes its own "Actualizado" there.
        refresh(true).then(() => { showStatus(said); });
      } else {
        fail(problemText(data, t('err_disconnect')));
      }
    }))
    .catch(() => { fail(t('err_network')); });
}

export function wireDisconnectDialog() {
  $('disconnect-confirm').addEventListener('click', confirmDisconnect);
  $('disconnect-cancel').addEventListener('click', () => { pendingDisconnect = null; $('disconnect-dialog').close(); });
  $('disconnect-dialog').addEventListener('close', () => { pendingDisconnect = null; });
}
