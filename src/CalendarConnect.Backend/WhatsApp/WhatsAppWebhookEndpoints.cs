using System.Text.Json;
using CalendarConnect.Backend.Web;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// The WhatsApp Cloud API webhook: Meta's verification GET and its signed message notifications (POST). Messages
/// are stored in the database and answered in the background (<see cref="WhatsAppMessageProcessor"/>); Meta gets
/// its 200 once they are stored.
/// </summary>
/// <remarks>Meta's contract, not ours: left out of the OpenAPI document of /v1 (see the README).</remarks>
public static class WhatsAppWebhookEndpoints
{
    public const string Path = "/v1/whatsapp/webhook";

    /// <summary>Meta's notifications are a few kilobytes; anything much larger is not one.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// Messages sent longer ago than this are acknowledged and dropped: their ids may already have been pruned
    /// (<see cref="WhatsAppReceivedMessages.Retention"/>), so a replayed old notification could not be recognised as a repeat.
    /// </summary>
    public static readonly TimeSpan MaxMessageAge = WhatsAppReceivedMessages.Retention - TimeSpan.FromDays(1);

    /// <summary>How far in the future (by our clock) a message's timestamp may be: clocks differ a little, not more.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Meta's challenge is a short number; a longer one is not echoed.</summary>
    private const int MaxChallengeLength = 256;

    public static IEndpointRouteBuilder MapWhatsAppWebhook(this IEndpointRouteBuilder app)
    {
        // Guessing the verify token is limited like any anonymous caller; notifications are not (they all come from
        // Meta's few addresses, and a forged one fails the signature whatever the rate).
        app.MapGet(Path, Verify).AllowAnonymous().ExcludeFromDescription()
            .RequireRateLimiting(Assistant.AssistantRateLimits.PerClientPolicy);
        app.MapPost(Path, ReceiveAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Meta's subscription check: <c>hub.mode=subscribe</c>, <c>hub.verify_token</c> equal to WHATSAPP_VERIFY_TOKEN,
    /// answered with <c>hub.challenge</c> as plain text.
    /// </summary>
    private static IResult Verify(HttpRequest request, IOptions<WhatsAppOptions> options, ILogger<WhatsAppInbox> logger)
    {
        var settings = options.Value;
        if (!settings.Enabled) return TypedResults.NotFound();
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        if (mode != "subscribe" || !WhatsAppSignature.SameSecret(token, settings.VerifyToken)
            || challenge.Length is 0 or > MaxChallengeLength)
        {
            logger.LogWarning("WhatsApp webhook verification refused (mode, verify token or challenge not as expected).");
            return Problems.Create(StatusCodes.Status403Forbidden, ApiTexts.WebhookVerificationTitle, ApiTexts.WebhookVerificationDetail);
        }
        return TypedResults.Text(challenge, "text/plain", System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, IOptions<WhatsAppOptions> options, WhatsAppReceivedMessages received,
        WhatsAppInbox inbox, TimeProvider time, ILogger<WhatsAppInbox> logger, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return TypedResults.NotFound();

        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, ApiTexts.BodyTooLargeTitle, ApiTexts.BodyTooLargeDetail(MaxBodyBytes));

        // Before anything is read from the body: an unsigned or forged notification is not looked at.
        switch (WhatsAppSignature.Check(context.Request.Headers[WhatsAppSignature.Header], body, settings.AppSecret))
        {
            case SignatureCheck.Missing:
                logger.LogWarning("WhatsApp webhook POST without {Header}; refused.", WhatsAppSignature.Header);
                return Problems.Create(StatusCodes.Status401Unauthorized, ApiTexts.SignatureMissingTitle, ApiTexts.SignatureMissingDetail(WhatsAppSignature.Header));
            case SignatureCheck.Mismatch:
                logger.LogWarning("WhatsApp webhook POST with a signature that does not match; refused.");
                return Problems.Create(StatusCodes.Status403Forbidden, ApiTexts.SignatureInvalidTitle, ApiTexts.SignatureInvalidDetail(WhatsAppSignature.Header));
        }

        IReadOnlyList<WhatsAppInbound>? messages;
        int skipped;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            messages = WhatsAppWebhookPayload.ReadMessages(document.RootElement, out skipped);
        }
        catch (JsonException)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.InvalidJsonTitle, ApiTexts.InvalidJsonDetail(null, 0));
        }
        if (messages is null)
            return Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.NotificationShapeTitle,
                ApiTexts.NotificationShapeDetail(WhatsAppWebhookPayload.BusinessAccountObject));
        if (skipped > 0) logger.LogWarning("WhatsApp webhook: {Skipped} message(s) without id, sender, type or business number metadata were skipped.", skipped);

        var now = time.GetUtcNow();
        foreach (var message in messages)
        {
            if (message.SentAt is { } sentAt && (sentAt < now - MaxMessageAge || sentAt > now + MaxClockSkew))
            {
                // A replay of an old notification (or a clock far off): answering it could repeat what was done then.
                logger.LogWarning("WhatsApp message {MessageId} was sent at {SentAt:O}, outside the accepted window; acknowledged and dropped.", message.MessageId, sentAt);
                continue;
            }
            bool stored;
            try
            {
                // Stored with its id in one insert, and to the end even if Meta hangs up meanwhile: Meta is told
                // "received" only once the message is in the database, and an id is never kept without its message.
                stored = await received.TryRecordAsync(message);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // Messages before this one in the notification are stored; Meta's redelivery finds them as repeats.
                logger.LogError("A WhatsApp message could not be stored ({Error}); asked Meta to deliver again later.", ex.GetType().Name);
                context.Response.Headers.RetryAfter = "30";
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, ApiTexts.WebhookBusyTitle, ApiTexts.WebhookBusyDetail);
            }
            if (!stored)
            {
                logger.LogInformation("WhatsApp message {MessageId} was delivered again; already answered or waiting to be.", message.MessageId);
                continue;
            }
            inbox.Wake();
        }
        return TypedResults.Ok();
    }

    /// <summary>The raw body (the signature is over these exact bytes), or null when it is larger than allowed.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes) return null;
        }
        return buffer.ToArray();
    }
}
