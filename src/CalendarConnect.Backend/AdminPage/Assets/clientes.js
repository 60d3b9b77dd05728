// Admin page /clientes: search and page through the companies, add one, get its authorization link, watch the
// connection status, reconnect or disconnect a company, edit its name, email and WhatsApp number, issue and revoke
// its MCP keys, and set its booking hours ("Configurar horarios").
// Everything typed by a person is rendered with textContent, never parsed as HTML.
// This module starts the page; each part lives in its own ES module under clientes/ (no bundler: the browser loads
// them from /assets/clientes/, as 'self' under the page's Content-Security-Policy).
import { askAccept, wireAccountAttemptDialog } from './clientes/account-attempt-dialog.js';
import { clearAddFormErrors, wireAddForm } from './clientes/add-form.js';
import { openSettings, wireBookingSettings } from './clientes/booking-settings.js';
import { redrawList, refresh, showStatus, syncControls, wireListControls } from './clientes/company-list.js';
import { setRowActions } from './clientes/company-table.js';
import { askDisconnect, wireDisconnectDialog } from './clientes/disconnect-dialog.js';
import { $ } from './clientes/dom.js';
import { openEdit, wireEditDialog } from './clientes/edit-dialog.js';
import { wireFocusReturns } from './clientes/focus-return.js';
import { applyStaticTexts, chooseLanguage, language } from './clientes/i18n.js';
import { reconnect, relabelLinkPanel, watchLinkedCompany, wireLinkPanel } from './clientes/link-panel.js';
import { openKeys, wireMcpKeys } from './clientes/mcp-keys.js';
import { buildWeek, relabelWeek } from './clientes/week-editor.js';

const POLL_MS = 3000;

// The language switch: every static text, the table, the open panels and the week editor (keeping what is typed).
function setLanguage(next) {
  chooseLanguage(next);
  applyStaticTexts();
  relabelWeek();
  redrawList();
  relabelLinkPanel();
  showStatus('');
  clearAddFormErrors();
}

function poll() {
  window.setTimeout(() => {
    (document.hidden ? Promise.resolve() : Promise.all([refresh(), watchLinkedCompany()])).finally(poll);
  }, POLL_MS);
}

wireFocusReturns(['disconnect-dialog', 'accept-dialog', 'edit-dialog', 'keys-dialog']);
setRowActions({ connect: reconnect, acceptAccount: askAccept, disconnect: askDisconnect, settings: openSettings, edit: openEdit, keys: openKeys });
wireAddForm();
wireLinkPanel();
wireDisconnectDialog();
wireAccountAttemptDialog();
wireBookingSettings();
wireEditDialog();
wireMcpKeys();
wireListControls();
$('lang-toggle').addEventListener('click', () => { setLanguage(language() === 'es' ? 'en' : 'es'); });

applyStaticTexts();
buildWeek();
syncControls();
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
refresh();
poll();
