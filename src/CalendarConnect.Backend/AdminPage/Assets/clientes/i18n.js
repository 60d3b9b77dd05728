// Language: Spanish by default, English on request (remembered in localStorage).
// Static texts carry data-i18n="key"; everything the script writes goes through t(). Messages that come
// from the server (problem "detail", field errors) come in the page's language: api() sends Accept-Language.
import { $ } from './dom.js';
import { TEXT } from './texts.js';

const LANG_KEY = 'calendarconnect.lang';
let lang = storedLanguage();

function storedLanguage() {
  try { return window.localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'es'; } catch { return 'es'; }
}

export function language() { return lang; }

export function chooseLanguage(next) {
  lang = next;
  try { window.localStorage.setItem(LANG_KEY, lang); } catch { /* private mode: this page only */ }
}

// The text for key, with {0}, {1}… replaced by args (a list, such as the day names, is returned as it is).
export function t(key, ...args) {
  const text = TEXT[lang][key];
  return typeof text === 'string' ? text.replace(/\{(\d)\}/g, (match, i) => args[+i]) : text;
}

// titleKey: the page's own title (/clientes 'page_title', /estado 'status_page_title').
export function applyStaticTexts(titleKey = 'page_title') {
  document.documentElement.lang = lang;
  document.title = t(titleKey);
  document.querySelectorAll('[data-i18n]').forEach((node) => { node.textContent = t(node.dataset.i18n); });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((node) => { node.placeholder = t(node.dataset.i18nPlaceholder); });
  document.querySelectorAll('[data-i18n-aria-label]').forEach((node) => { node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel)); });
  $('lang-toggle').setAttribute('lang', lang === 'es' ? 'en' : 'es');
}

// A moment in the page's language: month 'long' (the link's expiry, an account attempt) or 'short' (the keys table).
export function formatDateTime(iso, month) {
  const date = iso ? new Date(iso) : null;
  if (!date || isNaN(date.getTime())) return '';
  return date.toLocaleString(lang, { day: 'numeric', month, year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
