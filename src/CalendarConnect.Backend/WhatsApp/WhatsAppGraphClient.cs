using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// Sends the assistant's replies through the WhatsApp Cloud API:
/// <c>POST {WHATSAPP_API_BASE}/{phone_number_id}/messages</c> with the access token as Bearer.
/// Throttling (429), server errors and network failures are retried with back-off; anything else is logged and
/// dropped. Logs name the status and Graph's error code, never the token or the message.
/// </summary>
public sealed class WhatsAppGraphClient(
    IHttpClientFactory httpClients,
    IOptions<WhatsAppOptions> options,
    TimeProvider time,
    ILogger<WhatsAppGraphClient> logger)
{
    public const string HttpClientName = "whatsapp-graph";

    /// <summary>WhatsApp's limit for a text message body.</summary>
    public const int MaxBodyLength = 4096;

    /// <returns>Whether Graph accepted the message.</returns>
    public async Task<bool> SendTextAsync(string phoneNumberId, string to, string body, string inReplyTo, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = settings.ApiBase.TrimEnd('/') + "/" + Uri.EscapeDataString(phoneNumberId) + "/messages";
        if (body.Length > MaxBodyLength) body = body[..(MaxBodyLength - 1)] + "…";
        var payload = new Dictionary<string, object>
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
            ["type"] = "text",
            ["text"] = new Dictionary<string, object> { ["body"] = body },
        };

        var client = httpClients.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(payload) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode) return true;
                var code = await GraphErrorCodeAsync(response, cancellationToken);
                failure = $"HTTP {(int)response.StatusCode}{(code is null ? "" : $", Graph error code {code}")}";
                if (!Retryable(response.StatusCode))
                {
                    logger.LogError("The reply to WhatsApp message {MessageId} was refused by the Graph API ({Failure}); not retried.", inReplyTo, failure);
                    return false;
                }
            }
            catch (HttpRequestException ex)
            {
                failure = ex.HttpRequestError.ToString();
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timeout";
            }

            if (attempt >= settings.SendRetryDelays.Count)
            {
                logger.LogError("The reply to WhatsApp message {MessageId} could not be sent after {Attempts} attempts (last: {Failure}).", inReplyTo, attempt + 1, failure);
                return false;
            }
            var delay = settings.SendRetryDelays[attempt];
            logger.LogWarning("Sending the reply to WhatsApp message {MessageId} failed ({Failure}); trying again in {Delay}.", inReplyTo, failure, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static bool Retryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static async Task<string?> GraphErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Graph errors: {"error":{"message","type","code","error_subcode","fbtrace_id"}}; only the code is logged.
            var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return json.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number
                ? code.GetRawText()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException or InvalidOperationException)
        {
            return null;
        }
    }
}
