namespace CalendarConnect.Backend.Web;

/// <summary>
/// Every message the API writes for a person (problem titles and details, field errors), in Spanish (the default)
/// and English, side by side so a translation is never missing. The language is the request's
/// (<see cref="RequestLanguage"/>).
/// </summary>
public static class ApiTexts
{
    private static string L(string spanish, string english) =>
        RequestLanguage.Current == ApiLanguage.English ? english : spanish;

    // ---- Problem titles and details -------------------------------------------------------------
    public static string InvalidDataTitle => L("Datos inválidos", "Invalid data");
    public static string InvalidDataDetail => L("Revise los campos indicados en \"errors\".", "Check the fields listed in \"errors\".");
    public static string McpUnavailableTitle => L("Servidor de calendarios no disponible", "Calendar server unavailable");
    public static string McpUnavailableDetail => L(
        "No se pudo obtener una respuesta válida del servidor MCP de calendarios. Intente de nuevo en unos minutos.",
        "The MCP calendar server gave no valid answer. Try again in a few minutes.");
    public static string UnknownCustomerTitle => L("Cliente no encontrado", "Customer not found");
    public static string UnknownCustomerDetail(string customerId) => L(
        $"No hay ningún cliente con customer_id \"{customerId}\".", $"There is no customer with customer_id \"{customerId}\".");
    public static string UnauthorizedTitle => L("No autenticado", "Not signed in");
    public static string UnauthorizedDetail => L(
        "Ingrese como administrador en /ingresar o envíe HTTP Basic con ADMIN_USER y ADMIN_PASSWORD, o Authorization: Bearer con una clave de ADMIN_API_KEY.",
        "Sign in as the admin at /ingresar, or send HTTP Basic with ADMIN_USER and ADMIN_PASSWORD, or Authorization: Bearer with a key of ADMIN_API_KEY.");
    public static string ForbiddenTitle => L("Acceso denegado", "Access denied");
    public static string ForbiddenDetail => L("Esta cuenta no puede usar este recurso.", "This account may not use this resource.");
    public static string TooManyAttemptsTitle => L("Demasiados intentos", "Too many attempts");
    public static string TooManyAttemptsDetail(int minutes) => L(
        $"Demasiados intentos fallidos de ingreso. Espere {minutes} minuto(s) e intente de nuevo.",
        $"Too many failed sign-in attempts. Wait {minutes} minute(s) and try again.");
    public static string BadRequestTitle => L("Solicitud inválida", "Bad request");
    public static string BadRequestDetail => L("La solicitud no se pudo leer.", "The request could not be read.");
    public static string InternalErrorTitle => L("Error interno", "Internal error");
    public static string InternalErrorDetail => L(
        "Ocurrió un error inesperado. Intente de nuevo; si persiste, revise el registro del servidor.",
        "Something unexpected went wrong. Try again; if it persists, check the server log.");
    public static string NotFoundTitle => L("No encontrado", "Not found");
    public static string NotFoundDetail => L("No existe ningún recurso en esta dirección.", "There is nothing at this address.");
    public static string MethodNotAllowedTitle => L("Método no permitido", "Method not allowed");
    public static string MethodNotAllowedDetail => L("Esta dirección no acepta ese método HTTP.", "This address does not accept that HTTP method.");
    public static string GenericErrorTitle => L("Error", "Error");
    public static string GenericErrorDetail => L("La solicitud no se pudo completar.", "The request could not be completed.");
    public static string AntiforgeryTitle => L("Token antiforgery inválido", "Invalid antiforgery token");
    public static string AntiforgeryDetail(string header) => L(
        $"Falta el encabezado {header} o no es válido: recargue la página /clientes.",
        $"The {header} header is missing or not valid: reload the /clientes page.");
    public static string UnsupportedMediaTypeTitle => L("Tipo de contenido no admitido", "Unsupported content type");
    public static string UnsupportedMediaTypeDetail => L(
        "El cuerpo debe ser JSON con Content-Type: application/json.", "The body must be JSON with Content-Type: application/json.");
    public static string EmptyBodyTitle => L("Cuerpo vacío", "Empty body");
    public static string EmptyBodyDetail => L("Envíe un objeto JSON en el cuerpo.", "Send a JSON object in the body.");
    public static string InvalidJsonTitle => L("JSON inválido", "Invalid JSON");
    public static string InvalidJsonDetail(long? line, long position) => line is { } l
        ? L($"El cuerpo no es JSON válido (línea {l + 1}, posición {position + 1}).", $"The body is not valid JSON (line {l + 1}, position {position + 1}).")
        : L("El cuerpo no es JSON válido.", "The body is not valid JSON.");
    public static string BodyTooLargeTitle => L("Cuerpo demasiado grande", "Body too large");
    public static string BodyTooLargeDetail(int maxBytes) => L(
        $"El cuerpo puede tener como máximo {maxBytes} bytes.", $"The body may have at most {maxBytes} bytes.");
    public static string McpKeyNotFoundTitle => L("Clave no encontrada", "Key not found");
    public static string McpKeyNotFoundDetail(string customerId, string keyId) => L(
        $"El cliente \"{customerId}\" no tiene ninguna clave MCP con key_id \"{keyId}\".",
        $"Customer \"{customerId}\" has no MCP key with key_id \"{keyId}\".");
    public static string WhatsAppTakenTitle => L("Número de WhatsApp en uso", "WhatsApp number in use");
    public static string WhatsAppTakenDetail(string number, string? holder) => holder is null
        ? L($"El número {number} ya es el WhatsApp de otra empresa. Quíteselo a esa empresa primero: un número lleva los mensajes a una sola empresa.",
            $"The number {number} is already the WhatsApp number of another company. Remove it from that company first: one number routes messages to one company only.")
        : L($"El número {number} ya es el WhatsApp del cliente \"{holder}\". Quíteselo a ese cliente primero: un número lleva los mensajes a una sola empresa.",
            $"The number {number} is already the WhatsApp number of customer \"{holder}\". Remove it from that customer first: one number routes messages to one company only.");
    public static string WhatsAppTakenCompanySaved => L(
        "El cliente se guardó sin ese número (el número se ocupó en ese mismo instante): vuelva a conectarlo con otro número o sin él para obtener el link.",
        "The customer was saved without that number (the number was taken in that very instant): connect it again with another number, or without one, to get the link.");
    public static string WhatsAppTakenField => L(
        "Este número ya pertenece a otro cliente.", "This number already belongs to another customer.");

    // ---- Field errors ---------------------------------------------------------------------------
    public static string Required => L("Es obligatorio.", "Is required.");
    public static string MustBeString => L("Debe ser texto (string).", "Must be text (a string).");
    public static string MustBeStringOrNull => L("Debe ser texto (string) o null.", "Must be text (a string) or null.");
    public static string Duplicate => L("Aparece más de una vez.", "Appears more than once.");
    public static string MaxLength(int max) => L($"Puede tener como máximo {max} caracteres.", $"May have at most {max} characters.");
    public static string NoControlCharacters => L("No puede contener caracteres de control.", "May not contain control characters.");
    public static string NoBidiControls => L(
        $"No puede contener caracteres de control de dirección del texto ({CalendarConnect.Shared.BidiControls.Listed}): hacen que el texto se vea en otro orden del que tiene.",
        $"May not contain bidirectional control characters ({CalendarConnect.Shared.BidiControls.Listed}): they make text show in another order than it is written.");
    public static string CustomerIdRule => L(
        $"Debe tener de 1 a {CalendarConnect.Shared.CustomerIdRule.MaxLength} caracteres (letras, números, punto, guion o guion bajo) y empezar con una letra o un número, por ejemplo empresa-abc-123.",
        $"Must have 1 to {CalendarConnect.Shared.CustomerIdRule.MaxLength} characters (letters, digits, dot, hyphen or underscore) and start with a letter or a digit, for example empresa-abc-123.");
    public static string EmailRule => L(
        "Debe ser un email válido, por ejemplo contacto@empresa-abc.com.", "Must be a valid email, for example contacto@empresa-abc.com.");
    public static string WhatsAppRule => L(
        "Debe ser un número de WhatsApp válido con código de país, por ejemplo +54 9 11 5555-0000.",
        "Must be a valid WhatsApp number with its country code, for example +54 9 11 5555-0000.");
    public static string WhatsAppUseNullToClear => L(
        "No puede estar vacío: para quitar el número envíe null (\"whatsapp_number\": null).",
        "Cannot be empty: to remove the number send null (\"whatsapp_number\": null).");
    public static string WhatsAppPlusRule => L(
        "Debe empezar con + (o 00) y el código de país, por ejemplo +54 9 11 5555-0000: sin él no se sabe de qué país es el número.",
        "Must start with + (or 00) and the country code, for example +54 9 11 5555-0000: without it the number's country is unknown.");
    public static string ConnectBodyShape => L(
        "Debe ser un objeto JSON con customer_id, customer_email y customer_name (y, si quiere, whatsapp_number).",
        "Must be a JSON object with customer_id, customer_email and customer_name (and, optionally, whatsapp_number).");
    public static string ConnectUnknownField => L(
        "Campo desconocido: solo se aceptan customer_id, customer_email, customer_name y whatsapp_number.",
        "Unknown field: only customer_id, customer_email, customer_name and whatsapp_number are accepted.");
    public static string PatchBodyShape => L(
        "Debe ser un objeto JSON (merge patch) con alguno de customer_name, customer_email o whatsapp_number.",
        "Must be a JSON object (merge patch) with any of customer_name, customer_email or whatsapp_number.");
    public static string PatchUnknownField => L(
        "Campo desconocido: solo se pueden cambiar customer_name, customer_email y whatsapp_number.",
        "Unknown field: only customer_name, customer_email and whatsapp_number can be changed.");
    public static string PatchIdImmutable => L(
        "El customer_id no se puede cambiar: es la clave del calendario conectado.",
        "customer_id cannot change: it is the key of the connected calendar.");
    public static string CannotBeNull => L("No puede ser null: este dato es obligatorio.", "Cannot be null: this value is required.");
    public static string McpKeyBodyShape => L(
        "Debe ser un objeto JSON, por ejemplo {\"label\": \"Asistente de recepción\"}, o vacío.",
        "Must be a JSON object, for example {\"label\": \"Front desk assistant\"}, or empty.");
    public static string AcceptAccountBodyShape => L(
        "Debe ser un objeto JSON con account_email: la cuenta de Google del intento, por ejemplo {\"account_email\": \"agenda@empresa-abc.com\"}.",
        "Must be a JSON object with account_email: the Google account of the attempt, for example {\"account_email\": \"agenda@empresa-abc.com\"}.");
    public static string AcceptAccountUnknownField => L("Campo desconocido: solo se acepta account_email.", "Unknown field: only account_email is accepted.");
    public static string NoAccountAttemptTitle => L("No hay un intento con esa cuenta", "No attempt with that account");
    public static string NoAccountAttemptDetail(string customerId, string accountEmail) => L(
        $"El cliente {customerId} no tiene un intento de conexión pendiente con la cuenta {accountEmail} (o hubo uno más reciente con otra cuenta). Actualice la lista.",
        $"Customer {customerId} has no pending connection attempt with the account {accountEmail} (or a newer one used another account). Refresh the list.");
    public static string McpKeyUnknownField => L("Campo desconocido: solo se acepta label.", "Unknown field: only label is accepted.");

    // ---- List query -----------------------------------------------------------------------------
    public static string QueryRepeated => L("Aparece más de una vez en la dirección.", "Appears more than once in the address.");
    public static string QueryPage => L("Debe ser un número entero desde 1.", "Must be a whole number from 1.");
    public static string QueryPageSize(int max) => L($"Debe ser un número entero de 1 a {max}.", $"Must be a whole number from 1 to {max}.");
    public static string QueryStatus => L(
        $"Debe ser {ConnectionStatus.NotConnected}, {ConnectionStatus.Connected}, {ConnectionStatus.NeedsReauthorization} o {McpServer.CalendarStatus.Unknown}.",
        $"Must be {ConnectionStatus.NotConnected}, {ConnectionStatus.Connected}, {ConnectionStatus.NeedsReauthorization} or {McpServer.CalendarStatus.Unknown}.");

    // ---- Booking settings -----------------------------------------------------------------------
    public static string SettingsBodyShape => L(
        "Debe ser un objeto JSON con la configuración de horarios (time_zone, weekly_hours, slot_minutes, …).",
        "Must be a JSON object with the booking settings (time_zone, weekly_hours, slot_minutes, …).");
    public static string SettingsUnknownField(string fields) => L(
        $"Campo desconocido. Campos permitidos: {fields}.", $"Unknown field. Allowed fields: {fields}.");
    public static string TimeZoneShape => L(
        "Debe ser el nombre de una zona horaria IANA, como \"America/Argentina/Buenos_Aires\", o vacío para usar la del calendario de Google.",
        "Must be an IANA time zone name, such as \"America/Argentina/Buenos_Aires\", or empty to use the Google calendar's.");
    public static string UnknownTimeZone(string id) => L(
        $"\"{id}\" no es una zona horaria IANA conocida (por ejemplo \"America/Argentina/Buenos_Aires\" o \"Europe/Madrid\").",
        $"\"{id}\" is not a known IANA time zone (for example \"America/Argentina/Buenos_Aires\" or \"Europe/Madrid\").");
    public static string OffGridStartsShape => L(
        "Debe ser true (un turno puede empezar en cualquier minuto del horario) o false (solo en los inicios de turno).",
        "Must be true (an appointment may start at any minute within the hours) or false (only at the slot starts).");
    public static string WholeNumberBetween(int min, int max) => L($"Debe ser un número entero de {min} a {max}.", $"Must be a whole number from {min} to {max}.");
    public static string CalendarIdsShape => L(
        "Debe ser una lista de ids de calendarios de Google, por ejemplo [\"primary\"].", "Must be a list of Google calendar ids, for example [\"primary\"].");
    public static string CalendarIdLength(int max) => L(
        $"Cada id de calendario debe ser un texto no vacío de como máximo {max} caracteres.", $"Each calendar id must be non-empty text of at most {max} characters.");
    public static string AppearsTwice(string id) => L($"\"{id}\" aparece dos veces.", $"\"{id}\" appears twice.");
    public static string CalendarCount(int max) => L(
        $"Indique de 1 a {max} calendarios; \"primary\" es el calendario principal de la cuenta conectada.",
        $"Give 1 to {max} calendars; \"primary\" is the connected account's main calendar.");
    public static string WeeklyHoursShape => L(
        "Debe ser un objeto con los días mon … sun, cada uno una lista de rangos [\"HH:mm\", \"HH:mm\"], por ejemplo {\"mon\": [[\"09:00\", \"13:00\"], [\"15:00\", \"19:00\"]]}.",
        "Must be an object with the days mon … sun, each a list of [\"HH:mm\", \"HH:mm\"] ranges, for example {\"mon\": [[\"09:00\", \"13:00\"], [\"15:00\", \"19:00\"]]}.");
    public static string UnknownDay => L("Día desconocido. Use mon, tue, wed, thu, fri, sat o sun.", "Unknown day. Use mon, tue, wed, thu, fri, sat or sun.");
    public static string DayShape => L(
        "Debe ser una lista de rangos [\"HH:mm\", \"HH:mm\"]; [] significa cerrado.", "Must be a list of [\"HH:mm\", \"HH:mm\"] ranges; [] means closed.");
    public static string RangesPerDay(int max) => L($"Como máximo {max} rangos por día.", $"At most {max} ranges a day.");
    public static string RangeShape => L(
        "Cada rango debe ser [\"desde\", \"hasta\"] con horas de 24 h en formato HH:mm, por ejemplo [\"09:00\", \"18:00\"]; \"24:00\" puede cerrar el día.",
        "Each range must be [\"from\", \"to\"] in 24-hour HH:mm, for example [\"09:00\", \"18:00\"]; \"24:00\" may end the day.");
    public static string RangeInverted(string start, string end) => L(
        $"El rango {start}–{end} termina antes de empezar: \"hasta\" debe ser posterior a \"desde\".",
        $"The range {start}–{end} ends before it starts: \"to\" must be later than \"from\".");
    public static string RangesOverlap(string first, string second) => L(
        $"Los rangos {first} y {second} se superponen.", $"The ranges {first} and {second} overlap.");

    // ---- Assistant endpoint and WhatsApp webhook (channels) ------------------------------------
    public static string AssistantBodyShape => L("Envíe un objeto JSON.", "Send a JSON object.");
    public static string AssistantFieldMissing(string name) => L($"Falta el campo {name}.", $"The field {name} is missing.");
    public static string AssistantFieldNotText(string name) => L($"El campo {name} debe ser texto.", $"The field {name} must be text.");
    public static string AssistantUnknownField => L(
        "Campo desconocido. Use customer_id, conversation_id y text, o channel, to, from y text.",
        "Unknown field. Use customer_id, conversation_id and text, or channel, to, from and text.");
    public static string ChannelWithConversation => L(
        "Un mensaje de canal no lleva customer_id ni conversation_id: la empresa sale de \"to\" y la conversación de \"from\".",
        "A channel message carries no customer_id or conversation_id: the company comes from \"to\" and the conversation from \"from\".");
    public static string ToFromWithoutChannel => L(
        "\"to\" y \"from\" van con \"channel\" (un mensaje de canal); con customer_id, use conversation_id.",
        "\"to\" and \"from\" go with \"channel\" (a channel message); with customer_id, use conversation_id.");
    public static string BridgeUnauthorizedTitle => L("Puente no autenticado", "Bridge not authenticated");
    public static string BridgeUnauthorizedDetail => L(
        "Un mensaje de canal dice quién es la persona: solo lo envía un puente de confianza, con las credenciales de la API de administración en el encabezado Authorization (HTTP Basic con ADMIN_USER y ADMIN_PASSWORD).",
        "A channel message says who the person is: only a trusted bridge sends one, with the admin API's credentials in the Authorization header (HTTP Basic with ADMIN_USER and ADMIN_PASSWORD).");
    public static string ChannelOnly(string channel) => L($"channel admite solo \"{channel}\".", $"channel accepts only \"{channel}\".");
    public static string BusinessNumberShape => L(
        "to debe ser el número de WhatsApp de la empresa con código de país, por ejemplo +5491155550000.",
        "to must be the company's WhatsApp number with its country code, for example +5491155550000.");
    public static string PersonNumberShape => L(
        "from debe ser un número de WhatsApp con código de país, por ejemplo +5491144440000.",
        "from must be a WhatsApp number with its country code, for example +5491144440000.");
    public static string AssistantCustomerIdShape => L(
        "customer_id debe tener de 1 a 64 caracteres: letras, dígitos, '.', '_' o '-', y empezar con letra o dígito.",
        "customer_id must have 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
    public static string ReservedConversationId(string prefix) => L(
        $"Las conversaciones que empiezan con \"{prefix}\" son de los canales (WhatsApp); use otro conversation_id.",
        $"Conversations starting with \"{prefix}\" belong to the channels (WhatsApp); use another conversation_id.");
    public static string ConversationIdLength(int max) => L(
        $"conversation_id admite como máximo {max} caracteres.", $"conversation_id may have at most {max} characters.");
    public static string ConversationIdEmpty => L(
        "conversation_id no puede estar vacío; omítalo para empezar una conversación nueva (la respuesta trae su conversation_id).",
        "conversation_id may not be empty; omit it to start a new conversation (the response carries its conversation_id).");
    public static string TextLength(int max) => L($"text admite como máximo {max} caracteres.", $"text may have at most {max} characters.");
    public static string TextEmpty => L("text no puede estar vacío.", "text may not be empty.");
    public static string ConversationBusyTitle => L("Conversación ocupada", "Conversation busy");
    public static string ConversationBusyDetail => L(
        "Otro mensaje de esta conversación se está respondiendo todavía. Intente de nuevo en unos segundos.",
        "Another message of this conversation is still being answered. Try again in a few seconds.");
    public static string UnknownBusinessNumberTitle => L("Número sin empresa", "Number without a company");
    public static string UnknownBusinessNumberDetail(string number) => L(
        $"Ninguna empresa tiene el número de WhatsApp {number}.", $"No company has the WhatsApp number {number}.");
    public static string TooManyMessagesTitle => L("Demasiados mensajes", "Too many messages");
    public static string TooManyMessagesDetail(int seconds) => L(
        $"Se enviaron demasiados mensajes en poco tiempo. Espere {seconds} segundo(s) e intente de nuevo.",
        $"Too many messages were sent in a short time. Wait {seconds} second(s) and try again.");
    public static string WebhookVerificationTitle => L("Verificación rechazada", "Verification refused");
    public static string WebhookVerificationDetail => L(
        "hub.mode debe ser subscribe y hub.verify_token debe coincidir con WHATSAPP_VERIFY_TOKEN.",
        "hub.mode must be subscribe and hub.verify_token must match WHATSAPP_VERIFY_TOKEN.");
    public static string SignatureMissingTitle => L("Falta la firma", "Signature missing");
    public static string SignatureMissingDetail(string header) => L(
        $"Falta el encabezado {header} (sha256=<HMAC-SHA256 del cuerpo con el secreto de la app>).",
        $"The {header} header is missing (sha256=<HMAC-SHA256 of the body with the app secret>).");
    public static string SignatureInvalidTitle => L("Firma inválida", "Invalid signature");
    public static string SignatureInvalidDetail(string header) => L(
        $"{header} no corresponde al cuerpo y a WHATSAPP_APP_SECRET.", $"{header} does not match the body and WHATSAPP_APP_SECRET.");
    public static string NotificationShapeTitle => L("Notificación inválida", "Invalid notification");
    public static string NotificationShapeDetail(string objectName) => L(
        $"Se esperaba una notificación de WhatsApp Cloud API (\"object\": \"{objectName}\").",
        $"A WhatsApp Cloud API notification was expected (\"object\": \"{objectName}\").");
    public static string WebhookBusyTitle => L("No disponible", "Unavailable");
    public static string WebhookBusyDetail => L(
        "Los mensajes no se pueden guardar ahora; Meta los entregará de nuevo.", "The messages cannot be stored right now; Meta will deliver them again.");
}
