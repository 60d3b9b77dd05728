// A company's connection status as the table shows it: the badge and, under it, the Google account that consented,
// a consent by an account other than the company's email, and an attempt with another account.
import { formatDateTime, t } from './i18n.js';

const STATUS_BADGES = { connected: 'badge-ok', not_connected: 'badge-off', needs_reauthorization: 'badge-warn', unknown: 'badge-unknown' };

function line(className, text) {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  return div;
}

export function statusCell(item) {
  const known = STATUS_BADGES[item.status] ? item.status : 'unknown';
  const badge = document.createElement('span');
  badge.className = 'badge ' + STATUS_BADGES[known];
  badge.textContent = t('status_' + known);
  // The status and, under it, the Google account that consented (one column: the table fits 1280 px).
  const td = document.createElement('td');
  td.className = 'status-cell';
  td.appendChild(badge);
  if (item.calendar_email) {
    td.appendChild(line('small muted calendar-email', t('calendar_account', item.calendar_email)));
  }
  if (item.account_mismatch) {
    // The Google account that consented is not the company's email: say so next to it.
    const warn = document.createElement('span');
    warn.className = 'warn-tag mismatch';
    warn.textContent = t('other_account');
    warn.title = t('other_account_title', item.customer_email);
    td.appendChild(document.createTextNode(' '));
    td.appendChild(warn);
    td.appendChild(line('small mismatch-note', t('other_account_note', item.customer_email)));
  }
  if (item.account_attempt) {
    // Someone consented with another Google account: nothing was connected; the admin may accept that account.
    td.appendChild(line('small mismatch-note account-attempt',
      t('attempt_note', item.account_attempt.account_email, formatDateTime(item.account_attempt.attempted_at, 'long'))));
  }
  return td;
}
