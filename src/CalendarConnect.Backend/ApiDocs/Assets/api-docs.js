// API reference /docs/api: renders /openapi/v1.json (same origin) with textContent only; no other requests.
(function () {
  'use strict';

  var METHODS = ['get', 'post', 'put', 'patch', 'delete'];

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function resolve(doc, schema) {
    var seen = 0;
    while (schema && schema.$ref && seen++ < 20) {
      var name = schema.$ref.replace('#/components/schemas/', '');
      schema = ((doc.components || {}).schemas || {})[name];
    }
    return schema || {};
  }

  function refName(schema) { return schema && schema.$ref ? schema.$ref.replace('#/components/schemas/', '') : null; }

  function typeOf(doc, schema) {
    if (!schema) return 'any';
    var name = refName(schema);
    if (name) return name;
    var type = [].concat(schema.type || []).join(' | ') || (schema.oneOf || schema.anyOf ? 'one of' : 'object');
    if (type.indexOf('array') >= 0 && schema.items) return 'array of ' + typeOf(doc, schema.items);
    if (schema.format) type += ' (' + schema.format + ')';
    return type;
  }

  // A schema as a nested list of "name: type"; depth-limited so recursive schemas end.
  function schemaView(doc, schema, depth) {
    var resolved = resolve(doc, schema);
    if (resolved.type && [].concat(resolved.type).indexOf('array') >= 0 && resolved.items) {
      var wrap = el('div');
      wrap.appendChild(el('p', 'small muted', 'Array of ' + typeOf(doc, resolved.items) + ':'));
      wrap.appendChild(schemaView(doc, resolved.items, depth));
      return wrap;
    }
    var properties = resolved.properties || {};
    var names = Object.keys(properties);
    if (!names.length) return el('p', 'small muted', typeOf(doc, schema));
    var required = resolved.required || [];
    var list = el('ul', 'api-schema');
    names.forEach(function (name) {
      var item = el('li');
      item.appendChild(el('code', 'api-field', name));
      item.appendChild(document.createTextNode(': ' + typeOf(doc, properties[name]) + (required.indexOf(name) >= 0 ? ' · required' : '')));
      var child = resolve(doc, properties[name]);
      var nested = child.type && [].concat(child.type).indexOf('array') >= 0 ? resolve(doc, child.items) : child;
      if (depth < 3 && nested.properties) item.appendChild(schemaView(doc, properties[name], depth + 1));
      list.appendChild(item);
    });
    return list;
  }

  function contentView(doc, content) {
    var box = el('div');
    Object.keys(content || {}).forEach(function (mediaType) {
      box.appendChild(el('p', 'small muted', mediaType));
      box.appendChild(schemaView(doc, content[mediaType].schema, 0));
    });
    return box;
  }

  function operationView(doc, path, method, op, index) {
    var section = el('section', 'card api-op');
    section.id = 'op-' + index;
    var head = el('h2', 'api-op-head');
    head.appendChild(el('span', 'api-method api-' + method, method.toUpperCase()));
    head.appendChild(el('code', 'api-path', path));
    section.appendChild(head);
    if (op.summary) section.appendChild(el('p', 'api-summary', op.summary));
    if (op.description) section.appendChild(el('p', 'muted', op.description));
    if (op.security && op.security.length) section.appendChild(el('p', 'small', 'Requires the admin: HTTP Basic or the /ingresar session cookie.'));
    else section.appendChild(el('p', 'small', 'Public: no credentials.'));

    if (op.parameters && op.parameters.length) {
      section.appendChild(el('h3', null, 'Parameters'));
      var params = el('ul', 'api-schema');
      op.parameters.forEach(function (p) {
        var item = el('li');
        item.appendChild(el('code', 'api-field', p.name));
        item.appendChild(document.createTextNode(' (' + p.in + ') : ' + typeOf(doc, p.schema) + (p.required ? ' · required' : '') + (p.description ? ' — ' + p.description : '')));
        params.appendChild(item);
      });
      section.appendChild(params);
    }
    if (op.requestBody) {
      section.appendChild(el('h3', null, 'Request body'));
      section.appendChild(contentView(doc, op.requestBody.content));
    }
    section.appendChild(el('h3', null, 'Responses'));
    var responses = el('dl', 'api-responses');
    Object.keys(op.responses || {}).forEach(function (status) {
      var response = op.responses[status];
      responses.appendChild(el('dt', null, status + ' ' + (response.description || '')));
      var dd = el('dd');
      dd.appendChild(contentView(doc, response.content));
      responses.appendChild(dd);
    });
    section.appendChild(responses);
    return section;
  }

  function render(doc) {
    var info = doc.info || {};
    $('api-title').textContent = (info.title || 'API') + ' ' + (info.version || '');
    $('api-description').textContent = info.description || '';
    var toc = el('ul');
    var sections = [];
    var index = 0;
    Object.keys(doc.paths || {}).forEach(function (path) {
      METHODS.forEach(function (method) {
        var op = doc.paths[path][method];
        if (!op) return;
        var id = index++;
        sections.push(operationView(doc, path, method, op, id));
        var item = el('li');
        var link = el('a', null, method.toUpperCase() + ' ' + path);
        link.href = '#op-' + id;
        item.appendChild(link);
        if (op.summary) item.appendChild(document.createTextNode(' — ' + op.summary));
        toc.appendChild(item);
      });
    });
    $('api-toc').replaceChildren(el('h2', null, 'Endpoints'), toc);
    $('api-toc').hidden = false;
    $('api-operations').replaceChildren.apply($('api-operations'), sections);
    $('api-status').textContent = '';
    $('api-status').hidden = true;
  }

  fetch('/openapi/v1.json', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(render)
    .catch(function (error) { $('api-status').textContent = 'Could not load /openapi/v1.json: ' + error.message; });
})();
