// Admin page /clientes: add a company, get its authorization link, watch the connection status,
// reconnect or disconnect a company, and set its booking hours ("Configurar horarios").
// Everything typed by a person is rendered with textContent, never parsed as HTML.
(function () {
  'use strict';

  var POLL_MS = 3000;
  var STATUS_BADGES = { connected: 'badge-ok', not_connected: 'badge-off', needs_reauthorization: 'badge-warn', unknown: 'badge-unknown' };
  var FIELDS = ['customer_id', 'customer_email', 'customer_name'];
  var ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  var EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

  function $(id) { return document.getElementById(id); }

  // ---- Language: Spanish by default, English on request (remembered in localStorage) --------------
  // Static texts carry data-i18n="key"; everything the script writes goes through t(). Messages that come
  // from the server (problem "detail") are shown as the server wrote them.
  var LANG_KEY = 'calendarconnect.lang';
  var TEXT = {
    es: {
      page_title: 'Clientes · CalendarConnect', lang_toggle: 'English', signout: 'Salir',
      heading: 'Clientes', lead: 'Empresas y la conexión de su Google Calendar.', add_customer: 'Agregar Cliente',
      new_customer: 'Nuevo cliente', label_id: 'ID del Cliente', label_email: 'Email del Cliente', label_name: 'Nombre del Cliente',
      connect_calendar: 'Conectar Calendario', connecting: 'Conectando…', cancel: 'Cancelar',
      link_ready: 'Link de autorización listo', link_for: 'Para',
      link_hint: ': ábralo ahora si tiene acceso a la cuenta de Google de la empresa, o cópielo y envíeselo por email, WhatsApp o Slack.',
      open_now: 'Abrir ahora', copy_link: 'Copiar link', share_link: 'Link para compartir',
      settings_of: 'Horarios de', settings_lead: 'Cuándo el asistente ofrece turnos de esta empresa. Los cambios valen para las próximas consultas.',
      time_zone: 'Zona horaria', time_zone_hint: 'Vacío = la del calendario de Google.', weekly_hours: 'Horario semanal',
      slot_minutes: 'Duración del turno (min)', buffer_before: 'Margen antes (min)', buffer_after: 'Margen después (min)',
      min_notice: 'Anticipación mínima (min)', horizon: 'Horizonte (días)', calendars: 'Calendarios',
      calendars_hint: 'Ids separados por comas; vacío = primary (el calendario principal de la cuenta conectada).',
      save: 'Guardar', saving: 'Guardando…', close: 'Cerrar', companies: 'Empresas',
      col_id: 'ID', col_name: 'Nombre', col_email: 'Email', col_status: 'Estado', col_calendar_email: 'Email del calendario', col_actions: 'Acciones',
      empty: 'Aún no hay clientes. Use “Agregar Cliente” para conectar el primero.',
      disconnect_title: '¿Desconectar el calendario?',
      disconnect_text_1: 'Se revocará el acceso de CalendarConnect al Google Calendar de',
      disconnect_text_2: ' y se borrarán sus tokens. El asistente dejará de ofrecer horarios de esta empresa hasta que se vuelva a conectar. La empresa sigue en la lista.',
      disconnect_confirm: 'Sí, desconectar',
      status_connected: 'Conectado', status_not_connected: 'No conectado', status_needs_reauthorization: 'Requiere re-autorización', status_unknown: 'Desconocido',
      err_id_missing: 'Ingrese el ID del cliente.',
      err_id_invalid: 'Use de 1 a 64 letras, números, punto, guion o guion bajo, empezando con letra o número (ej. empresa-abc-123).',
      err_email_missing: 'Ingrese el email de Google de la empresa.',
      err_email_invalid: 'Ingrese un email válido, por ejemplo contacto@empresa-abc.com.',
      err_name_missing: 'Ingrese el nombre de la empresa.',
      err_name_long: 'El nombre puede tener como máximo 200 caracteres.',
      err_name_control: 'El nombre no puede contener caracteres de control.',
      err_connect: 'No se pudo conectar el calendario. Intente de nuevo.',
      err_network_check: 'No se pudo contactar al servidor. Revise su conexión e intente de nuevo.',
      err_network: 'No se pudo contactar al servidor. Intente de nuevo.',
      err_link: 'No se pudo generar el link. Intente de nuevo.',
      link_expiry: 'El link es válido hasta {0} y deja de funcionar cuando el calendario queda conectado.',
      disconnected: 'Calendario de {0} desconectado.', err_disconnect: 'No se pudo desconectar. Intente de nuevo.',
      copied_until: 'Link copiado · válido hasta {0}', copied: 'Link copiado',
      copy_failed: 'No se pudo copiar automáticamente: el link está seleccionado abajo, cópielo con Ctrl+C.',
      copy_unsupported: 'Este navegador no permite copiar automáticamente: el link está seleccionado abajo, cópielo con Ctrl+C.',
      days: ['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'],
      range_label: '{0}, rango {1}: ', from: 'desde', to: 'hasta', remove: 'Quitar', remove_label: 'Quitar rango {0} del {1}',
      closed: 'Cerrado', add_range: 'Agregar rango', add_range_label: 'Agregar rango al {0}',
      loading_settings: 'Cargando horarios…', err_load_settings: 'No se pudieron cargar los horarios. Intente de nuevo.',
      settings_saved: 'Horarios guardados para {0}.', err_save_settings: 'No se pudieron guardar los horarios. Intente de nuevo.',
      other_account: 'Otra cuenta', other_account_title: 'Autorizó una cuenta de Google distinta de {0}.',
      other_account_note: 'Distinta del email de la empresa ({0}).',
      disconnect: 'Desconectar', reconnect: 'Reconectar', connect: 'Conectar', configure_hours: 'Configurar horarios',
      updated: 'Actualizado {0}', err_refresh: 'No se pudo actualizar; reintentando…'
    },
    en: {
      page_title: 'Customers · CalendarConnect', lang_toggle: 'Español', signout: 'Sign out',
      heading: 'Customers', lead: 'Companies and the connection of their Google Calendar.', add_customer: 'Add Customer',
      new_customer: 'New customer', label_id: 'Customer ID', label_email: 'Customer Email', label_name: 'Customer Name',
      connect_calendar: 'Connect Calendar', connecting: 'Connecting…', cancel: 'Cancel',
      link_ready: 'Authorization link ready', link_for: 'For',
      link_hint: ': open it now if you have access to the company\'s Google account, or copy it and send it by email, WhatsApp or Slack.',
      open_now: 'Open now', copy_link: 'Copy link', share_link: 'Link to share',
      settings_of: 'Hours of', settings_lead: 'When the assistant offers appointments for this company. Changes apply to the next requests.',
      time_zone: 'Time zone', time_zone_hint: 'Empty = the Google calendar\'s own.', weekly_hours: 'Weekly hours',
      slot_minutes: 'Appointment length (min)', buffer_before: 'Buffer before (min)', buffer_after: 'Buffer after (min)',
      min_notice: 'Minimum notice (min)', horizon: 'Horizon (days)', calendars: 'Calendars',
      calendars_hint: 'Comma-separated ids; empty = primary (the connected account\'s main calendar).',
      save: 'Save', saving: 'Saving…', close: 'Close', companies: 'Companies',
      col_id: 'ID', col_name: 'Name', col_email: 'Email', col_status: 'Status', col_calendar_email: 'Calendar email', col_actions: 'Actions',
      empty: 'No customers yet. Use “Add Customer” to connect the first one.',
      disconnect_title: 'Disconnect the calendar?',
      disconnect_text_1: 'CalendarConnect\'s access to the Google Calendar of',
      disconnect_text_2: ' will be revoked and its tokens deleted. The assistant stops offering this company\'s hours until it connects again. The company stays in the list.',
      disconnect_confirm: 'Yes, disconnect',
      status_connected: 'Connected', status_not_connected: 'Not connected', status_needs_reauthorization: 'Needs re-authorization', status_unknown: 'Unknown',
      err_id_missing: 'Enter the customer ID.',
      err_id_invalid: 'Use 1 to 64 letters, digits, dot, hyphen or underscore, starting with a letter or digit (e.g. empresa-abc-123).',
      err_email_missing: 'Enter the company\'s Google email.',
      err_email_invalid: 'Enter a valid email, for example contacto@empresa-abc.com.',
      err_name_missing: 'Enter the company name.',
      err_name_long: 'The name can have at most 200 characters.',
      err_name_control: 'The name cannot contain control characters.',
      err_connect: 'The calendar could not be connected. Try again.',
      err_network_check: 'Could not reach the server. Check your connection and try again.',
      err_network: 'Could not reach the server. Try again.',
      err_link: 'The link could not be created. Try again.',
      link_expiry: 'The link is valid until {0} and stops working once the calendar is connected.',
      disconnected: 'Calendar of {0} disconnected.', err_disconnect: 'Could not disconnect. Try again.',
      copied_until: 'Link copied · valid until {0}', copied: 'Link copied',
      copy_failed: 'Could not copy automatically: the link is selected below, copy it with Ctrl+C.',
      copy_unsupported: 'This browser cannot copy automatically: the link is selected below, copy it with Ctrl+C.',
      days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
      range_label: '{0}, range {1}: ', from: 'from', to: 'to', remove: 'Remove', remove_label: 'Remove range {0} of {1}',
      closed: 'Closed', add_range: 'Add range', add_range_label: 'Add range to {0}',
      loading_settings: 'Loading hours…', err_load_settings: 'The hours could not be loaded. Try again.',
      settings_saved: 'Hours saved for {0}.', err_save_settings: 'The hours could not be saved. Try again.',
      other_account: 'Other account', other_account_title: 'A Google account other than {0} authorized.',
      other_account_note: 'Not the company\'s email ({0}).',
      disconnect: 'Disconnect', reconnect: 'Reconnect', connect: 'Connect', configure_hours: 'Set hours',
      updated: 'Updated {0}', err_refresh: 'Could not refresh; retrying…'
    }
  };
  var lang = (function () {
    try { return window.localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'es'; } catch (e) { return 'es'; }
  })();

  function t(key) {
    var args = [].slice.call(arguments, 1);
    var text = TEXT[lang][key];
    return typeof text === 'string' ? text.replace(/\{(\d)\}/g, function (m, i) { return args[+i]; }) : text;
  }

  function applyStaticTexts() {
    document.documentElement.lang = lang;
    document.title = t('page_title');
    document.querySelectorAll('[data-i18n]').forEach(function (node) { node.textContent = t(node.dataset.i18n); });
    $('lang-toggle').setAttribute('lang', lang === 'es' ? 'en' : 'es');
  }
  var csrfToken = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var current = null;
  var refreshing = false;
  var lastItems = null;  // the table as last drawn, redrawn when the language changes

  function signInAgain() {
    window.location.assign('/ingresar?volver=%2Fclientes');
  }

  function api(path, options) {
    options = options || {};
    var method = options.method || 'GET';
    var headers = { 'Accept': 'application/json' };
    if (options.body) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['X-CSRF-TOKEN'] = csrfToken;
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (response) {
      if (response.status === 401) { signInAgain(); throw new Error('No autenticado'); }
      return response;
    });
  }

  // ---- Form -------------------------------------------------------------------------------------

  function validate(values) {
    var errors = {};
    if (!values.customer_id) errors.customer_id = t('err_id_missing');
    else if (!ID_PATTERN.test(values.customer_id)) errors.customer_id = t('err_id_invalid');
    if (!values.customer_email) errors.customer_email = t('err_email_missing');
    else if (values.customer_email.length > 254 || !EMAIL_PATTERN.test(values.customer_email)) errors.customer_email = t('err_email_invalid');
    if (!values.customer_name) errors.customer_name = t('err_name_missing');
    else if (values.customer_name.length > 200) errors.customer_name = t('err_name_long');
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(values.customer_name)) errors.customer_name = t('err_name_control');
    return errors;
  }

  function showErrors(errors, general) {
    FIELDS.forEach(function (field) {
      var message = errors[field] ? [].concat(errors[field]).join(' ') : '';
      $(field + '-error').textContent = message;
      $(field).setAttribute('aria-invalid', message ? 'true' : 'false');
    });
    var formError = $('form-error');
    formError.textContent = general || '';
    formError.hidden = !general;
    var first = FIELDS.filter(function (f) { return errors[f]; })[0];
    if (first) $(first).focus();
  }

  function readForm() {
    return {
      customer_id: $('customer_id').value,
      customer_email: $('customer_email').value.trim(),
      customer_name: $('customer_name').value.trim()
    };
  }

  function toggleForm(open) {
    $('add-card').hidden = !open;
    $('add-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) $('customer_id').focus();
  }

  function connect(event) {
    event.preventDefault();
    var values = readForm();
    var errors = validate(values);
    if (Object.keys(errors).length) { showErrors(errors); return; }
    showErrors({});
    var button = $('connect-button');
    button.disabled = true;
    button.textContent = t('connecting');
    api('/v1/customer-calendars/connect', { method: 'POST', body: values })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            showLink(data, response.headers.get('Shareable-Link-Expires-At'));
            $('connect-form').reset();
            toggleForm(false);
            refresh();
          } else if (data && data.errors) {
            showErrors(data.errors, data.errors.body ? [].concat(data.errors.body).join(' ') : null);
          } else {
            showErrors({}, (data && (data.detail || data.title)) || t('err_connect'));
          }
        });
      })
      .catch(function () { showErrors({}, t('err_network_check')); })
      .finally(function () { button.disabled = false; button.textContent = t('connect_calendar'); });
  }

  // ---- Link panel -------------------------------------------------------------------------------

  function formatExpiry(iso) {
    var date = iso ? new Date(iso) : null;
    if (!date || isNaN(date.getTime())) return '';
    return date.toLocaleString(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function showExpiry() {
    current.expiry = formatExpiry(current.expiresAt);
    $('link-expiry').textContent = current.expiry ? t('link_expiry', current.expiry) : '';
  }

  function showLink(data, expiresAt) {
    current = data;
    current.expiresAt = expiresAt;
    $('link-customer').textContent = data.customer_name + ' (' + data.customer_id + ')';
    $('share-link').value = data.shareable_link;
    showExpiry();
    setCopyStatus('', '');
    $('link-panel').hidden = false;
    $('link-panel').scrollIntoView({ block: 'nearest' });
  }

  // Reconectar (or Conectar after a disconnection): the connect flow again for a company already in the list.
  function reconnect(item, button) {
    button.disabled = true;
    api('/v1/customer-calendars/connect', { method: 'POST', body: { customer_id: item.customer_id, customer_email: item.customer_email, customer_name: item.customer_name } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) { showLink(data, response.headers.get('Shareable-Link-Expires-At')); refresh(); }
          else $('refresh-status').textContent = (data && (data.detail || data.title)) || t('err_link');
        });
      })
      .catch(function () { $('refresh-status').textContent = t('err_network'); })
      .finally(function () { button.disabled = false; });
  }

  // ---- Disconnect (in-page confirmation) --------------------------------------------------------

  var pendingDisconnect = null;

  function askDisconnect(item) {
    pendingDisconnect = item;
    $('disconnect-customer').textContent = item.customer_name + ' (' + item.customer_id + ')';
    $('disconnect-error').hidden = true;
    $('disconnect-confirm').disabled = false;
    $('disconnect-dialog').showModal();
    $('disconnect-cancel').focus();
  }

  function confirmDisconnect() {
    if (!pendingDisconnect) return;
    var item = pendingDisconnect;
    var button = $('disconnect-confirm');
    button.disabled = true;
    api('/v1/customer-calendars/' + encodeURIComponent(item.customer_id), { method: 'DELETE' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            pendingDisconnect = null;
            $('disconnect-dialog').close();
            if (current && current.customer_id === item.customer_id) $('link-panel').hidden = true;
            $('refresh-status').textContent = t('disconnected', item.customer_name);
            refresh();
          } else {
            $('disconnect-error').textContent = (data && (data.detail || data.title)) || t('err_disconnect');
            $('disconnect-error').hidden = false;
            button.disabled = false;
          }
        });
      })
      .catch(function () {
        $('disconnect-error').textContent = t('err_network');
        $('disconnect-error').hidden = false;
        button.disabled = false;
      });
  }

  function setCopyStatus(text, kind) {
    var status = $('copy-status');
    status.textContent = text;
    status.className = 'copy-status' + (kind ? ' copy-' + kind : '');
  }

  function openNow() {
    if (!current) return;
    // noopener: the Google page gets no handle on this admin page.
    window.open(current.authorization_url, 'calendarconnect-oauth', 'popup,width=520,height=680,noopener');
  }

  function copyFallback(message) {
    var input = $('share-link');
    input.focus();
    input.select();
    setCopyStatus(message, 'warn');
  }

  function copyLink() {
    if (!current) return;
    var link = current.shareable_link;
    try {
      navigator.clipboard.writeText(link).then(
        function () { setCopyStatus(current.expiry ? t('copied_until', current.expiry) : t('copied'), 'ok'); },
        function () { copyFallback(t('copy_failed')); });
    } catch (e) {
      copyFallback(t('copy_unsupported'));
    }
  }

  // ---- Booking settings ("Configurar horarios") ------------------------------------------------

  var DAYS = [['mon'], ['tue'], ['wed'], ['thu'], ['fri'], ['sat'], ['sun']];
  var NUMBER_FIELDS = ['slot_minutes', 'buffer_before_minutes', 'buffer_after_minutes', 'min_notice_minutes', 'horizon_days'];
  var SETTINGS_FIELDS = ['time_zone', 'calendar_ids'].concat(NUMBER_FIELDS);
  var MAX_RANGES = 12;
  var settingsFor = null;     // the company whose settings are open
  var settingsRequest = 0;    // answers to an older request are ignored
  var week = {};              // day key -> [[desde, hasta], ...] as typed

  function dayName(key) { return t('days')[DAYS.map(function (d) { return d[0]; }).indexOf(key)]; }

  function rangeInput(day, index, part, value) {
    var id = 'bs-' + day + '-' + index + '-' + part;
    var label = document.createElement('label');
    label.htmlFor = id;
    var hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = t('range_label', dayName(day), index + 1);
    label.appendChild(hidden);
    label.appendChild(document.createTextNode(part === 'from' ? t('from') : t('to')));
    var input = document.createElement('input');
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
    week[day] = week[day].map(function (range, i) {
      var from = $('bs-' + day + '-' + i + '-from');
      var to = $('bs-' + day + '-' + i + '-to');
      return [from ? from.value : range[0], to ? to.value : range[1]];
    });
  }

  function renderDay(day, focus) {
    var container = $('bs-' + day + '-ranges');
    var children = week[day].map(function (range, i) {
      var row = document.createElement('div');
      row.className = 'range';
      rangeInput(day, i, 'from', range[0]).concat(rangeInput(day, i, 'to', range[1])).forEach(function (el) { row.appendChild(el); });
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn btn-ghost btn-small';
      remove.textContent = t('remove');
      remove.setAttribute('aria-label', t('remove_label', i + 1, dayName(day)));
      remove.addEventListener('click', function () {
        syncDay(day);
        week[day].splice(i, 1);
        renderDay(day, week[day].length ? 'bs-' + day + '-' + Math.min(i, week[day].length - 1) + '-from' : 'bs-' + day + '-add');
      });
      row.appendChild(remove);
      return row;
    });
    if (!children.length) {
      var closed = document.createElement('span');
      closed.className = 'muted closed';
      closed.textContent = t('closed');
      children.push(closed);
    }
    container.replaceChildren.apply(container, children);
    $('bs-' + day + '-add').disabled = week[day].length >= MAX_RANGES;
    if (focus && $(focus)) $(focus).focus();
  }

  function buildWeek() {
    var rows = DAYS.map(function (d) {
      var day = d[0];
      var row = document.createElement('div');
      row.className = 'day-row';
      row.setAttribute('role', 'group');
      row.setAttribute('aria-labelledby', 'bs-' + day + '-name');
      var name = document.createElement('span');
      name.className = 'day-name';
      name.id = 'bs-' + day + '-name';
      name.textContent = dayName(day);
      var ranges = document.createElement('div');
      ranges.className = 'ranges';
      ranges.id = 'bs-' + day + '-ranges';
      var add = document.createElement('button');
      add.type = 'button';
      add.id = 'bs-' + day + '-add';
      add.className = 'btn btn-secondary btn-small';
      add.textContent = t('add_range');
      add.setAttribute('aria-label', t('add_range_label', dayName(day)));
      add.addEventListener('click', function () {
        syncDay(day);
        if (week[day].length >= MAX_RANGES) return;
        week[day].push(['', '']);
        renderDay(day, 'bs-' + day + '-' + (week[day].length - 1) + '-from');
      });
      var error = document.createElement('p');
      error.className = 'field-error';
      error.id = 'bs-weekly_hours.' + day + '-error';
      error.setAttribute('aria-live', 'polite');
      [name, ranges, add, error].forEach(function (el) { row.appendChild(el); });
      return row;
    });
    $('bs-week').replaceChildren.apply($('bs-week'), rows);
  }

  function fillSettings(settings) {
    $('bs-time_zone').value = settings.time_zone || '';
    NUMBER_FIELDS.forEach(function (field) { $('bs-' + field).value = settings[field] == null ? '' : String(settings[field]); });
    $('bs-calendar_ids').value = (settings.calendar_ids || []).join(', ');
    var hours = settings.weekly_hours || {};
    DAYS.forEach(function (d) {
      week[d[0]] = (hours[d[0]] || []).map(function (r) { return [String(r[0]), String(r[1])]; });
      renderDay(d[0]);
    });
  }

  function readSettings() {
    var body = { time_zone: $('bs-time_zone').value.trim() || null, weekly_hours: {} };
    DAYS.forEach(function (d) {
      syncDay(d[0]);
      body.weekly_hours[d[0]] = week[d[0]]
        .map(function (r) { return [r[0].trim(), r[1].trim()]; })
        .filter(function (r) { return r[0] || r[1]; }); // an empty new row is no range
    });
    NUMBER_FIELDS.forEach(function (field) {
      var text = $('bs-' + field).value.trim();
      // Not a whole number: sent as typed (or null), so the server's message says what is expected.
      body[field] = /^-?\d{1,9}$/.test(text) ? parseInt(text, 10) : (text || null);
    });
    var ids = $('bs-calendar_ids').value.split(',').map(function (id) { return id.trim(); }).filter(Boolean);
    body.calendar_ids = ids.length ? ids : ['primary'];
    return body;
  }

  function setSettingsMessage(id, text) {
    $(id).textContent = text || '';
    $(id).hidden = !text;
  }

  function showSettingsErrors(errors) {
    errors = errors || {};
    var general = [];
    var firstInvalid = null;
    SETTINGS_FIELDS.forEach(function (field) {
      var message = errors[field] ? [].concat(errors[field]).join(' ') : '';
      $('bs-' + field + '-error').textContent = message;
      $('bs-' + field).setAttribute('aria-invalid', message ? 'true' : 'false');
      if (message && !firstInvalid) firstInvalid = $('bs-' + field);
    });
    $('bs-weekly_hours-error').textContent = errors.weekly_hours ? [].concat(errors.weekly_hours).join(' ') : '';
    DAYS.forEach(function (d) {
      var message = errors['weekly_hours.' + d[0]] ? [].concat(errors['weekly_hours.' + d[0]]).join(' ') : '';
      $('bs-weekly_hours.' + d[0] + '-error').textContent = message;
      document.querySelectorAll('#bs-' + d[0] + '-ranges input').forEach(function (input) {
        input.setAttribute('aria-invalid', message ? 'true' : 'false');
        if (message && !firstInvalid) firstInvalid = input;
      });
      if (message && !firstInvalid) firstInvalid = $('bs-' + d[0] + '-add');
    });
    Object.keys(errors).forEach(function (key) {
      if (SETTINGS_FIELDS.indexOf(key) < 0 && key !== 'weekly_hours' && key.indexOf('weekly_hours.') !== 0) general.push([].concat(errors[key]).join(' '));
      else if (key.indexOf('weekly_hours.') === 0 && !$('bs-' + key + '-error')) general.push(key + ': ' + [].concat(errors[key]).join(' '));
    });
    setSettingsMessage('settings-error', general.join(' '));
    if (firstInvalid) firstInvalid.focus();
  }

  function settingsPath(id) { return '/v1/customer-calendars/' + encodeURIComponent(id) + '/booking-settings'; }

  function openSettings(item) {
    var request = ++settingsRequest;
    settingsFor = item;
    $('settings-customer').textContent = item.customer_name + ' (' + item.customer_id + ')';
    $('settings-form').hidden = true;
    showSettingsErrors({});
    setSettingsMessage('settings-success', '');
    $('settings-loading').textContent = t('loading_settings');
    $('settings-panel').hidden = false;
    $('settings-panel').scrollIntoView({ block: 'nearest' });
    api(settingsPath(item.customer_id))
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (request !== settingsRequest) return;
          if (!response.ok) {
            $('settings-loading').textContent = (data && (data.detail || data.title)) || t('err_load_settings');
            return;
          }
          fillSettings(data);
          $('settings-loading').textContent = '';
          $('settings-form').hidden = false;
          $('bs-time_zone').focus();
        });
      })
      .catch(function () { if (request === settingsRequest) $('settings-loading').textContent = t('err_network'); });
  }

  function saveSettings(event) {
    event.preventDefault();
    if (!settingsFor) return;
    var item = settingsFor;
    var request = settingsRequest;
    var button = $('settings-save');
    setSettingsMessage('settings-success', '');
    button.disabled = true;
    button.textContent = t('saving');
    api(settingsPath(item.customer_id), { method: 'PUT', body: readSettings() })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (request !== settingsRequest) return;
          if (response.ok) {
            fillSettings(data);
            showSettingsErrors({});
            setSettingsMessage('settings-success', t('settings_saved', item.customer_name));
          } else if (data && data.errors) {
            showSettingsErrors(data.errors);
          } else {
            showSettingsErrors({});
            setSettingsMessage('settings-error', (data && (data.detail || data.title)) || t('err_save_settings'));
          }
        });
      })
      .catch(function () { setSettingsMessage('settings-error', t('err_network_check')); })
      .finally(function () { button.disabled = false; button.textContent = t('save'); });
  }

  function closeSettings() {
    var item = settingsFor;
    settingsFor = null;
    settingsRequest++;
    $('settings-panel').hidden = true;
    var back = item && rowButton(item.customer_id, 'settings');
    if (back) back.focus();
  }

  // ---- Table ------------------------------------------------------------------------------------

  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function render(items) {
    lastItems = items;
    var rows = items.map(function (item) {
      var tr = document.createElement('tr');
      tr.dataset.customerId = item.customer_id;
      tr.appendChild(cell(item.customer_id, 'mono'));
      tr.appendChild(cell(item.customer_name));
      tr.appendChild(cell(item.customer_email));
      var known = STATUS_BADGES[item.status] ? item.status : 'unknown';
      var badge = document.createElement('span');
      badge.className = 'badge ' + STATUS_BADGES[known];
      badge.textContent = t('status_' + known);
      var statusCell = document.createElement('td');
      statusCell.appendChild(badge);
      tr.appendChild(statusCell);
      var emailCell = cell(item.calendar_email || '—', item.calendar_email ? '' : 'muted');
      if (item.account_mismatch) {
        // The Google account that consented is not the company's email: say so next to it.
        var warn = document.createElement('span');
        warn.className = 'warn-tag mismatch';
        warn.textContent = t('other_account');
        warn.title = t('other_account_title', item.customer_email);
        emailCell.appendChild(document.createTextNode(' '));
        emailCell.appendChild(warn);
        var note = document.createElement('div');
        note.className = 'small mismatch-note';
        note.textContent = t('other_account_note', item.customer_email);
        emailCell.appendChild(note);
      }
      tr.appendChild(emailCell);
      var actions = document.createElement('td');
      actions.className = 'actions';
      if (item.status === 'connected' || item.status === 'needs_reauthorization') {
        var disconnect = document.createElement('button');
        disconnect.type = 'button';
        disconnect.className = 'btn btn-ghost btn-small';
        disconnect.textContent = t('disconnect');
        disconnect.dataset.action = 'disconnect';
        disconnect.addEventListener('click', function () { askDisconnect(item); });
        actions.appendChild(disconnect);
      }
      if (item.status === 'needs_reauthorization' || item.status === 'not_connected') {
        var again = document.createElement('button');
        again.type = 'button';
        again.className = 'btn btn-secondary btn-small';
        again.textContent = item.status === 'needs_reauthorization' ? t('reconnect') : t('connect');
        again.dataset.action = 'connect';
        again.addEventListener('click', function () { reconnect(item, again); });
        actions.appendChild(again);
      }
      var settings = document.createElement('button');
      settings.type = 'button';
      settings.className = 'btn btn-secondary btn-small';
      settings.textContent = t('configure_hours');
      settings.dataset.action = 'settings';
      settings.addEventListener('click', function () { openSettings(item); });
      actions.appendChild(settings);
      tr.appendChild(actions);
      return tr;
    });
    // The table is redrawn every few seconds: keep keyboard focus on the same button of the same company.
    var active = document.activeElement;
    var focused = active && active.dataset && active.dataset.action && active.closest('#customers-body tr')
      ? [active.closest('tr').dataset.customerId, active.dataset.action] : null;
    $('customers-body').replaceChildren.apply($('customers-body'), rows);
    if (focused) {
      var again = rowButton(focused[0], focused[1]);
      if (again) again.focus();
    }
    $('empty-state').hidden = items.length > 0;
    $('customers-table').hidden = items.length === 0;
  }

  function rowButton(customerId, action) {
    var rows = document.querySelectorAll('#customers-body tr');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].dataset.customerId === customerId) return rows[i].querySelector('button[data-action="' + action + '"]');
    }
    return null;
  }

  function refresh() {
    if (refreshing) return Promise.resolve();
    refreshing = true;
    return api('/v1/customer-calendars')
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (items) {
        render(items);
        $('refresh-status').textContent = t('updated', new Date().toLocaleTimeString(lang));
      })
      .catch(function () { $('refresh-status').textContent = t('err_refresh'); })
      .finally(function () { refreshing = false; });
  }

  function poll() {
    window.setTimeout(function () {
      (document.hidden ? Promise.resolve() : refresh()).finally(poll);
    }, POLL_MS);
  }

  $('add-toggle').addEventListener('click', function () { toggleForm($('add-card').hidden); });
  $('add-cancel').addEventListener('click', function () { showErrors({}); toggleForm(false); });
  $('connect-form').addEventListener('submit', connect);
  $('open-now').addEventListener('click', openNow);
  $('copy-link').addEventListener('click', copyLink);
  $('share-link').addEventListener('focus', function () { this.select(); });
  $('disconnect-confirm').addEventListener('click', confirmDisconnect);
  $('disconnect-cancel').addEventListener('click', function () { pendingDisconnect = null; $('disconnect-dialog').close(); });
  $('disconnect-dialog').addEventListener('close', function () { pendingDisconnect = null; });
  $('settings-form').addEventListener('submit', saveSettings);
  $('settings-close').addEventListener('click', closeSettings);
  $('settings-panel').addEventListener('keydown', function (event) { if (event.key === 'Escape') closeSettings(); });
  // The language switch: every static text, the table, the open panels and the week editor (keeping what is typed).
  function setLanguage(next) {
    lang = next;
    try { window.localStorage.setItem(LANG_KEY, lang); } catch (e) { /* private mode: this page only */ }
    applyStaticTexts();
    DAYS.forEach(function (d) { if (week[d[0]]) syncDay(d[0]); });
    buildWeek();
    DAYS.forEach(function (d) { if (week[d[0]]) renderDay(d[0]); });
    if (lastItems) render(lastItems);
    if (current) showExpiry();
    setCopyStatus('', '');
    $('refresh-status').textContent = '';
    FIELDS.forEach(function (field) { $(field + '-error').textContent = ''; });
  }

  $('lang-toggle').addEventListener('click', function () { setLanguage(lang === 'es' ? 'en' : 'es'); });
  applyStaticTexts();
  buildWeek();
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh(); });
  refresh();
  poll();
})();
