// Admin page /clientes: search and page through the companies, add one, get its authorization link, watch the
// connection status, reconnect or disconnect a company, edit its name, email and WhatsApp number, issue and revoke
// its MCP keys, and set its booking hours ("Configurar horarios").
// Everything typed by a person is rendered with textContent, never parsed as HTML.
(function () {
  'use strict';

  var POLL_MS = 3000;
  var STATUS_BADGES = { connected: 'badge-ok', not_connected: 'badge-off', needs_reauthorization: 'badge-warn', unknown: 'badge-unknown' };
  var FIELDS = ['customer_id', 'customer_email', 'customer_name', 'whatsapp_number'];
  var EDIT_FIELDS = ['customer_name', 'customer_email', 'whatsapp_number'];
  var SEARCH_DELAY_MS = 300;
  // A WhatsApp number as people type it: "+" (or "00") and the country code, then digits, spaces, dashes, dots,
  // parentheses. Without the "+" a national number's first digits would pass for a country code, so the server
  // refuses it too; it checks the number itself (libphonenumber) and answers per field.
  var PHONE_PATTERN = /^(\+|00)[\d\s().-]{6,39}$/;
  var ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  var EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

  function $(id) { return document.getElementById(id); }

  // ---- Language: Spanish by default, English on request (remembered in localStorage) --------------
  // Static texts carry data-i18n="key"; everything the script writes goes through t(). Messages that come
  // from the server (problem "detail", field errors) come in the page's language: api() sends Accept-Language.
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
      off_grid: 'Permitir turnos a cualquier hora del horario',
      off_grid_hint: 'Sin marcar, los turnos empiezan solo en los horarios que se ofrecen (apertura y cada duración de turno).',
      save: 'Guardar', saving: 'Guardando…', close: 'Cerrar', companies: 'Empresas',
      col_id: 'ID', col_name: 'Nombre', col_email: 'Email', col_status: 'Estado', col_actions: 'Acciones',
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
      disconnected: 'Calendario de {0} desconectado.',
      disconnected_grant_active: 'Calendario de {0} desconectado, pero Google no confirmó la revocación: el acceso puede seguir activo en Google. Se reintenta automáticamente.', err_disconnect: 'No se pudo desconectar. Intente de nuevo.',
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
      attempt_note: 'Intentó conectar con otra cuenta: {0} ({1}). No se conectó ni se guardó nada.',
      accept_account: 'Aceptar cuenta', accept_title: '¿Aceptar la otra cuenta de Google?',
      accept_text_1: 'El email de', accept_text_2: 'pasará a ser',
      accept_text_3: ', y sus reservas irán a ese Google Calendar. La empresa debe autorizar una vez más con esa cuenta: se abre un link nuevo para enviarle.',
      accept_confirm: 'Sí, aceptar esta cuenta', accepted: 'Cuenta {0} aceptada para {1}: envíele el link para que autorice con ella.',
      err_accept: 'No se pudo aceptar la cuenta. Intente de nuevo.',
      disconnect: 'Desconectar', reconnect: 'Reconectar', connect: 'Conectar', configure_hours: 'Configurar horarios',
      updated: 'Actualizado {0}', err_refresh: 'No se pudo actualizar; reintentando…',
      label_whatsapp: 'Número de WhatsApp', whatsapp_hint: 'Opcional. Con + y el código de país, por ejemplo +54 9 11 5555-0000; el asistente atiende los mensajes de este número.',
      err_whatsapp_invalid: 'Ingrese el número con + y el código de país, por ejemplo +54 9 11 5555-0000.',
      search: 'Buscar', search_placeholder: 'ID, nombre, email o WhatsApp', status_filter: 'Filtrar por estado', status_all: 'Todos',
      page_size: 'Por página', previous: 'Anterior', next: 'Siguiente', pages: 'Páginas', page_of: 'Página {0} de {1}',
      total_one: '1 empresa', total_many: '{0} empresas', showing: 'Mostrando {0}–{1} de {2}',
      empty_filtered: 'Ninguna empresa coincide con la búsqueda o el filtro.', col_contact: 'Email / WhatsApp',
      whatsapp_short: 'WhatsApp {0}', calendar_account: 'Calendario: {0}', edit: 'Editar', mcp_keys: 'Claves MCP',
      action_label: '{0}: {1}',
      edit_title: 'Editar', edit_name: 'Nombre', edit_email: 'Email', edit_whatsapp: 'WhatsApp', edit_whatsapp_hint: 'Con + y el código de país. Vacío = sin número.',
      edited: 'Datos de {0} guardados.', edit_unchanged: 'Sin cambios en {0}.', err_edit: 'No se pudieron guardar los datos. Intente de nuevo.',
      link_connected: 'Calendario de {0} conectado.',
      keys_title: 'Claves MCP de', keys_lead: 'Cada clave deja a un cliente MCP (por ejemplo, el asistente de la empresa) usar solo el calendario de esta empresa.',
      key_label: 'Etiqueta (opcional)', key_create: 'Crear clave', key_creating: 'Creando…',
      key_once: 'Copie esta clave ahora: no se volverá a mostrar.', key_new: 'Clave nueva', key_copy: 'Copiar clave',
      key_copied: 'Clave copiada', key_copy_failed: 'No se pudo copiar automáticamente: la clave está seleccionada, cópiela con Ctrl+C.',
      key_col_label: 'Etiqueta', key_col_id: 'ID de la clave', key_col_created: 'Creada', key_col_used: 'Último uso',
      key_never_used: 'Nunca', key_no_label: 'Sin etiqueta', key_revoke: 'Revocar', key_revoke_confirm: 'Sí, revocar',
      key_revoke_question: '¿Revocar esta clave? Los clientes que la usan dejan de tener acceso.',
      key_revoked_at: 'Revocada el {0}', key_revoked: 'Clave {0} revocada.', keys_empty: 'Esta empresa aún no tiene claves MCP.',
      keys_loading: 'Cargando claves…', err_keys: 'No se pudieron cargar las claves. Intente de nuevo.',
      err_key_create: 'No se pudo crear la clave. Intente de nuevo.', err_key_revoke: 'No se pudo revocar la clave. Intente de nuevo.',
      err_label_long: 'La etiqueta puede tener como máximo 100 caracteres.'
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
      off_grid: 'Allow appointments at any time within the hours',
      off_grid_hint: 'Unchecked, appointments start only at the offered times (opening time and every slot length after it).',
      save: 'Save', saving: 'Saving…', close: 'Close', companies: 'Companies',
      col_id: 'ID', col_name: 'Name', col_email: 'Email', col_status: 'Status', col_actions: 'Actions',
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
      disconnected: 'Calendar of {0} disconnected.',
      disconnected_grant_active: 'Calendar of {0} disconnected, but Google did not confirm the revocation: the access may still be active at Google. It is retried automatically.', err_disconnect: 'Could not disconnect. Try again.',
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
      attempt_note: 'Tried to connect with another account: {0} ({1}). Nothing was connected or stored.',
      accept_account: 'Accept account', accept_title: 'Accept the other Google account?',
      accept_text_1: 'The email of', accept_text_2: 'becomes',
      accept_text_3: ', and its bookings go to that Google Calendar. The company must authorize once more with that account: a new link opens to send it.',
      accept_confirm: 'Yes, accept this account', accepted: 'Account {0} accepted for {1}: send it the link to authorize with it.',
      err_accept: 'The account could not be accepted. Try again.',
      disconnect: 'Disconnect', reconnect: 'Reconnect', connect: 'Connect', configure_hours: 'Set hours',
      updated: 'Updated {0}', err_refresh: 'Could not refresh; retrying…',
      label_whatsapp: 'WhatsApp number', whatsapp_hint: 'Optional. With + and the country code, for example +54 9 11 5555-0000; the assistant answers the messages sent to this number.',
      err_whatsapp_invalid: 'Enter the number with + and its country code, for example +54 9 11 5555-0000.',
      search: 'Search', search_placeholder: 'ID, name, email or WhatsApp', status_filter: 'Filter by status', status_all: 'All',
      page_size: 'Per page', previous: 'Previous', next: 'Next', pages: 'Pages', page_of: 'Page {0} of {1}',
      total_one: '1 company', total_many: '{0} companies', showing: 'Showing {0}–{1} of {2}',
      empty_filtered: 'No company matches the search or the filter.', col_contact: 'Email / WhatsApp',
      whatsapp_short: 'WhatsApp {0}', calendar_account: 'Calendar: {0}', edit: 'Edit', mcp_keys: 'MCP keys',
      action_label: '{0}: {1}',
      edit_title: 'Edit', edit_name: 'Name', edit_email: 'Email', edit_whatsapp: 'WhatsApp', edit_whatsapp_hint: 'With + and the country code. Empty = no number.',
      edited: '{0} saved.', edit_unchanged: 'No changes to {0}.', err_edit: 'The changes could not be saved. Try again.',
      link_connected: 'Calendar of {0} connected.',
      keys_title: 'MCP keys of', keys_lead: 'Each key lets one MCP client (for example, the company\'s assistant) use this company\'s calendar only.',
      key_label: 'Label (optional)', key_create: 'Create key', key_creating: 'Creating…',
      key_once: 'Copy this key now: it will not be shown again.', key_new: 'New key', key_copy: 'Copy key',
      key_copied: 'Key copied', key_copy_failed: 'Could not copy automatically: the key is selected, copy it with Ctrl+C.',
      key_col_label: 'Label', key_col_id: 'Key ID', key_col_created: 'Created', key_col_used: 'Last used',
      key_never_used: 'Never', key_no_label: 'No label', key_revoke: 'Revoke', key_revoke_confirm: 'Yes, revoke',
      key_revoke_question: 'Revoke this key? Clients using it lose access.',
      key_revoked_at: 'Revoked on {0}', key_revoked: 'Key {0} revoked.', keys_empty: 'This company has no MCP keys yet.',
      keys_loading: 'Loading keys…', err_keys: 'The keys could not be loaded. Try again.',
      err_key_create: 'The key could not be created. Try again.', err_key_revoke: 'The key could not be revoked. Try again.',
      err_label_long: 'The label can have at most 100 characters.'
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
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (node) { node.placeholder = t(node.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-aria-label]').forEach(function (node) { node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel)); });
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
    // The server answers problems (titles, details, field errors) in the page's language.
    var headers = { 'Accept': 'application/json', 'Accept-Language': lang };
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
    if (values.whatsapp_number && !validPhone(values.whatsapp_number)) errors.whatsapp_number = t('err_whatsapp_invalid');
    return errors;
  }

  function validPhone(text) {
    var digits = text.replace(/^00/, '').replace(/\D/g, '');
    return PHONE_PATTERN.test(text) && digits.length >= 8 && digits.length <= 15;
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
      customer_name: $('customer_name').value.trim(),
      whatsapp_number: $('whatsapp_number').value.trim()
    };
  }

  function toggleForm(open) {
    var wasOpen = !$('add-card').hidden;
    $('add-card').hidden = !open;
    $('add-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) $('customer_id').focus();
    else if (wasOpen && $('add-card').contains(document.activeElement)) $('add-toggle').focus();
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
    if (!values.whatsapp_number) delete values.whatsapp_number; // optional: left out keeps what the company has
    api('/v1/customer-calendars/connect', { method: 'POST', body: values })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            showLink(data, response.headers.get('Shareable-Link-Expires-At'));
            $('connect-form').reset();
            toggleForm(false);
            refresh(true);
          } else if (data && data.errors) {
            // Field errors next to their fields; the problem's detail (e.g. which company holds a WhatsApp number) above.
            showErrors(data.errors, data.errors.body ? [].concat(data.errors.body).join(' ') : (response.status === 409 ? data.detail : null));
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

  // opener: the control focus returns to when the panel closes (Agregar Cliente, or the row's Conectar button).
  function showLink(data, expiresAt, opener) {
    current = data;
    current.expiresAt = expiresAt;
    current.opener = opener || null;
    current.connected = !!data.calendar_connected;
    $('link-customer').textContent = data.customer_name + ' (' + data.customer_id + ')';
    $('share-link').value = data.shareable_link;
    showExpiry();
    setCopyStatus('', '');
    setPopupStatus('');
    $('link-panel').hidden = false;
    $('link-panel').scrollIntoView({ block: 'nearest' });
    $('open-now').focus();
  }

  function closeLink() {
    if ($('link-panel').hidden) return;
    var opener = current && current.opener;
    $('link-panel').hidden = true;
    var back = opener && opener.customerId ? rowButton(opener.customerId, opener.action) : $('add-toggle');
    (back || $('add-toggle')).focus();
  }

  function setPopupStatus(text) {
    var status = $('popup-status');
    status.textContent = text;
    status.className = 'copy-status' + (text ? ' copy-ok' : '');
  }

  // While the panel is open, watch its company: when the popup (or whoever got the link) finishes the consent,
  // the panel says so, without a reload, wherever the company is in the list.
  function watchLinkedCompany() {
    if (!current || current.connected || $('link-panel').hidden) return Promise.resolve();
    var watched = current;
    return api('/v1/customer-calendars/' + encodeURIComponent(watched.customer_id))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (item) {
        if (item && item.calendar_connected && current === watched) {
          watched.connected = true;
          setPopupStatus(t('link_connected', watched.customer_name));
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  // Reconectar (or Conectar after a disconnection): the connect flow again for a company already in the list.
  // connect saves the email and name it is sent (an upsert), and the list may be seconds old: the company is read
  // fresh right before, so a change saved meanwhile (another tab's Editar, a script's PATCH) is not undone.
  function reconnect(item, button) {
    button.disabled = true;
    function failure(data) {
      var error = new Error((data && (data.detail || data.title)) || t('err_link'));
      error.fromServer = true;
      return error;
    }
    api('/v1/customer-calendars/' + encodeURIComponent(item.customer_id))
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (fresh) {
          if (!response.ok || !fresh || fresh.customer_id !== item.customer_id) throw failure(fresh);
          return api('/v1/customer-calendars/connect', { method: 'POST', body: { customer_id: fresh.customer_id, customer_email: fresh.customer_email, customer_name: fresh.customer_name } });
        });
      })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw failure(data);
          showLink(data, response.headers.get('Shareable-Link-Expires-At'), { customerId: item.customer_id, action: 'connect' });
          refresh(true);
        });
      })
      .catch(function (error) { $('refresh-status').textContent = error && error.fromServer ? error.message : t('err_network'); })
      .finally(function () { button.disabled = false; });
  }

  // ---- Disconnect (in-page confirmation) --------------------------------------------------------

  var pendingDisconnect = null;

  function askDisconnect(item) {
    pendingDisconnect = item;
    returnFocusTo($('disconnect-dialog'), item.customer_id, 'disconnect');
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
            var said = t(data && data.grant_may_still_be_active ? 'disconnected_grant_active' : 'disconnected', item.customer_name);
            $('refresh-status').textContent = said;
            // After the list is redrawn, which writes its own "Actualizado" there.
            refresh(true).then(function () { $('refresh-status').textContent = said; });
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

  // ---- Accept another Google account (in-page confirmation) -------------------------------------

  var pendingAccept = null;

  function askAccept(item) {
    pendingAccept = { item: item, account: item.account_attempt.account_email };
    returnFocusTo($('accept-dialog'), item.customer_id, 'accept-account');
    $('accept-customer').textContent = item.customer_name + ' (' + item.customer_id + ')';
    $('accept-account').textContent = pendingAccept.account;
    $('accept-error').hidden = true;
    $('accept-confirm').disabled = false;
    $('accept-dialog').showModal();
    $('accept-cancel').focus();
  }

  // The account shown in the dialog is the one sent: a newer attempt with yet another account is refused (409), not accepted.
  function confirmAccept() {
    if (!pendingAccept) return;
    var item = pendingAccept.item, account = pendingAccept.account;
    var button = $('accept-confirm');
    button.disabled = true;
    api('/v1/customer-calendars/' + encodeURIComponent(item.customer_id) + '/account-attempt/accept', { method: 'POST', body: { account_email: account } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            pendingAccept = null;
            $('accept-dialog').close();
            showLink(data, response.headers.get('Shareable-Link-Expires-At'), { customerId: item.customer_id, action: 'settings' });
            // After the list is redrawn, which writes its own "Actualizado" there.
            refresh(true).then(function () { $('refresh-status').textContent = t('accepted', account, item.customer_name); });
          } else {
            $('accept-error').textContent = (data && (data.detail || data.title)) || t('err_accept');
            $('accept-error').hidden = false;
            button.disabled = false;
          }
        });
      })
      .catch(function () {
        $('accept-error').textContent = t('err_network');
        $('accept-error').hidden = false;
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
  var SETTINGS_FIELDS = ['time_zone', 'calendar_ids', 'allow_off_grid_starts'].concat(NUMBER_FIELDS);
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
    $('bs-allow_off_grid_starts').checked = settings.allow_off_grid_starts === true;
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
    body.allow_off_grid_starts = $('bs-allow_off_grid_starts').checked;
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

  // ---- Dialogs: focus goes in on open and back to the row's button on close ---------------------

  // The table is redrawn every few seconds, so the opener is found again by company and action when the dialog closes.
  var focusReturns = new Map();

  function returnFocusTo(dialog, customerId, action) {
    focusReturns.set(dialog, { customerId: customerId, action: action });
  }

  function restoreFocus(dialog) {
    var target = focusReturns.get(dialog);
    focusReturns.delete(dialog);
    if (!target) return;
    var back = rowButton(target.customerId, target.action) || rowButton(target.customerId, null) || $('add-toggle');
    back.focus();
  }

  ['disconnect-dialog', 'accept-dialog', 'edit-dialog', 'keys-dialog'].forEach(function (id) {
    $(id).addEventListener('close', function () { restoreFocus($(id)); });
  });

  // ---- Edit name, email and WhatsApp number (PATCH, merge patch) ---------------------------------

  var editing = null;

  function openEdit(item) {
    editing = item;
    returnFocusTo($('edit-dialog'), item.customer_id, 'edit');
    $('edit-customer').textContent = item.customer_name + ' (' + item.customer_id + ')';
    $('edit-customer_name').value = item.customer_name;
    $('edit-customer_email').value = item.customer_email;
    $('edit-whatsapp_number').value = item.whatsapp_number || '';
    showEditErrors({}, '');
    $('edit-save').disabled = false;
    $('edit-dialog').showModal();
    $('edit-customer_name').focus();
  }

  function showEditErrors(errors, general) {
    var first = null;
    EDIT_FIELDS.forEach(function (field) {
      var message = errors[field] ? [].concat(errors[field]).join(' ') : '';
      $('edit-' + field + '-error').textContent = message;
      $('edit-' + field).setAttribute('aria-invalid', message ? 'true' : 'false');
      if (message && !first) first = $('edit-' + field);
    });
    $('edit-error').textContent = general || '';
    $('edit-error').hidden = !general;
    if (first) first.focus();
  }

  function saveEdit(event) {
    event.preventDefault();
    if (!editing) return;
    var item = editing;
    var values = {
      customer_name: $('edit-customer_name').value.trim(),
      customer_email: $('edit-customer_email').value.trim(),
      whatsapp_number: $('edit-whatsapp_number').value.trim()
    };
    var errors = {};
    if (!values.customer_name) errors.customer_name = t('err_name_missing');
    else if (values.customer_name.length > 200) errors.customer_name = t('err_name_long');
    if (!values.customer_email) errors.customer_email = t('err_email_missing');
    else if (values.customer_email.length > 254 || !EMAIL_PATTERN.test(values.customer_email)) errors.customer_email = t('err_email_invalid');
    if (values.whatsapp_number && !validPhone(values.whatsapp_number)) errors.whatsapp_number = t('err_whatsapp_invalid');
    if (Object.keys(errors).length) { showEditErrors(errors, ''); return; }
    // Merge patch: only what changed; an emptied WhatsApp field clears the number.
    var patch = {};
    if (values.customer_name !== item.customer_name) patch.customer_name = values.customer_name;
    if (values.customer_email !== item.customer_email) patch.customer_email = values.customer_email;
    if (values.whatsapp_number !== (item.whatsapp_number || '')) patch.whatsapp_number = values.whatsapp_number || null;
    if (!Object.keys(patch).length) {
      // Nothing changed: no request; the dialog closes and says so.
      editing = null;
      $('edit-dialog').close();
      $('refresh-status').textContent = t('edit_unchanged', item.customer_name);
      return;
    }
    var button = $('edit-save');
    button.disabled = true;
    api('/v1/customer-calendars/' + encodeURIComponent(item.customer_id), { method: 'PATCH', body: patch })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (editing !== item) return;
          if (response.ok) {
            editing = null;
            $('edit-dialog').close();
            $('refresh-status').textContent = t('edited', data.customer_name);
            refresh(true);
          } else if (data && data.errors) {
            showEditErrors(data.errors, response.status === 409 ? data.detail : (data.errors.body ? [].concat(data.errors.body).join(' ') : ''));
          } else {
            showEditErrors({}, (data && (data.detail || data.title)) || t('err_edit'));
          }
        });
      })
      .catch(function () { showEditErrors({}, t('err_network_check')); })
      .finally(function () { button.disabled = false; });
  }

  // ---- MCP keys of a company: create (shown once), list, revoke -----------------------------------

  var keysFor = null;
  var keysRequest = 0;

  function keysPath(id) { return '/v1/customer-calendars/' + encodeURIComponent(id) + '/mcp-keys'; }

  function formatDate(iso) {
    var date = iso ? new Date(iso) : null;
    if (!date || isNaN(date.getTime())) return '';
    return date.toLocaleString(lang, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function setKeysMessage(id, text) {
    $(id).textContent = text || '';
    if (id === 'keys-error') $(id).hidden = !text;
  }

  function openKeys(item) {
    keysFor = item;
    returnFocusTo($('keys-dialog'), item.customer_id, 'keys');
    $('keys-customer').textContent = item.customer_name + ' (' + item.customer_id + ')';
    $('key-form').reset();
    $('key-label-error').textContent = '';
    $('key-label').setAttribute('aria-invalid', 'false');
    hideNewKey();
    setKeysMessage('keys-error', '');
    setKeysMessage('keys-status', '');
    $('keys-body').replaceChildren();
    $('keys-table').hidden = true;
    $('keys-dialog').showModal();
    $('key-label').focus();
    loadKeys();
  }

  function hideNewKey() {
    $('new-key-value').value = '';
    $('key-copy-status').textContent = '';
    $('new-key').hidden = true;
  }

  // focusAfter: the id of the control to focus once the list is drawn; status: what to say then (e.g. "revoked").
  function loadKeys(focusAfter, status) {
    var item = keysFor;
    var request = ++keysRequest;
    if (!item) return;
    if (!$('keys-body').children.length) setKeysMessage('keys-status', t('keys_loading'));
    api(keysPath(item.customer_id))
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (request !== keysRequest || keysFor !== item) return;
          if (!response.ok || !Array.isArray(data)) {
            setKeysMessage('keys-status', '');
            setKeysMessage('keys-error', (data && (data.detail || data.title)) || t('err_keys'));
            return;
          }
          renderKeys(data);
          if (status) setKeysMessage('keys-status', status);
          if (focusAfter && $(focusAfter)) $(focusAfter).focus();
        });
      })
      .catch(function () { if (request === keysRequest) setKeysMessage('keys-error', t('err_network')); });
  }

  function renderKeys(keys) {
    var rows = keys.map(function (key) {
      var tr = document.createElement('tr');
      tr.dataset.keyId = key.key_id;
      var label = cell(key.label || t('key_no_label'), key.label ? '' : 'muted');
      tr.appendChild(label);
      tr.appendChild(cell(key.key_id, 'mono'));
      tr.appendChild(cell(formatDate(key.created_at)));
      tr.appendChild(cell(key.last_used_at ? formatDate(key.last_used_at) : t('key_never_used'), key.last_used_at ? '' : 'muted'));
      var actions = document.createElement('td');
      actions.className = 'actions';
      if (key.revoked_at) {
        var revoked = document.createElement('span');
        revoked.className = 'badge badge-off';
        revoked.textContent = t('key_revoked_at', formatDate(key.revoked_at));
        actions.appendChild(revoked);
      } else {
        var revoke = document.createElement('button');
        revoke.type = 'button';
        revoke.id = 'revoke-' + key.key_id;
        revoke.className = 'btn btn-ghost btn-small';
        revoke.textContent = t('key_revoke');
        revoke.setAttribute('aria-label', t('action_label', t('key_revoke'), key.label ? key.label + ' (' + key.key_id + ')' : key.key_id));
        revoke.addEventListener('click', function () { askRevoke(tr, key); });
        actions.appendChild(revoke);
      }
      tr.appendChild(actions);
      return tr;
    });
    $('keys-body').replaceChildren.apply($('keys-body'), rows);
    $('keys-table').hidden = rows.length === 0;
    setKeysMessage('keys-status', rows.length ? '' : t('keys_empty'));
  }

  // Revoking asks first, in the row itself (a dialog inside the dialog would be harder to use by keyboard).
  function askRevoke(tr, key) {
    var actions = tr.querySelector('td.actions');
    var question = document.createElement('span');
    question.className = 'small confirm-question';
    question.id = 'revoke-question-' + key.key_id;
    question.textContent = t('key_revoke_question');
    var yes = document.createElement('button');
    yes.type = 'button';
    yes.className = 'btn btn-danger btn-small';
    yes.textContent = t('key_revoke_confirm');
    yes.setAttribute('aria-describedby', question.id);
    var no = document.createElement('button');
    no.type = 'button';
    no.className = 'btn btn-ghost btn-small';
    no.textContent = t('cancel');
    no.addEventListener('click', function () { loadKeys('revoke-' + key.key_id); });
    yes.addEventListener('click', function () { revokeKey(key, yes); });
    actions.replaceChildren(question, yes, no);
    no.focus();
  }

  function revokeKey(key, button) {
    var item = keysFor;
    if (!item) return;
    button.disabled = true;
    api(keysPath(item.customer_id) + '/' + encodeURIComponent(key.key_id), { method: 'DELETE' })
      .then(function (response) {
        if (response.ok) {
          setKeysMessage('keys-error', '');
          hideNewKey();
          loadKeys('key-label', t('key_revoked', key.label || key.key_id));
          return;
        }
        return response.json().catch(function () { return {}; }).then(function (data) {
          setKeysMessage('keys-error', (data && (data.detail || data.title)) || t('err_key_revoke'));
          button.disabled = false;
        });
      })
      .catch(function () { setKeysMessage('keys-error', t('err_network')); button.disabled = false; });
  }

  function createKey(event) {
    event.preventDefault();
    var item = keysFor;
    if (!item) return;
    var label = $('key-label').value.trim();
    if (label.length > 100) {
      $('key-label-error').textContent = t('err_label_long');
      $('key-label').setAttribute('aria-invalid', 'true');
      $('key-label').focus();
      return;
    }
    $('key-label-error').textContent = '';
    $('key-label').setAttribute('aria-invalid', 'false');
    var button = $('key-create');
    button.disabled = true;
    button.textContent = t('key_creating');
    setKeysMessage('keys-error', '');
    api(keysPath(item.customer_id), { method: 'POST', body: label ? { label: label } : {} })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (keysFor !== item) return;
          if (response.status === 201 && data.api_key) {
            $('key-form').reset();
            $('new-key-value').value = data.api_key;
            $('key-copy-status').textContent = '';
            $('new-key').hidden = false;
            $('key-copy').focus();
            loadKeys();
          } else if (data && data.errors && data.errors.label) {
            $('key-label-error').textContent = [].concat(data.errors.label).join(' ');
            $('key-label').setAttribute('aria-invalid', 'true');
            $('key-label').focus();
          } else {
            setKeysMessage('keys-error', (data && (data.detail || data.title)) || t('err_key_create'));
          }
        });
      })
      .catch(function () { setKeysMessage('keys-error', t('err_network_check')); })
      .finally(function () { button.disabled = false; button.textContent = t('key_create'); });
  }

  function copyKey() {
    var value = $('new-key-value').value;
    if (!value) return;
    var fallback = function () {
      $('new-key-value').focus();
      $('new-key-value').select();
      $('key-copy-status').textContent = t('key_copy_failed');
      $('key-copy-status').className = 'copy-status copy-warn';
    };
    try {
      navigator.clipboard.writeText(value).then(function () {
        $('key-copy-status').textContent = t('key_copied');
        $('key-copy-status').className = 'copy-status copy-ok';
      }, fallback);
    } catch (e) { fallback(); }
  }

  function closeKeys() {
    keysFor = null;
    keysRequest++;
    hideNewKey(); // the key leaves the page with the dialog
    if ($('keys-dialog').open) $('keys-dialog').close();
  }

  // ---- The list: search, status filter and pages, kept in the address (reload and back work) -------

  var PAGE_SIZES = [25, 50, 100, 200];
  var STATUSES = ['connected', 'not_connected', 'needs_reauthorization', 'unknown'];
  var listState = readListState();
  var listTotal = 0;
  var searchTimer = null;
  var listRequest = 0;

  function readListState() {
    var params = new URLSearchParams(window.location.search);
    var page = parseInt(params.get('page') || '1', 10);
    var size = parseInt(params.get('page_size') || '50', 10);
    var status = params.get('status') || '';
    return {
      q: (params.get('q') || '').slice(0, 200),
      status: STATUSES.indexOf(status) >= 0 ? status : '',
      page: page >= 1 && page <= 1000000 ? page : 1,
      pageSize: PAGE_SIZES.indexOf(size) >= 0 ? size : 50
    };
  }

  function listQuery(state) {
    var params = new URLSearchParams();
    if (state.q) params.set('q', state.q);
    if (state.status) params.set('status', state.status);
    if (state.page > 1) params.set('page', String(state.page));
    if (state.pageSize !== 50) params.set('page_size', String(state.pageSize));
    return params.toString();
  }

  function syncControls() {
    if ($('search').value.trim() !== listState.q) $('search').value = listState.q;
    $('status-filter').value = listState.status;
    $('page-size').value = String(listState.pageSize);
  }

  // A new search or filter goes into the browser history, so Back returns to the previous one.
  function commitListState(changes, replace) {
    Object.keys(changes).forEach(function (key) { listState[key] = changes[key]; });
    var query = listQuery(listState);
    var url = window.location.pathname + (query ? '?' + query : '');
    if (url !== window.location.pathname + window.location.search) {
      if (replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    }
    return refresh(true);
  }

  function renderPager(count) {
    var last = Math.max(1, Math.ceil(listTotal / listState.pageSize));
    var from = count ? (listState.page - 1) * listState.pageSize + 1 : 0;
    $('total-count').textContent = listTotal === 0 ? '' : (last > 1
      ? t('showing', from, from + count - 1, listTotal)
      : (listTotal === 1 ? t('total_one') : t('total_many', listTotal)));
    $('page-info').textContent = t('page_of', listState.page, last);
    $('page-prev').disabled = listState.page <= 1;
    $('page-next').disabled = listState.page >= last;
    $('pager').hidden = listTotal === 0;
  }

  // ---- Table ------------------------------------------------------------------------------------

  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function rowAction(item, action, text, className, onClick) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-small ' + className;
    button.textContent = text;
    button.dataset.action = action;
    // Every row has the same buttons: the accessible name says which company each acts on.
    button.setAttribute('aria-label', t('action_label', text, item.customer_name));
    button.addEventListener('click', function () { onClick(button); });
    return button;
  }

  function render(items) {
    lastItems = items;
    var rows = items.map(function (item) {
      var tr = document.createElement('tr');
      tr.dataset.customerId = item.customer_id;
      tr.appendChild(cell(item.customer_id, 'mono'));
      tr.appendChild(cell(item.customer_name));
      var contact = cell(item.customer_email);
      if (item.whatsapp_number) {
        var phone = document.createElement('div');
        phone.className = 'small muted whatsapp';
        phone.textContent = t('whatsapp_short', item.whatsapp_number);
        contact.appendChild(phone);
      }
      tr.appendChild(contact);
      var known = STATUS_BADGES[item.status] ? item.status : 'unknown';
      var badge = document.createElement('span');
      badge.className = 'badge ' + STATUS_BADGES[known];
      badge.textContent = t('status_' + known);
      // The status and, under it, the Google account that consented (one column: the table fits 1280 px).
      var statusCell = document.createElement('td');
      statusCell.className = 'status-cell';
      statusCell.appendChild(badge);
      if (item.calendar_email) {
        var calendar = document.createElement('div');
        calendar.className = 'small muted calendar-email';
        calendar.textContent = t('calendar_account', item.calendar_email);
        statusCell.appendChild(calendar);
      }
      if (item.account_mismatch) {
        // The Google account that consented is not the company's email: say so next to it.
        var warn = document.createElement('span');
        warn.className = 'warn-tag mismatch';
        warn.textContent = t('other_account');
        warn.title = t('other_account_title', item.customer_email);
        statusCell.appendChild(document.createTextNode(' '));
        statusCell.appendChild(warn);
        var note = document.createElement('div');
        note.className = 'small mismatch-note';
        note.textContent = t('other_account_note', item.customer_email);
        statusCell.appendChild(note);
      }
      if (item.account_attempt) {
        // Someone consented with another Google account: nothing was connected; the admin may accept that account.
        var attempt = document.createElement('div');
        attempt.className = 'small mismatch-note account-attempt';
        attempt.textContent = t('attempt_note', item.account_attempt.account_email, formatExpiry(item.account_attempt.attempted_at));
        statusCell.appendChild(attempt);
      }
      tr.appendChild(statusCell);
      var actions = document.createElement('td');
      actions.className = 'actions';
      var group = document.createElement('div');
      group.className = 'action-group';
      // What the company most likely needs comes first: (re)connecting, then disconnecting.
      if (item.status === 'needs_reauthorization' || item.status === 'not_connected') {
        group.appendChild(rowAction(item, 'connect', item.status === 'needs_reauthorization' ? t('reconnect') : t('connect'), 'btn-secondary',
          function (button) { reconnect(item, button); }));
      }
      if (item.account_attempt) {
        group.appendChild(rowAction(item, 'accept-account', t('accept_account'), 'btn-secondary', function () { askAccept(item); }));
      }
      if (item.status === 'connected' || item.status === 'needs_reauthorization') {
        group.appendChild(rowAction(item, 'disconnect', t('disconnect'), 'btn-ghost', function () { askDisconnect(item); }));
      }
      group.appendChild(rowAction(item, 'settings', t('configure_hours'), 'btn-secondary', function () { openSettings(item); }));
      group.appendChild(rowAction(item, 'edit', t('edit'), 'btn-ghost', function () { openEdit(item); }));
      group.appendChild(rowAction(item, 'keys', t('mcp_keys'), 'btn-ghost', function () { openKeys(item); }));
      actions.appendChild(group);
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
    var filtered = !!(listState.q || listState.status);
    $('empty-state').textContent = filtered ? t('empty_filtered') : t('empty');
    $('empty-state').hidden = items.length > 0;
    $('customers-table').hidden = items.length === 0;
  }

  // The button for this action in the company's row (any button of the row when action is null).
  function rowButton(customerId, action) {
    var rows = document.querySelectorAll('#customers-body tr');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].dataset.customerId === customerId) {
        return rows[i].querySelector(action ? 'button[data-action="' + action + '"]' : 'button[data-action]');
      }
    }
    return null;
  }

  // force: a new search or page (an answer to an older request is dropped); otherwise a poll, skipped while one runs.
  function refresh(force) {
    if (refreshing && !force) return Promise.resolve();
    refreshing = true;
    var request = ++listRequest;
    var state = { q: listState.q, status: listState.status, page: listState.page, pageSize: listState.pageSize };
    var query = new URLSearchParams({ page: String(state.page), page_size: String(state.pageSize) });
    if (state.q) query.set('q', state.q);
    if (state.status) query.set('status', state.status);
    return api('/v1/customer-calendars?' + query.toString())
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (request !== listRequest) return;
          if (!response.ok || !Array.isArray(data)) {
            $('list-error').textContent = (data && (data.detail || data.title)) || t('err_refresh');
            $('list-error').hidden = false;
            return;
          }
          $('list-error').hidden = true;
          listTotal = parseInt(response.headers.get('X-Total-Count') || String(data.length), 10) || 0;
          var last = Math.max(1, Math.ceil(listTotal / state.pageSize));
          if (!data.length && state.page > last) {
            // Past the last page (companies went away, or a stale link): show the last one instead.
            return commitListState({ page: last }, true);
          }
          render(data);
          renderPager(data.length);
          $('refresh-status').textContent = t('updated', new Date().toLocaleTimeString(lang));
        });
      })
      .catch(function () { if (request === listRequest) $('refresh-status').textContent = t('err_refresh'); })
      .finally(function () { if (request === listRequest) refreshing = false; });
  }

  function poll() {
    window.setTimeout(function () {
      (document.hidden ? Promise.resolve() : Promise.all([refresh(), watchLinkedCompany()])).finally(poll);
    }, POLL_MS);
  }

  $('add-toggle').addEventListener('click', function () { toggleForm($('add-card').hidden); });
  $('add-cancel').addEventListener('click', function () { showErrors({}); toggleForm(false); });
  $('add-card').addEventListener('keydown', function (event) { if (event.key === 'Escape') { showErrors({}); toggleForm(false); } });
  $('connect-form').addEventListener('submit', connect);
  $('open-now').addEventListener('click', openNow);
  $('copy-link').addEventListener('click', copyLink);
  $('link-close').addEventListener('click', closeLink);
  $('link-panel').addEventListener('keydown', function (event) { if (event.key === 'Escape') closeLink(); });
  $('share-link').addEventListener('focus', function () { this.select(); });
  $('disconnect-confirm').addEventListener('click', confirmDisconnect);
  $('disconnect-cancel').addEventListener('click', function () { pendingDisconnect = null; $('disconnect-dialog').close(); });
  $('disconnect-dialog').addEventListener('close', function () { pendingDisconnect = null; });
  $('accept-confirm').addEventListener('click', confirmAccept);
  $('accept-cancel').addEventListener('click', function () { pendingAccept = null; $('accept-dialog').close(); });
  $('accept-dialog').addEventListener('close', function () { pendingAccept = null; });
  $('settings-form').addEventListener('submit', saveSettings);
  $('settings-close').addEventListener('click', closeSettings);
  $('settings-panel').addEventListener('keydown', function (event) { if (event.key === 'Escape') closeSettings(); });
  $('edit-form').addEventListener('submit', saveEdit);
  $('edit-cancel').addEventListener('click', function () { editing = null; $('edit-dialog').close(); });
  $('edit-dialog').addEventListener('close', function () { editing = null; });
  $('key-form').addEventListener('submit', createKey);
  $('key-copy').addEventListener('click', copyKey);
  $('new-key-value').addEventListener('focus', function () { this.select(); });
  $('keys-close').addEventListener('click', closeKeys);
  $('keys-dialog').addEventListener('close', function () { keysFor = null; keysRequest++; hideNewKey(); });

  $('list-filters').addEventListener('submit', function (event) {
    event.preventDefault();
    window.clearTimeout(searchTimer);
    commitListState({ q: $('search').value.trim(), page: 1 });
  });
  $('search').addEventListener('input', function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(function () {
      var q = $('search').value.trim();
      if (q !== listState.q) commitListState({ q: q, page: 1 });
    }, SEARCH_DELAY_MS);
  });
  $('status-filter').addEventListener('change', function () { commitListState({ status: this.value, page: 1 }); });
  $('page-size').addEventListener('change', function () { commitListState({ pageSize: parseInt(this.value, 10), page: 1 }); });
  $('page-prev').addEventListener('click', function () { if (listState.page > 1) commitListState({ page: listState.page - 1 }); });
  $('page-next').addEventListener('click', function () { commitListState({ page: listState.page + 1 }); });
  window.addEventListener('popstate', function () {
    listState = readListState();
    syncControls();
    refresh(true);
  });

  // The language switch: every static text, the table, the open panels and the week editor (keeping what is typed).
  function setLanguage(next) {
    lang = next;
    try { window.localStorage.setItem(LANG_KEY, lang); } catch (e) { /* private mode: this page only */ }
    applyStaticTexts();
    DAYS.forEach(function (d) { if (week[d[0]]) syncDay(d[0]); });
    buildWeek();
    DAYS.forEach(function (d) { if (week[d[0]]) renderDay(d[0]); });
    if (lastItems) { render(lastItems); renderPager(lastItems.length); }
    if (current) showExpiry();
    setCopyStatus('', '');
    $('refresh-status').textContent = '';
    FIELDS.forEach(function (field) { $(field + '-error').textContent = ''; });
  }

  $('lang-toggle').addEventListener('click', function () { setLanguage(lang === 'es' ? 'en' : 'es'); });
  applyStaticTexts();
  buildWeek();
  syncControls();
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh(); });
  refresh();
  poll();
})();
