// The page's client of the /v1 API: same-origin requests with the CSRF token, answers in the page's language.
import { language } from './i18n.js';

const csrfToken = document.querySelector('meta[name="csrf-token"]').getAttribute('content');

// Where connect, reconnect and accepting another account say until when their shareable link works.
export const LINK_EXPIRES_HEADER = 'Shareable-Link-Expires-At';

// Back to this page (/clientes or /estado) after signing in again.
function signInAgain() {
  window.location.assign('/ingresar?volver=' + encodeURIComponent(window.location.pathname));
}

export function api(path, options = {}) {
  const method = options.method || 'GET';
  // The server answers problems (titles, details, field errors) in the page's language.
  const headers = { 'Accept': 'application/json', 'Accept-Language': language() };
  if (options.body) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-TOKEN'] = csrfToken;
  return fetch(path, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers,
    body: options.body ? JSON.stringify(options.body) : undefined
  }).then((response) => {
    if (response.status === 401) { signInAgain(); throw new Error('No autenticado'); }
    return response;
  });
}

// The answer's JSON, or fallback when its body is empty or not JSON.
export function readJson(response, fallback) {
  return response.json().catch(() => fallback);
}

// What a problem answer says to a person (its detail, else its title), or the page's own message.
export function problemText(data, fallback) {
  return (data && (data.detail || data.title)) || fallback;
}

export function customerPath(customerId) {
  return '/v1/customer-calendars/' + encodeURIComponent(customerId);
}
