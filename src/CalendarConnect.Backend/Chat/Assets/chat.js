// /chat: try the booking assistant as a customer of a chosen company.
// Messages (the person's and the assistant's) are rendered with textContent, never parsed as HTML.
(function () {
  'use strict';

  var LANG_KEY = 'calendarconnect.lang';        // shared with /clientes
  var CONVERSATION_KEY = 'calendarconnect.chat.'; // + customer_id: this tab's conversation with that company
  var TEXT = {
    es: {
      page_title: 'Chat de prueba · CalendarConnect', lang_toggle: 'English', signout: 'Salir', customers: 'Clientes',
      heading: 'Chat de prueba',
      lead: 'Escriba como lo haría un cliente de la empresa elegida: el asistente responde con su calendario real.',
      company: 'Empresa', new_conversation: 'Nueva conversación', message: 'Mensaje', placeholder: 'Escriba un mensaje…',
      send: 'Enviar', empty_hint: 'Pruebe: “Quiero reservar para mañana a las 3 PM”.', conversation: 'Conversación',
      no_companies: 'Aún no hay empresas: agréguelas en Clientes.', writing: 'Escribiendo…',
      load_failed: 'No se pudo cargar la lista de empresas.', send_failed: 'No se pudo enviar el mensaje. Intente de nuevo.',
      signed_out: 'La sesión terminó: vuelva a ingresar.', not_connected: ' (sin calendario)'
    },
    en: {
      page_title: 'Test chat · CalendarConnect', lang_toggle: 'Español', signout: 'Sign out', customers: 'Customers',
      heading: 'Test chat',
      lead: 'Write as a customer of the chosen company would: the assistant answers with its real calendar.',
      company: 'Company', new_conversation: 'New conversation', message: 'Message', placeholder: 'Type a message…',
      send: 'Send', empty_hint: 'Try: “I\u2019d like to book tomorrow at 3 PM”.', conversation: 'Conversation',
      no_companies: 'No companies yet: add them in Customers.', writing: 'Typing…',
      load_failed: 'The list of companies could not be loaded.', send_failed: 'The message could not be sent. Please try again.',
      signed_out: 'Your session ended: please sign in again.', not_connected: ' (no calendar)'
    }
  };

  function $(id) { return document.getElementById(id); }

  var lang = (function () {
    try { return window.localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'es'; } catch (e) { return 'es'; }
  })();
  function t(key) { return TEXT[lang][key]; }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t('page_title');
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-placeholder]'), function (el) { el.setAttribute('placeholder', t(el.getAttribute('data-i18n-placeholder'))); });
    $('lang-toggle').setAttribute('lang', lang === 'es' ? 'en' : 'es');
    $('messages').setAttribute('aria-label', t('conversation'));
    drawCompanies();
  }

  function showError(text) {
    var box = $('chat-error');
    box.textContent = text || '';
    box.hidden = !text;
  }

  // ---- Companies --------------------------------------------------------------------------------
  var companies = [];

  function drawCompanies() {
    var select = $('company');
    var chosen = select.value;
    while (select.firstChild) select.removeChild(select.firstChild);
    companies.forEach(function (c) {
      var option = document.createElement('option');
      option.value = c.customer_id;
      option.textContent = (c.customer_name || c.customer_id) + ' · ' + c.customer_id + (c.calendar_connected === false ? t('not_connected') : '');
      select.appendChild(option);
    });
    if (chosen) select.value = chosen;
    select.disabled = companies.length === 0;
    $('send').disabled = companies.length === 0;
  }

  // Every company, page by page: the list API pages its answer (page_size, Link: <…>; rel="next").
  var MAX_PAGES = 20;

  function nextPage(response) {
    var link = response.headers.get('Link') || '';
    var match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
    if (!match) return null;
    var url = new URL(match[1], window.location.href);
    return url.origin === window.location.origin ? url.pathname + url.search : null;
  }

  function loadPage(path, collected, pages) {
    return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (response.status === 401) throw new Error(t('signed_out'));
        if (!response.ok) throw new Error(t('load_failed'));
        return response.json().then(function (body) {
          // A plain array, or a page of results ({"items": [...]}).
          var items = Array.isArray(body) ? body : (body && Array.isArray(body.items) ? body.items : []);
          collected = collected.concat(items);
          var next = nextPage(response);
          return next && pages < MAX_PAGES ? loadPage(next, collected, pages + 1) : collected;
        });
      });
  }

  function loadCompanies() {
    loadPage('/v1/customer-calendars?page_size=200', [], 1)
      .then(function (all) {
        companies = all;
        drawCompanies();
        if (companies.length === 0) showError(t('no_companies'));
        restoreConversation();
      })
      .catch(function (error) { showError(error.message || t('load_failed')); });
  }

  // ---- Conversation -----------------------------------------------------------------------------
  // One conversation per company and browser tab (sessionStorage); "Nueva conversación" starts another.
  function newConversationId() {
    if (window.crypto && window.crypto.randomUUID) return 'chat-' + window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return 'chat-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function storageKey() { return CONVERSATION_KEY + $('company').value; }

  function readConversation() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey()) || 'null');
      if (saved && typeof saved.id === 'string' && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* unreadable: start afresh */ }
    return { id: newConversationId(), messages: [] };
  }

  var conversation = null;

  function saveConversation() {
    try { window.sessionStorage.setItem(storageKey(), JSON.stringify(conversation)); } catch (e) { /* private mode */ }
  }

  function restoreConversation() {
    if (!$('company').value) return;
    conversation = readConversation();
    var list = $('messages');
    while (list.firstChild) list.removeChild(list.firstChild);
    conversation.messages.forEach(function (m) { appendMessage(m.from, m.text); });
    $('empty-hint').hidden = conversation.messages.length > 0;
  }

  function startNewConversation() {
    conversation = { id: newConversationId(), messages: [] };
    saveConversation();
    restoreConversation();
    showError('');
    $('message').focus();
  }

  function appendMessage(from, text, pending) {
    var item = document.createElement('li');
    item.className = 'msg ' + (from === 'customer' ? 'msg-customer' : 'msg-assistant') + (pending ? ' msg-pending' : '');
    item.setAttribute('data-from', from);
    item.textContent = text;
    $('messages').appendChild(item);
    $('messages').scrollTop = $('messages').scrollHeight;
    return item;
  }

  function send(event) {
    event.preventDefault();
    var input = $('message');
    var text = input.value.trim();
    if (!text || !conversation) return;
    showError('');
    input.value = '';
    $('empty-hint').hidden = true;
    appendMessage('customer', text);
    conversation.messages.push({ from: 'customer', text: text });
    saveConversation();
    var pending = appendMessage('assistant', t('writing'), true);
    $('send').disabled = true;
    // The answer belongs to this conversation: if the admin starts another (or picks another company) before it
    // arrives, it must not appear in the new one.
    var sentIn = conversation;

    fetch('/v1/assistant/messages', {
      method: 'POST',
      credentials: 'same-origin',
      // The server's problem details (shown on failure) in the page's language; the reply follows the message's.
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': lang },
      body: JSON.stringify({ customer_id: $('company').value, conversation_id: conversation.id, text: text })
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (!response.ok) throw new Error(body && body.detail ? body.detail : t('send_failed'));
          return body;
        });
      })
      .then(function (body) {
        pending.remove();
        if (conversation !== sentIn) return;
        appendMessage('assistant', body.reply);
        conversation.messages.push({ from: 'assistant', text: body.reply });
        saveConversation();
      })
      .catch(function (error) {
        pending.remove();
        if (conversation === sentIn) showError(error.message || t('send_failed'));
      })
      .then(function () {
        $('send').disabled = false;
        input.focus();
      });
  }

  $('company').addEventListener('change', restoreConversation);
  $('new-conversation').addEventListener('click', startNewConversation);
  $('chat-form').addEventListener('submit', send);
  $('lang-toggle').addEventListener('click', function () {
    lang = lang === 'es' ? 'en' : 'es';
    try { window.localStorage.setItem(LANG_KEY, lang); } catch (e) { /* private mode: this page only */ }
    applyLanguage();
  });

  applyLanguage();
  loadCompanies();
})();
