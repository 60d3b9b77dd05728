// The list: search, status filter and pages, kept in the address (reload and back work), read from the API and
// drawn in the companies table; and the status line above it, where the page says what just happened.
import { api, problemText, readJson } from './api.js';
import { $ } from './dom.js';
import { language, t } from './i18n.js';
import { renderTable } from './company-table.js';

const PAGE_SIZES = [25, 50, 100, 200];
const DEFAULT_PAGE_SIZE = 50;
const STATUSES = ['connected', 'not_connected', 'needs_reauthorization', 'unknown'];
const SEARCH_DELAY_MS = 300;
let listState = readListState();
let listTotal = 0;
let searchTimer = null;
let listRequest = 0;
let refreshing = false;
let lastItems = null;  // the table as last drawn, redrawn when the language changes

// The status line next to the list's title ("Actualizado …", or what an action just did).
export function showStatus(text) {
  $('refresh-status').textContent = text;
}

function readListState() {
  const params = new URLSearchParams(window.location.search);
  const page = parseInt(params.get('page') || '1', 10);
  const size = parseInt(params.get('page_size') || String(DEFAULT_PAGE_SIZE), 10);
  const status = params.get('status') || '';
  return {
    q: (params.get('q') || '').slice(0, 200),
    status: STATUSES.indexOf(status) >= 0 ? status : '',
    page: page >= 1 && page <= 1000000 ? page : 1,
    pageSize: PAGE_SIZES.indexOf(size) >= 0 ? size : DEFAULT_PAGE_SIZE
  };
}

function listQuery(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.status) params.set('status', state.status);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('page_size', String(state.pageSize));
  return params.toString();
}

export function syncControls() {
  if ($('search').value.trim() !== listState.q) $('search').value = listState.q;
  $('status-filter').value = listState.status;
  $('page-size').value = String(listState.pageSize);
}

// A new search or filter goes into the browser history, so Back returns to the previous one.
function commitListState(changes, replace) {
  Object.assign(listState, changes);
  const query = listQuery(listState);
  const url = window.location.pathname + (query ? '?' + query : '');
  if (url !== window.location.pathname + window.location.search) {
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }
  return refresh(true);
}

function renderPager(count) {
  const last = Math.max(1, Math.ceil(listTotal / listState.pageSize));
  const from = count ? (listState.page - 1) * listState.pageSize + 1 : 0;
  $('total-count').textContent = listTotal === 0 ? '' : (last > 1
    ? t('showing', from, from + count - 1, listTotal)
    : (listTotal === 1 ? t('total_one') : t('total_many', listTotal)));
  $('page-info').textContent = t('page_of', listState.page, last);
  $('page-prev').disabled = listState.page <= 1;
  $('page-next').disabled = listState.page >= last;
  $('pager').hidden = listTotal === 0;
}

function render(items) {
  lastItems = items;
  renderTable(items, !!(listState.q || listState.status));
}

// The table and pager as last drawn, in the language just chosen.
export function redrawList() {
  if (lastItems) { render(lastItems); renderPager(lastItems.length); }
}

// force: a new search or page (an answer to an older request is dropped); otherwise a poll, skipped while one runs.
export function refresh(force) {
  if (refreshing && !force) return Promise.resolve();
  refreshing = true;
  const request = ++listRequest;
  const state = { ...listState };
  const query = new URLSearchParams({ page: String(state.page), page_size: String(state.pageSize) });
  if (state.q) query.set('q', state.q);
  if (state.status) query.set('status', state.status);
  return api('/v1/customer-calendars?' + query.toString())
    .then((response) => readJson(response, null).then((data) => {
      if (request !== listRequest) return;
      if (!response.ok || !Array.isArray(data)) {
        $('list-error').textContent = problemText(data, t('err_refresh'));
        $('list-error').hidden = false;
        return;
      }
      $('list-error').hidden = true;
      listTotal = parseInt(response.headers.get('X-Total-Count') || String(data.length), 10) || 0;
      const last = Math.max(1, Math.ceil(listTotal / state.pageSize));
      if (!data.length && state.page > last) {
        // Past the last page (companies went away, or a stale link): show the last one instead.
        return commitListState({ page: last }, true);
      }
      render(data);
      renderPager(data.length);
      showStatus(t('updated', new Date().toLocaleTimeString(language())));
    }))
    .catch(() => { if (request === listRequest) showStatus(t('err_refresh')); })
    .finally(() => { if (request === listRequest) refreshing = false; });
}

export function wireListControls() {
  $('list-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    window.clearTimeout(searchTimer);
    commitListState({ q: $('search').value.trim(), page: 1 });
  });
  $('search').addEventListener('input', () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      const q = $('search').value.trim();
      if (q !== listState.q) commitListState({ q, page: 1 });
    }, SEARCH_DELAY_MS);
  });
  $('status-filter').addEventListener('change', (event) => { commitListState({ status: event.currentTarget.value, page: 1 }); });
  $('page-size').addEventListener('change', (event) => { commitListState({ pageSize: parseInt(event.currentTarget.value, 10), page: 1 }); });
  $('page-prev').addEventListener('click', () => { if (listState.page > 1) commitListState({ page: listState.page - 1 }); });
  $('page-next').addEventListener('click', () => { commitListState({ page: listState.page + 1 }); });
  window.addEventListener('popstate', () => {
    listState = readListState();
    syncControls();
    refresh(true);
  });
}
