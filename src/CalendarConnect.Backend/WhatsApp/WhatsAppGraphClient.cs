using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// Sends the assistant's replies through the WhatsApp Cloud API:
/// <c>POST {WHATSAPP_API_BASE}/{phone_number_id}/messages</c> with the access token as Bearer.
/// Only what surely did not send a message is retried, with back-off: throttling (429, after its Retry-After) and
/// failures before the request went out (connection refused, name resolution, TLS). A timeout or a 5xx after the
/// request was sent leaves it unknown whether the person got the reply, so it is logged and not sent again (a
/// second copy would be worse than a lost one). Logs name the status and Graph's error code, never the token or
/// the message.
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
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(payload) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
                // A request once started is not abandoned when the host stops: it may already have reached WhatsApp, and
                // the restart would send the reply a second time. The client's timeout bounds it; only the waits between
                // attempts (nothing sent yet) end with the stop.
                using var response = await client.SendAsync(request, CancellationToken.None);
                if (response.IsSuccessStatusCode) return true;
                var code = await GraphErrorCodeAsync(response, CancellationToken.None);
                failure = $"HTTP {(int)response.StatusCode}{(code is null ? "" : $", Graph error code {code}")}";
                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    if ((int)response.StatusCode >= 500)
                        logger.LogError("The reply to WhatsApp message {MessageId} got {Failure} from the Graph API after it was sent; it may or may not have been delivered, so it is not sent again.", inReplyTo, failure);
                    else
                        logger.LogError("The reply to WhatsApp message {MessageId} was refused by the Graph API ({Failure}); not retried.", inReplyTo, failure);
                    return false;
                }
                retryAfter = RetryAfter(response);
            }
            catch (HttpRequestException ex) when (NotSent(ex.HttpRequestError))
            {
                failure = ex.HttpRequestError.ToString();
            }
            catch (HttpRequestException ex)
            {
                // The request may have reached Graph (the connection broke while waiting for the answer).
                logger.LogError("The reply to WhatsApp message {MessageId} failed after it was sent ({Failure}); it may or may not have been delivered, so it is not sent again.", inReplyTo, ex.HttpRequestError);
                return false;
            }
            catch (TaskCanceledException)
            {
                logger.LogError("The reply to WhatsApp message {MessageId} timed out; it may or may not have been delivered, so it is not sent again.", inReplyTo);
                return false;
            }

            if (attempt >= settings.SendRetryDelays.Count)
            {
                logger.LogError("The reply to WhatsApp message {MessageId} could not be sent after {Attempts} attempts (last: {Failure}).", inReplyTo, attempt + 1, failure);
                return false;
            }
            var delay = retryAfter is { } wait && wait > settings.SendRetryDelays[attempt] ? Min(wait, MaxRetryAfter) : settings.SendRetryDelays[attempt];
            logger.LogWarning("Sending the reply to WhatsApp message {MessageId} failed ({Failure}); trying again in {Delay}.", inReplyTo, failure, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>A Retry-After longer than this is not waited for in full (the worker would be held too long).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>Failures that happen before the request is written: nothing reached Graph, so sending again is safe.</summary>
    private static bool NotSent(HttpRequestError error) =>
        error is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date) { var wait = date - time.GetUtcNow(); return wait < TimeSpan.Zero ? TimeSpan.Zero : wait; }
        return null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

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
