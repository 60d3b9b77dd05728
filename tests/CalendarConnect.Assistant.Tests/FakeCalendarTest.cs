using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// A test of the rule-based assistant against its own fake MCP calendar server on loopback (a fresh one per test,
/// so no test sees another's bookings). Today, for the assistant, is the fake server's Wednesday 15 January 2025.
/// </summary>
public abstract class FakeCalendarTest : IAsyncLifetime
{
    protected const string Company = "empresa-abc-123";

    protected FakeCalendarServer Server { get; private set; } = null!;

    protected ServiceProvider Services { get; private set; } = null!;

    protected BookingAssistant Assistant => Services.GetRequiredService<BookingAssistant>();

    protected FakeCalendar Calendar => Server.Calendar;

    /// <summary>The clock of the MCP calls' timeouts; the system's unless a test class controls it.</summary>
    protected virtual TimeProvider? Time => null;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeCalendarServer.StartAsync();
        Services = AssistantHost.Build(Server.BaseUrl, time: Time);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>One customer message, answered as the backend would answer it.</summary>
    protected Task<AssistantReply> Say(string text, string conversation = "conv-1", string customer = Company) =>
        Assistant.ReplyAsync(customer, conversation, text, TestContext.Current.CancellationToken);
}
