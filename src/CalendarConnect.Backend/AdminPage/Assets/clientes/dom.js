// DOM helpers. Everything typed by a person is rendered with textContent, never parsed as HTML.

export function $(id) { return document.getElementById(id); }

export function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

// A field's messages as the server sends them (one text or a list) as one line; '' when there are none.
export function messageText(messages) {
  return messages ? [].concat(messages).join(' ') : '';
}

// An alert line (role="alert" or "status") that is hidden while it has nothing to say.
export function showMessage(id, text) {
  $(id).textContent = text || '';
  $(id).hidden = !text;
}
