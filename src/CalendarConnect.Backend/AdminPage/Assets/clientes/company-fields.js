// The checks the forms make on a company's fields before sending them. The server checks them again (the id, email
// and phone rules are the services' own) and answers per field in the page's language.
import { t } from './i18n.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_MAX_LENGTH = 254;
const NAME_MAX_LENGTH = 200;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// A WhatsApp number as people type it: "+" (or "00") and the country code, then digits, spaces, dashes, dots,
// parentheses. Without the "+" a national number's first digits would pass for a country code, so the server
// refuses it too; it checks the number itself (libphonenumber) and answers per field.
const PHONE_PATTERN = /^(\+|00)[\d\s().-]{6,39}$/;

// How the page names a company: "Empresa ABC S.A. (empresa-abc-123)".
export function companyLabel(item) {
  return item.customer_name + ' (' + item.customer_id + ')';
}

// The fields whose check found a problem, each with its message.
export function fieldErrors(checks) {
  const errors = {};
  Object.keys(checks).forEach((field) => { if (checks[field]) errors[field] = checks[field]; });
  return errors;
}

export function idError(id) {
  if (!id) return t('err_id_missing');
  return ID_PATTERN.test(id) ? null : t('err_id_invalid');
}

export function emailError(email) {
  if (!email) return t('err_email_missing');
  return email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email) ? t('err_email_invalid') : null;
}

export function nameError(name) {
  if (!name) return t('err_name_missing');
  return name.length > NAME_MAX_LENGTH ? t('err_name_long') : null;
}

export function hasControlCharacters(text) {
  return CONTROL_CHARACTERS.test(text);
}

// The number is optional: an empty one is no error.
export function whatsappError(number) {
  return number && !validPhone(number) ? t('err_whatsapp_invalid') : null;
}

function validPhone(text) {
  const digits = text.replace(/^00/, '').replace(/\D/g, '');
  return PHONE_PATTERN.test(text) && digits.length >= 8 && digits.length <= 15;
}
