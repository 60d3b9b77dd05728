using System.Text.Json;
using CalendarConnect.Assistant;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// Spec step 7: a message from one of a company's own customers, answered by the booking assistant, which
/// reaches that company's calendar through the MCP server (the customer id travels as X-Customer-Id).
/// </summary>
/// <summary>The body of POST /v1/assistant/messages (documented; read field by field in ReplyAsync).</summary>
public sealed record AssistantMessage(string CustomerId, string? ConversationId, string Text);

public static class AssistantEndpoints
{
    /// <summary>What one chat message may hold; longer text is refused rather than cut.</summary>
    public const int MaxTextLength = 2000;

    public static IEndpointRouteBuilder MapAssistant(this IEndpointRouteBuilder app)
    {
        // Open to the company's customers' channels (chat widget, messaging bridge): no admin credentials.
        app.MapPost("/v1/assistant/messages", ReplyAsync).AllowAnonymous()
            .WithTags("Assistant")
            .Accepts<AssistantMessage>("application/json")
            .Produces<AssistantReply>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A message from one of a company's customers, answered by the booking assistant")
            .WithDescription("Public: called by the company's customer channels (chat widget, messaging bridge), no admin credentials.");
        return app;
    }

    private static async Task<IResult> ReplyAsync(HttpRequest request, CustomerMemory memory, BookingAssistant assistant,
        CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (problem is not null) return problem;
        string? customerId, conversationId, text;
        var errors = new Dictionary<string, string[]>();
        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["Envíe un objeto JSON."] });
            customerId = StringField(root, "customer_id", errors, required: true);
            conversationId = StringField(root, "conversation_id", errors, required: false);
            text = StringField(root, "text", errors, required: true);
        }

        if (customerId is not null && !CustomerIds.IsValid(customerId))
            errors["customer_id"] = ["customer_id debe tener de 1 a 64 caracteres: letras, dígitos, '.', '_' o '-', y empezar con letra o dígito."];
        if (conversationId is { Length: > BookingAssistant.MaxConversationIdLength })
            errors["conversation_id"] = [$"conversation_id admite como máximo {BookingAssistant.MaxConversationIdLength} caracteres."];
        if (text is { Length: > MaxTextLength }) errors["text"] = [$"text admite como máximo {MaxTextLength} caracteres."];
        if (text is not null && string.IsNullOrWhiteSpace(text)) errors["text"] = ["text no puede estar vacío."];
        if (errors.Count > 0) return Problems.Validation(errors);

        if (await memory.FindAsync(customerId!, cancellationToken) is null) return Problems.UnknownCustomer(customerId!);

        var reply = await assistant.ReplyAsync(customerId!, conversationId, text, cancellationToken);
        return TypedResults.Ok(reply);
    }

    private static string? StringField(JsonElement root, string name, Dictionary<string, string[]> errors, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors[name] = [$"Falta el campo {name}."];
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = [$"El campo {name} debe ser texto."];
            return null;
        }

        return value.GetString();
    }
}
