namespace CalendarConnect.Infrastructure.Telemetry;

/// <summary>
/// Every name our own telemetry exports, in one place (README.md, "Telemetry", lists the same): the meters and the
/// activity source, their instruments (lower-case, dotted, with UCUM units, as OpenTelemetry's semantic conventions
/// name them) and the attribute keys. Every attribute value is one of a small fixed set (a tool, an endpoint, a
/// status, an outcome) or a company id; never a customer's words, name or phone number, a token or a URL with ids.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The MCP server's meter: tool calls, Google requests, token refreshes, companies, the mirror.</summary>
    public const string McpServerMeter = "CalendarConnect.McpServer";

    /// <summary>The backend's meter: assistant messages and the WhatsApp inbox.</summary>
    public const string BackendMeter = "CalendarConnect.Backend";

    /// <summary>The assistant's activity source: one span per message answered (a turn).</summary>
    public const string AssistantSource = "CalendarConnect.Assistant";

    /// <summary>The span of one assistant turn; its children are the MCP server's HTTP calls.</summary>
    public const string AssistantTurnSpan = "assistant.turn";

    public static class Instruments
    {
        public const string ToolCalls = "calendarconnect.mcp.tool.calls";
        public const string ToolCallDuration = "calendarconnect.mcp.tool.duration";
        public const string GoogleRequests = "calendarconnect.google.requests";
        public const string GoogleRequestDuration = "calendarconnect.google.request.duration";
        public const string TokenRefreshes = "calendarconnect.token.refreshes";
        public const string Companies = "calendarconnect.companies";
        public const string MirrorSyncAge = "calendarconnect.mirror.sync.age";
        public const string AssistantMessages = "calendarconnect.assistant.messages";
        public const string WhatsAppInboxDepth = "calendarconnect.whatsapp.inbox.depth";
    }

    public static class Tags
    {
        /// <summary>The MCP tool called (one of ours; <see cref="Values.Unknown"/> for a name we do not serve). The MCP SDK's own key.</summary>
        public const string ToolName = "gen_ai.tool.name";

        /// <summary>What came of it: <see cref="Values.Ok"/>, an error code (<c>slot_taken</c>, <c>calendar_unavailable</c>…), or a named failure.</summary>
        public const string Outcome = "calendarconnect.outcome";

        /// <summary>The Google API endpoint as a route name (<c>calendar.events.list</c>), never its URL.</summary>
        public const string GoogleEndpoint = "calendarconnect.google.endpoint";

        /// <summary>Google's HTTP status; absent when no answer came (then <see cref="ErrorType"/> says why).</summary>
        public const string HttpStatusCode = "http.response.status_code";

        /// <summary>Why something failed, when it did (OpenTelemetry's <c>error.type</c>): <c>timeout</c>, <c>invalid_grant</c>…</summary>
        public const string ErrorType = "error.type";

        /// <summary>A company's connection status: <c>connected</c>, <c>needs_reauthorization</c>, <c>not_connected</c>.</summary>
        public const string ConnectionStatus = "calendarconnect.connection.status";

        /// <summary>The channel a message came by: <see cref="Values.ApiChannel"/> or <see cref="Values.WhatsAppChannel"/>.</summary>
        public const string Channel = "calendarconnect.channel";

        /// <summary>The company (the spec's customer_id): on spans only, never on metrics (one series per company would not scale).</summary>
        public const string CompanyId = "calendarconnect.company.id";
    }

    public static class Values
    {
        public const string Ok = "ok";
        public const string Unknown = "unknown";
        public const string Timeout = "timeout";
        public const string Unreachable = "unreachable";
        public const string Cancelled = "cancelled";
        public const string Error = "error";
        public const string ApiChannel = "api";
        public const string WhatsAppChannel = "whatsapp";
    }
}
