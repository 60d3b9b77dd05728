using CalendarConnect.Assistant;
using CalendarConnect.Assistant.Llm;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.AssistantEvaluation.Running;

/// <summary>
/// The assistant as the backend hosts it (<c>AddBookingAssistant</c>, the real MCP client) talking to the real MCP
/// server and the Google emulator, all in this process (<see cref="SystemHarness"/>), with the MCP server's clock
/// standing at <see cref="Scenario.Now"/> and the company of the <see cref="Scenario"/> connected and set up.
/// One system serves every case; each case is a new conversation.
/// </summary>
public sealed class EvaluatedSystem : IAsyncDisposable
{
    public const string RulesMode = "rules";

    /// <summary>Checks the calendar, as most cases do, and writes nothing.</summary>
    private const string WarmUpMessage = "¿hay turno mañana a las 9?";

    private readonly SystemHarness harness;
    private readonly ServiceProvider assistantServices;

    private EvaluatedSystem(SystemHarness harness, ServiceProvider assistantServices, CompanyCalendar calendar, string mode)
    {
        this.harness = harness;
        this.assistantServices = assistantServices;
        Assistant = assistantServices.GetRequiredService<BookingAssistant>();
        Calendar = calendar;
        Mode = mode;
    }

    public BookingAssistant Assistant { get; }

    /// <summary>The company's Google calendar, to see what a case booked, moved or cancelled.</summary>
    public CompanyCalendar Calendar { get; }

    /// <summary><see cref="RulesMode"/>, or "LLM (model)" when <c>ASSISTANT_LLM_ENDPOINT</c> is set.</summary>
    public string Mode { get; }

    /// <param name="llmSettings">
    /// The operator's <c>ASSISTANT_LLM_*</c> settings (see <see cref="LlmOptions"/>); the LLM mode is evaluated when they
    /// name an endpoint, the rule mode otherwise.
    /// </param>
    /// <exception cref="OptionsValidationException">The LLM settings are not usable; the message names the variable.</exception>
    public static async Task<EvaluatedSystem> StartAsync(IReadOnlyDictionary<string, string?> llmSettings)
    {
        var harness = await SystemHarness.StartAsync(new FakeTimeProvider(Scenario.Now));
        ServiceProvider? services = null;
        try
        {
            await harness.ConnectCompanyAsync(Scenario.CustomerId, Scenario.Email, Scenario.Name, Scenario.TimeZone);
            await harness.PutBookingSettingsAsync(Scenario.CustomerId, Scenario.BookingSettings);
            foreach (var busy in Scenario.Busy)
                await harness.AddEventAsync(Scenario.Email, busy.Id, Expectation.Iso(busy.Date), Expectation.Hhmm(busy.From), Expectation.Hhmm(busy.To), Scenario.TimeZone);

            var settings = new Dictionary<string, string?>(llmSettings.Where(s => s.Key.StartsWith("ASSISTANT_LLM_", StringComparison.Ordinal)))
            {
                [McpCalendarOptions.ServerUrlKey] = harness.Mcp.BaseAddress.ToString(),
                [McpCalendarOptions.ApiKeyKey] = harness.ApiKey,
            };
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            services = new ServiceCollection()
                .AddLogging(l => l.ClearProviders())
                .AddBookingAssistant(configuration)
                .BuildServiceProvider();
            // A host would check these at start-up (ValidateOnStart); without one, reading them checks them now.
            _ = services.GetRequiredService<IOptions<McpCalendarOptions>>().Value;
            var llm = services.GetRequiredService<IOptions<LlmOptions>>().Value;
            var calendar = await CompanyCalendar.OpenAsync(harness, services.GetRequiredService<ICalendarAdapter>());
            var system = new EvaluatedSystem(harness, services, calendar, llm.Enabled ? $"LLM ({llm.Model})" : RulesMode);
            // The first message pays for compiling and connecting once; latency is measured per message after it.
            await system.Assistant.ReplyAsync(Scenario.CustomerId, "corpus-warm-up", WarmUpMessage);
            return system;
        }
        catch
        {
            if (services is not null) await services.DisposeAsync();
            await harness.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Calendar.Dispose();
        await assistantServices.DisposeAsync();
        await harness.DisposeAsync();
    }
}
