// The weekly hours editor of "Configurar horarios": per day, up to MAX_RANGES ranges "desde–hasta" as typed (the
// server checks them and answers per day), added and removed without losing what is typed in the others.
import { $, messageText } from './dom.js';
import { t } from './i18n.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MAX_RANGES = 12;
const week = {};  // day key -> [[desde, hasta], ...] as typed

function dayName(day) { return t('days')[DAYS.indexOf(day)]; }

function rangeInput(day, index, part, value) {
  const id = 'bs-' + day + '-' + index + '-' + part;
  const label = document.createElement('label');
  label.htmlFor = id;
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = t('range_label', dayName(day), index + 1);
  label.appendChild(hidden);
  label.appendChild(document.createTextNode(part === 'from' ? t('from') : t('to')));
  const input = document.createElement('input');
  input.id = id;
  input.className = 'time-input';
  input.value = value || '';
  input.placeholder = part === 'from' ? '09:00' : '18:00';
  input.maxLength = 5;
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('inputmode', 'numeric');
  input.setAttribute('aria-describedby', 'bs-weekly_hours.' + day + '-error');
  input.dataset.day = day;
  return [label, input];
}

// Reads what is typed in one day's rows back into the model (before adding or removing a range).
function syncDay(day) {
  week[day] = week[day].map((range, i) => {
    const from = $('bs-' + day + '-' + i + '-from');
    const to = $('bs-' + day + '-' + i + '-to');
    return [from ? from.value : range[0], to ? to.value : range[1]];
  });
}

function renderDay(day, focus) {
  const container = $('bs-' + day + '-ranges');
  const children = week[day].map((range, i) => {
    const row = document.createElement('div');
    row.className = 'range';
    rangeInput(day, i, 'from', range[0]).concat(rangeInput(day, i, 'to', range[1])).forEach((el) => { row.appendChild(el); });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'btn btn-ghost btn-small';
    remove.textContent = t('remove');
    remove.setAttribute('aria-label', t('remove_label', i + 1, dayName(day)));
    remove.addEventListener('click', () => {
      syncDay(day);
      week[day].splice(i, 1);
      renderDay(day, week[day].length ? 'bs-' + day + '-' + Math.min(i, week[day].length - 1) + '-from' : 'bs-' + day + '-add');
    });
    row.appendChild(remove);
    return row;
  });
  if (!children.length) {
    const closed = document.createElement('span');
    closed.className = 'muted closed';
    closed.textContent = t('closed');
    children.push(closed);
  }
  container.replaceChildren(...children);
  $('bs-' + day + '-add').disabled = week[day].length >= MAX_RANGES;
  if (focus && $(focus)) $(focus).focus();
}

// One row per day (name, ranges, "Agregar rango", the day's error), in the page's language.
export function buildWeek() {
  const rows = DAYS.map((day) => {
    const row = document.createElement('div');
    row.className = 'day-row';
    row.setAttribute('role', 'group');
    row.setAttribute('aria-labelledby', 'bs-' + day + '-name');
    const name = document.createElement('span');
    name.className = 'day-name';
    name.id = 'bs-' + day + '-name';
    name.textContent = dayName(day);
    const ranges = document.createElement('div');
    ranges.className = 'ranges';
    ranges.id = 'bs-' + day + '-ranges';
    const add = document.createElement('button');
    add.type = 'button';
    add.id = 'bs-' + day + '-add';
    add.className = 'btn btn-secondary btn-small';
    add.textContent = t('add_range');
    add.setAttribute('aria-label', t('add_range_label', dayName(day)));
    add.addEventListener('click', () => {
      syncDay(day);
      if (week[day].length >= MAX_RANGES) return;
      week[day].push(['', '']);
      renderDay(day, 'bs-' + day + '-' + (week[day].length - 1) + '-from');
    });
    const error = document.createElement('p');
    error.className = 'field-error';
    error.id = 'bs-weekly_hours.' + day + '-error';
    error.setAttribute('aria-live', 'polite');
    [name, ranges, add, error].forEach((el) => { row.appendChild(el); });
    return row;
  });
  $('bs-week').replaceChildren(...rows);
}

// weekly_hours as the API answers it: day key -> [["09:00", "13:00"], ...].
export function fillWeek(hours) {
  DAYS.forEach((day) => {
    week[day] = (hours[day] || []).map((r) => [String(r[0]), String(r[1])]);
    renderDay(day);
  });
}

// weekly_hours as typed, to send: an empty new row is no range.
export function readWeek() {
  const hours = {};
  DAYS.forEach((day) => {
    syncDay(day);
    hours[day] = week[day]
      .map((r) => [r[0].trim(), r[1].trim()])
      .filter((r) => r[0] || r[1]);
  });
  return hours;
}

// The day's message next to its ranges, its inputs marked invalid; returns the first control to focus (or firstInvalid).
export function showDayErrors(errors, firstInvalid) {
  DAYS.forEach((day) => {
    const message = messageText(errors['weekly_hours.' + day]);
    $('bs-weekly_hours.' + day + '-error').textContent = message;
    document.querySelectorAll('#bs-' + day + '-ranges input').forEach((input) => {
      input.setAttribute('aria-invalid', message ? 'true' : 'false');
      if (message && !firstInvalid) firstInvalid = input;
    });
    if (message && !firstInvalid) firstInvalid = $('bs-' + day + '-add');
  });
  return firstInvalid;
}

// The editor in the language just chosen, keeping what is typed.
export function relabelWeek() {
  DAYS.forEach((day) => { if (week[day]) syncDay(day); });
  buildWeek();
  DAYS.forEach((day) => { if (week[day]) renderDay(day); });
}
