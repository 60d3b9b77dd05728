using System.ClientModel;
using System.ClientModel.Primitives;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;

namespace CalendarConnect.Assistant.Llm;

/// <summary>The rule-based assistant's answer to one message, used when the model cannot answer it.</summary>
public delegate Task<AssistantReply> RuleBasedReply(string customerId, string? conversationId, string? text, CancellationToken cancellationToken);

/// <summary>
/// The optional LLM mode: answers a customer message with a model behind an OpenAI-compatible endpoint
/// (Microsoft.Extensions.AI over the OpenAI client, with function invocation), whose functions are the company's MCP
/// tools, listed from an MCP session whose <c>X-Customer-Id</c> is the conversation's company.
/// </summary>
/// <remarks>
/// <para>Whatever goes wrong with the model — unreachable, timeout, HTTP 4xx/5xx, output that is not a chat completion,
/// an empty answer, too many tool rounds — the rule-based assistant answers the message instead, and a warning names the
/// kind of failure (never the message text, the model's text or a key).</para>
/// <para>Both engines share one <see cref="ConversationState"/>: a proposal made by either is what a "sí" confirms in
/// either (same topic, same explicit-yes rule, same idempotency key), and every exchange, whichever engine answered it, is remembered in
/// <see cref="LlmMemory"/> so the model knows what the customer was told. A failed model turn saves nothing: the
/// fallback starts from the state as it was.</para>
/// </remarks>
public sealed class LlmBookingEngine : IDisposable
{
    /// <summary>Sent by the OpenAI client when no key is configured, and removed before the request leaves.</summary>
    private const string NoKeyPlaceholder = "calendarconnect-no-api-key";

    private readonly ICalendarAdapter calendar;
    private readonly IConversationStore conversations;
    private readonly LlmOptions settings;
    private readonly ILogger logger;
    private readonly HttpClient httpClient;
    private readonly IChatClient chatClient;
    private readonly TimeProvider time;
    private readonly ModelEndpointBreaker breaker;

    public LlmBookingEngine(ICalendarAdapter calendar, IConversationStore conversations, IOptions<LlmOptions> options,
        TimeProvider time, ILogger<LlmBookingEngine> logger)
    {
        this.time = time;
        breaker = new ModelEndpointBreaker(time);
        this.calendar = calendar;
        this.conversations = conversations;
        settings = options.Value;
        this.logger = logger;

        // Our own client: the turn's budget bounds every request, and connections are recycled so a DNS change is seen.
        httpClient = new HttpClient(new DropPlaceholderKey { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        var openAi = new OpenAIClient(new ApiKeyCredential(settings.ApiKey is { Length: > 0 } key ? key : NoKeyPlaceholder), new OpenAIClientOptions
        {
            Endpoint = settings.EndpointUri,
            Transport = new HttpClientPipelineTransport(httpClient),
            // A customer is waiting: one try, and on failure the rules answer at once rather than after back-offs.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.Timeout,
        });
        chatClient = new ChatClientBuilder(openAi.GetChatClient(settings.Model).AsIChatClient())
            // No logger: the invoker's detailed logs would carry function arguments (customer names); we log the outcome ourselves.
            .UseFunctionInvocation(NullLoggerFactory.Instance, invoker =>
            {
                invoker.MaximumIterationsPerRequest = settings.MaxToolRounds;
                invoker.AllowConcurrentInvocation = false;
                invoker.IncludeDetailedErrors = false;
                invoker.MaximumConsecutiveErrorsPerRequest = 2;
            })
            .Build();
    }

    /// <summary>Answers <paramref name="text"/> with the model, or with <paramref name="rules"/> when the model fails.</summary>
    /// <exception cref="ArgumentException">The ids are invalid, exactly as <see cref="BookingAssistant.ReplyAsync"/> says.</exception>
    public async Task<AssistantReply> ReplyAsync(string customerId, string? conversationId, string? text, RuleBasedReply rules,
        CancellationToken cancellationToken = default)
    {
        customerId = CustomerIds.Validate(customerId);
        conversationId ??= "";
        if (conversationId.Length > BookingAssistant.MaxConversationIdLength)
            throw new ArgumentException($"conversation_id must be at most {BookingAssistant.MaxConversationIdLength} characters.", nameof(conversationId));

        if (!MessageParser.TryParse(text, null, out var parsed, out var failure))
            logger.LogWarning("A message for customer {CustomerId} could not be read ({Failure}); it is answered as not understood", customerId, failure!.GetType().Name);
        var previous = await conversations.GetAsync(customerId, conversationId, cancellationToken);
        var language = parsed.Language ?? previous?.Language ?? Language.Spanish;
        var state = (previous ?? new ConversationState(language)) with { Language = language };

        // While the endpoint is known to be failing, the customer gets the rules' answer without waiting for it.
        if (breaker.IsPaused) return await FallBackAsync(customerId, conversationId, text, rules, cancellationToken);

        LlmTurn? turn = null;
        (AssistantReply Reply, ConversationState Next) answer;
        using (var deadline = new CancellationTokenSource(settings.Timeout, time))
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                await using var session = calendar.OpenSession(customerId);
                var company = await session.GetCurrentTimeAsync(budget.Token);
                var serverTools = await session.ListToolsAsync(budget.Token);
                // Writes get the caller's token, not the budget: a booking under way finishes (bounded by the adapter's
                // write attempts, each above the MCP server's own budget) rather than being cut off with its outcome
                // unknown; an outcome still unknown is told to the customer as such, never as a failure.
                turn = new LlmTurn(customerId, conversationId, text, parsed, state, session, company, cancellationToken);
                var options = new ChatOptions
                {
                    Tools = turn.Tools(serverTools),
                    ToolMode = ChatToolMode.Auto,
                    // No parallel_tool_calls flag: not every OpenAI-compatible server accepts it, and calls run one by one anyway.
                    MaxOutputTokens = settings.MaxOutputTokens,
                };
                var response = await chatClient.GetResponseAsync(LlmPrompt.Messages(state, company, text), options, budget.Token);
                breaker.Succeeded();
                if (turn.Outcome is null && turn.YesToPendingProposal)
                    throw new LlmTurnFailedException("the model did not act on the customer's yes");
                answer = turn.Outcome ?? ModelAnswer(response, parsed, state);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (turn?.Outcome is { } decided)
            {
                // A write or proposal finished before the failure: its reply stands, the model's last words are not needed.
                logger.LogWarning("LLM mode for customer {CustomerId} failed after its reply was decided ({Failure})", customerId, Describe(ex));
                answer = decided;
            }
            catch (Exception ex)
            {
                logger.LogWarning("LLM mode for customer {CustomerId} failed ({Failure}); the rule-based assistant answers this message",
                    customerId, Describe(ex));
                if (ex is not (LlmTurnFailedException or McpCalendarException) && breaker.Failed())
                    logger.LogWarning("The model endpoint failed {Failures} times in a row: the rule-based assistant answers every message for the next {Seconds} s",
                        ModelEndpointBreaker.FailuresToOpen, (int)ModelEndpointBreaker.PauseFor.TotalSeconds);
                return await FallBackAsync(customerId, conversationId, text, rules, cancellationToken);
            }
        }

        if (turn.RefusedWrites > 0)
            logger.LogWarning("LLM mode for customer {CustomerId}: {Count} write(s) without the customer's confirmation were refused", customerId, turn.RefusedWrites);
        var (reply, next) = answer;
        next = next with { Llm = (next.Llm ?? new LlmMemory()).Remember(text, reply.Reply) };
        // Not the caller's token: once a booking is made, forgetting it because the client hung up would be worse.
        await conversations.SetAsync(customerId, conversationId, next, CancellationToken.None);
        return reply with { Outcome = AssistantOutcomes.Of(state, next, reply) };
    }

    /// <summary>The model's own text reply, when no proposal or write decided the reply.</summary>
    private (AssistantReply, ConversationState) ModelAnswer(ChatResponse response, ParsedMessage parsed, ConversationState state)
    {
        // The invoker stops after MaxToolRounds; a call left unanswered means the model never got to an answer.
        var answered = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet();
        if (response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any(c => !answered.Contains(c.CallId)))
            throw new LlmTurnFailedException("too many tool rounds");
        var text = response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Text.Trim();
        if (string.IsNullOrEmpty(text)) throw new LlmTurnFailedException("empty reply");

        // A proposal is confirmed in the very next message or not at all: talking about something else drops it.
        var next = state.NothingPending();
        return (new AssistantReply(Bound(text), state.Language.Code(), parsed.Intent.Code(), null, null, null, []), next);
    }

    private async Task<AssistantReply> FallBackAsync(string customerId, string conversationId, string? text, RuleBasedReply rules,
        CancellationToken cancellationToken)
    {
        var reply = await rules(customerId, conversationId, text, cancellationToken);
        // The rules saved their state; add the exchange to the model's memory so it knows, next time, what was said.
        if (await conversations.GetAsync(customerId, conversationId, CancellationToken.None) is { } after)
        {
            var memory = (after.Llm ?? new LlmMemory()).Remember(text, reply.Reply);
            await conversations.SetAsync(customerId, conversationId, after with { Llm = memory }, CancellationToken.None);
        }
        return reply;
    }

    /// <summary>The model's text cut to <see cref="LlmOptions.MaxReplyCharacters"/>, at a word when there is one.</summary>
    private string Bound(string text)
    {
        if (text.Length <= settings.MaxReplyCharacters) return text;
        var cut = text[..settings.MaxReplyCharacters];
        var space = cut.LastIndexOf(' ');
        return (space > settings.MaxReplyCharacters / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }

    /// <summary>
    /// The kind of failure, for the operator: the exception type and HTTP status, never its message (a provider's
    /// error body may quote the request, and so the customer's text).
    /// </summary>
    private static string Describe(Exception ex) => ex switch
    {
        LlmTurnFailedException failed => failed.Message,
        ClientResultException result => $"HTTP {result.Status} from the model endpoint",
        OperationCanceledException => "timed out",
        HttpRequestException http => $"endpoint unreachable ({http.HttpRequestError})",
        McpCalendarException => "MCP calendar unavailable",
        _ => $"{ex.GetType().Name} (unreadable model answer or tool failure)",
    };

    public void Dispose()
    {
        chatClient.Dispose();
        httpClient.Dispose();
    }

    /// <summary>With no key configured, nothing is sent: some servers refuse any Authorization they do not expect.</summary>
    private sealed class DropPlaceholderKey : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization?.Parameter == NoKeyPlaceholder) request.Headers.Authorization = null;
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The model answered, but not with something the customer can be given.</summary>
internal sealed class LlmTurnFailedException(string message) : Exception(message);
