using System.Net;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using CalendarConnect.Backend.Assistant;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// Conversations kept in CUSTOMER_DB (table assistant_conversations) on both engines: a restart or another replica
/// continues a pending confirmation, concurrent messages of one conversation lose nothing, old ones are deleted.
/// </summary>
public class ConversationPersistenceTests
{
    private const string Book = "Quiero reservar para mañana a las 3 PM";

    public static TheoryData<string> BothEngines => [Engines.Sqlite, Engines.PostgreSql];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task A_restart_between_yes_and_the_name_keeps_the_pending_booking(string engine)
    {
        await using var h = await ChannelHarness.StartAsync(engine);
        await h.AddCompanyAsync();
        var first = h.Server;
        using (var client = first.CreateClient())
        {
            Assert.Contains("disponible", await ChannelHarness.SayAsync(client, "c-restart", Book));
            Assert.Contains("nombre", await ChannelHarness.SayAsync(client, "c-restart", "Sí"));
        }
        await h.StopAsync(first);

        await h.StartBackendAsync();
        using var again = h.Server.CreateClient();
        var done = await ChannelHarness.SayAsync(again, "c-restart", "Ana");
        Assert.StartsWith("Listo", done);
        var booked = Assert.Single(h.Calendar.Events.Values);
        Assert.Equal("Ana", booked.Name);
        Assert.Equal("2025-01-16T15:00:00", booked.Appointment.Start.LocalDateTime.ToString("yyyy-MM-ddTHH:mm:ss", null));

        // The conversation remembers the booking, so it can name and cancel it after yet another restart.
        Assert.Contains("16 de enero", await ChannelHarness.SayAsync(again, "c-restart", "¿Cuándo es mi turno?"));
        var stored = ConversationStateJson.Deserialize((await h.StoredStateAsync(ChannelHarness.CustomerId, "c-restart"))!);
        Assert.Equal(booked.Appointment.EventId, Assert.Single(stored.Booked).EventId);
        Assert.Equal("Ana", stored.PersonName);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task A_restart_between_a_proposed_move_and_the_yes_moves_the_appointment(string engine)
    {
        await using var h = await ChannelHarness.StartAsync(engine);
        await h.AddCompanyAsync();
        var first = h.Server;
        using (var client = first.CreateClient())
        {
            await ChannelHarness.SayAsync(client, "c-move", Book);
            await ChannelHarness.SayAsync(client, "c-move", "Sí");
            Assert.StartsWith("Listo", await ChannelHarness.SayAsync(client, "c-move", "Ana"));
            Assert.Contains("¿Confirmas que cambio tu turno", await ChannelHarness.SayAsync(client, "c-move", "quiero cambiar mi turno al viernes a las 10"));
        }
        var eventId = Assert.Single(h.Calendar.Events.Keys);
        var pending = ConversationStateJson.Deserialize((await h.StoredStateAsync(ChannelHarness.CustomerId, "c-move"))!);
        Assert.Equal(eventId, pending.Topic.EventBeingMoved);
        await h.StopAsync(first);

        await h.StartBackendAsync();
        using var again = h.Server.CreateClient();
        var done = await ChannelHarness.SayAsync(again, "c-move", "sí");
        Assert.Equal("Listo, cambié tu turno: era el jueves 16 de enero a las 15:00 y ahora es el viernes 17 de enero a las 10:00. ¡Te esperamos!", done);
        var moved = Assert.Single(h.Calendar.Events);
        Assert.Equal(eventId, moved.Key);    // moved, not booked a second time
        Assert.Equal("2025-01-17T10:00:00", moved.Value.Appointment.Start.LocalDateTime.ToString("yyyy-MM-ddTHH:mm:ss", null));
        Assert.Contains("17 de enero", await ChannelHarness.SayAsync(again, "c-move", "¿Cuándo es mi turno?"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Two_messages_at_once_on_two_replicas_do_not_lose_the_booking(string engine)
    {
        await using var h = await ChannelHarness.StartAsync(engine);
        await h.AddCompanyAsync();
        var replicaA = h.Server;
        // Replica B counts its attempts to take a lease another replica holds.
        var leasesB = new CountingLeases();
        var replicaB = await h.StartBackendAsync(services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions
            .AddSingleton<IConversationLeases>(s, sp => leasesB.Wrap(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DatabaseConversationStore>(sp))));
        using var a = replicaA.CreateClient();
        using var b = replicaB.CreateClient();
        await ChannelHarness.SayAsync(a, "c-race", Book);
        await ChannelHarness.SayAsync(b, "c-race", "Sí");

        // "Ana" books on replica A and is held inside the calendar call; meanwhile "hola" arrives on replica B.
        // Without the lease B would read the pre-booking state and write it back after A, forgetting the booking.
        h.Calendar.HoldBookings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var naming = ChannelHarness.SayAsync(a, "c-race", "Ana");
        await h.Calendar.BookingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var greeting = ChannelHarness.SayAsync(b, "c-race", "hola");
        // B found the conversation leased by A (at least once) and is still waiting.
        await leasesB.Refused.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.False(greeting.IsCompleted, "the second message must wait for the first");
        h.Calendar.HoldBookings.SetResult();

        Assert.StartsWith("Listo", await naming);
        await greeting;
        var stored = ConversationStateJson.Deserialize((await h.StoredStateAsync(ChannelHarness.CustomerId, "c-race"))!);
        Assert.Single(stored.Booked);
        Assert.Equal(1, stored.BookingsMade);
        Assert.Contains("16 de enero", await ChannelHarness.SayAsync(b, "c-race", "¿Cuándo es mi turno?"));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task A_message_that_outlasts_the_lease_keeps_it_renewed(string engine)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));
        await using var h = await ChannelHarness.StartAsync(engine, services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        await ChannelHarness.SayAsync(client, "c-long", Book);
        await ChannelHarness.SayAsync(client, "c-long", "Sí");
        h.Calendar.HoldBookings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var naming = ChannelHarness.SayAsync(client, "c-long", "Ana");
        await h.Calendar.BookingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        // A minute passes while the booking is held (many times the lease's short duration): each third of it the lease
        // is renewed, and another replica can never take it.
        var (owner, until) = await h.StoredLeaseAsync(ChannelHarness.CustomerId, "c-long");
        Assert.NotNull(owner);
        var store = h.Server.GetRequiredService<DatabaseConversationStore>();
        var renewals = (int)(TimeSpan.FromMinutes(1) / ConversationTurns.RenewEvery);
        Assert.True(renewals >= 10);
        for (var i = 0; i < renewals; i++)
        {
            clock.Advance(ConversationTurns.RenewEvery);
            var expected = DatabaseConversationStore.Timestamp(clock.GetUtcNow() + ConversationTurns.LeaseDuration);
            await WaitUntilAsync(async () => (await h.StoredLeaseAsync(ChannelHarness.CustomerId, "c-long")).Until == expected);
            Assert.Equal(owner, (await h.StoredLeaseAsync(ChannelHarness.CustomerId, "c-long")).Owner);
            Assert.False(await store.TryLeaseAsync(ChannelHarness.CustomerId, "c-long", "other-replica", clock.GetUtcNow() + ConversationTurns.LeaseDuration, default));
        }

        h.Calendar.HoldBookings.SetResult();
        Assert.StartsWith("Listo", await naming);
        Assert.Single(ConversationStateJson.Deserialize((await h.StoredStateAsync(ChannelHarness.CustomerId, "c-long"))!).Booked);
        Assert.Equal((null, null), await h.StoredLeaseAsync(ChannelHarness.CustomerId, "c-long")); // released
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task A_message_whose_lease_was_taken_over_does_not_overwrite_the_new_owners_state(string engine)
    {
        await using var h = await ChannelHarness.StartAsync(engine);
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        await ChannelHarness.SayAsync(client, "c-fence", Book);
        await ChannelHarness.SayAsync(client, "c-fence", "Sí");
        h.Calendar.HoldBookings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var naming = ChannelHarness.SayAsync(client, "c-fence", "Ana");
        await h.Calendar.BookingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        // Meanwhile the lease was lost: another replica took the conversation over and wrote its state.
        var theirs = ConversationStateJson.Serialize(new ConversationState(Language.English));
        await h.ExecuteAsync("UPDATE assistant_conversations SET lease_owner = 'other-replica', lease_until = @until, state = @theirs WHERE conversation_id = 'c-fence'",
            new { until = DatabaseConversationStore.Timestamp(DateTimeOffset.UtcNow.AddHours(1)), theirs });
        h.Calendar.HoldBookings.SetResult();

        Assert.StartsWith("Listo", await naming); // the reply already decided stands
        Assert.Equal(theirs, await h.StoredStateAsync(ChannelHarness.CustomerId, "c-fence"));
        Assert.Equal("other-replica", (await h.StoredLeaseAsync(ChannelHarness.CustomerId, "c-fence")).Owner); // not released either
        Assert.Contains(h.Logs.Lines, l => l.Contains("lease") && l.Contains("was lost") && l.Contains(ChannelHarness.CustomerId));
        Assert.DoesNotContain("Ana", h.Logs.All);
        Assert.DoesNotContain("c-fence", h.Logs.All);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!await condition()) await Task.Delay(10, timeout.Token); // a poll of the condition, not a wait for time to pass
    }

    /// <summary>Counts refused attempts to take a lease (another replica holds it).</summary>
    private sealed class CountingLeases
    {
        public TaskCompletionSource Refused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IConversationLeases Wrap(IConversationLeases inner) => new Wrapper(inner, this);

        private sealed class Wrapper(IConversationLeases inner, CountingLeases counts) : IConversationLeases
        {
            public async Task<bool> TryLeaseAsync(string customerId, string conversationId, string owner, DateTimeOffset until, CancellationToken cancellationToken)
            {
                var taken = await inner.TryLeaseAsync(customerId, conversationId, owner, until, cancellationToken);
                if (!taken) counts.Refused.TrySetResult();
                return taken;
            }

            public Task<bool> RenewLeaseAsync(string customerId, string conversationId, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
                inner.RenewLeaseAsync(customerId, conversationId, owner, until, cancellationToken);

            public Task ReleaseLeaseAsync(string customerId, string conversationId, string owner) => inner.ReleaseLeaseAsync(customerId, conversationId, owner);
        }
    }

    [Fact]
    public async Task Concurrent_messages_in_one_process_are_answered_one_after_another()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        await ChannelHarness.SayAsync(client, "c-local", Book);
        await ChannelHarness.SayAsync(client, "c-local", "Sí");
        h.Calendar.HoldBookings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var naming = ChannelHarness.SayAsync(client, "c-local", "Ana");
        await h.Calendar.BookingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var others = Enumerable.Range(0, 5).Select(_ => ChannelHarness.SayAsync(client, "c-local", "hola")).ToList();
        // Another conversation is not held up by this one.
        Assert.Contains("disponible", await ChannelHarness.SayAsync(client, "c-other", Book));
        h.Calendar.HoldBookings.SetResult();
        await naming;
        await Task.WhenAll(others);
        var stored = ConversationStateJson.Deserialize((await h.StoredStateAsync(ChannelHarness.CustomerId, "c-local"))!);
        Assert.Single(stored.Booked);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Unreadable_stored_state_starts_afresh_and_the_log_holds_no_content(string engine)
    {
        await using var h = await ChannelHarness.StartAsync(engine);
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        await ChannelHarness.SayAsync(client, "c-broken", Book);
        await h.ExecuteAsync("UPDATE assistant_conversations SET state = @state WHERE conversation_id = 'c-broken'",
            new { state = """{"language":"klingon","person_name":"Secreto Pérez"}""" });

        var reply = await ChannelHarness.SayAsync(client, "c-broken", "Sí");
        Assert.DoesNotContain("nombre", reply); // no proposal survived, so "sí" is not a confirmation
        Assert.Contains(h.Logs.Lines, l => l.Contains("could not be read") && l.Contains(ChannelHarness.CustomerId));
        Assert.DoesNotContain("Secreto", h.Logs.All);
        Assert.DoesNotContain("klingon", h.Logs.All);
        // The fresh state replaced it.
        Assert.NotNull(ConversationStateJson.TryDeserialize((await h.StoredStateAsync(ChannelHarness.CustomerId, "c-broken"))!));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Conversations_idle_past_the_retention_are_deleted_and_recent_ones_kept(string engine)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));
        await using var h = await ChannelHarness.StartAsync(engine, new Dictionary<string, string?> { [AssistantChannelOptions.RetentionVariable] = "30" },
            services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(services, clock));
        await h.AddCompanyAsync();
        var store = h.Server.GetRequiredService<DatabaseConversationStore>();
        await store.SetAsync(ChannelHarness.CustomerId, "old", new ConversationState(Language.Spanish));
        clock.Advance(TimeSpan.FromDays(20));
        await store.SetAsync(ChannelHarness.CustomerId, "recent", new ConversationState(Language.English));
        clock.Advance(TimeSpan.FromDays(11));

        // The housekeeping service runs on the same (fake) clock and may have deleted it already.
        Assert.InRange(await store.PruneAsync(), 0, 1);
        Assert.Null(await store.GetAsync(ChannelHarness.CustomerId, "old"));
        Assert.Equal(Language.English, (await store.GetAsync(ChannelHarness.CustomerId, "recent"))!.Language);

        // WhatsApp message ids are kept past Meta's 7-day redelivery window, then dropped.
        var received = h.Server.GetRequiredService<CalendarConnect.Backend.WhatsApp.WhatsAppReceivedMessages>();
        Assert.True(await received.TryRecordAsync("wamid.old", default));
        clock.Advance(TimeSpan.FromDays(7));
        await received.PruneAsync(default);
        Assert.False(await received.TryRecordAsync("wamid.old", default));
        clock.Advance(TimeSpan.FromDays(2));
        await received.PruneAsync(default);
        Assert.True(await received.TryRecordAsync("wamid.old", default));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task A_lease_left_by_a_crashed_replica_expires(string engine)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));
        await using var h = await ChannelHarness.StartAsync(engine, services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        await h.AddCompanyAsync();
        var store = h.Server.GetRequiredService<DatabaseConversationStore>();
        Assert.True(await store.TryLeaseAsync(ChannelHarness.CustomerId, "c-lease", "crashed", clock.GetUtcNow() + ConversationTurns.LeaseDuration, default));
        Assert.False(await store.TryLeaseAsync(ChannelHarness.CustomerId, "c-lease", "other", clock.GetUtcNow() + ConversationTurns.LeaseDuration, default));
        clock.Advance(ConversationTurns.LeaseDuration + TimeSpan.FromSeconds(1));
        using var client = h.Server.CreateClient();
        Assert.Contains("disponible", await ChannelHarness.SayAsync(client, "c-lease", Book));
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task A_conversation_left_by_a_replica_killed_mid_message_is_answered_by_another_within_seconds(string engine)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));
        await using var h = await ChannelHarness.StartAsync(engine, services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        await h.AddCompanyAsync();
        var leases = new CountingLeases();
        var survivor = await h.StartBackendAsync(services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions
            .AddSingleton<IConversationLeases>(s, sp => leases.Wrap(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DatabaseConversationStore>(sp))));
        // The killed replica took the conversation's lease, as it does for every message, and never renewed or released it.
        var store = survivor.GetRequiredService<DatabaseConversationStore>();
        Assert.True(await store.TryLeaseAsync(ChannelHarness.CustomerId, "c-killed", "killed-replica", clock.GetUtcNow() + ConversationTurns.LeaseDuration, default));

        using var client = survivor.CreateClient();
        var answering = ChannelHarness.SayAsync(client, "c-killed", Book);
        await leases.Refused.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.False(answering.IsCompleted, "the message waits while the lease is unexpired");

        // "Within seconds": ten of them after the replica died, the other replica has taken the conversation over.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains("disponible", await answering);
        Assert.Equal((null, null), await h.StoredLeaseAsync(ChannelHarness.CustomerId, "c-killed")); // released by the survivor
    }

    [Fact]
    public async Task The_backend_uses_the_database_store()
    {
        await using var h = await ChannelHarness.StartAsync();
        Assert.IsType<DatabaseConversationStore>(h.Server.GetRequiredService<IConversationStore>());
    }
}
