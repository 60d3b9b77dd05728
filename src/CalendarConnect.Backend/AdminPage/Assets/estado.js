// Admin page /estado ("Estado del sistema"): companies needing re-authorization, Google errors of the last hour and the
// last sync of each mirrored calendar, read from GET /v1/system-status and refreshed while the page is visible.
// Same sign-in, look and language switch as /clientes; the drawing lives in clientes/system-status.js.
import { $ } from './clientes/dom.js';
import { applyStaticTexts, chooseLanguage, language } from './clientes/i18n.js';
import { redrawStatus, refreshStatus } from './clientes/system-status.js';

const POLL_MS = 15000;
const TITLE_KEY = 'status_page_title';

function poll() {
  window.setTimeout(() => {
    (document.hidden ? Promise.resolve() : refreshStatus()).finally(poll);
  }, POLL_MS);
}

$('lang-toggle').addEventListener('click', () => {
  chooseLanguage(language() === 'es' ? 'en' : 'es');
  applyStaticTexts(TITLE_KEY);
  redrawStatus();
});
document.addEventListener('visibilitychange', () => { if (!document.hidden) refreshStatus(); });

applyStaticTexts(TITLE_KEY);
refreshStatus();
poll();
