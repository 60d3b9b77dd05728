using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Conversations stored before topics existed (flags and ids side by side, as the backend's database holds them) resume
/// on the topic they meant; the current shape round-trips.
/// </summary>
public class StoredConversationTests : FakeCalendarTest
{
    private const string ProposalJson = """{"start":"2025-01-16T15:00:00-03:00","duration_minutes":60}""";
    private const string AppointmentsJson = """[{"event_id":"evt-1","start":"2025-01-16T15:00:00"},{"event_id":"evt-2","start":"2025-01-17T10:00:00"}]""";

    private static readonly ProposedAppointment Proposal = new(new LocalDateTime(2025, 1, 16, 15, 0).WithOffset(Offset.FromHours(-3)), 60);

    /// <summary>Each old shape, as the backend stored it, and the topic it was about.</summary>
    public static TheoryData<string, Topic> OldShapes => new()
    {
        { "{}", Idle.Instance },
        { """{"language":"spanish","pending_date":"2025-01-16","pending_time":"15:00:00"}""", Idle.Instance },
        { $$"""{"language":"spanish","pending_date":"2025-01-16","pending_time":"15:00:00","proposal":{{ProposalJson}}}""", new Proposing(Proposal) },
        { $$"""{"language":"spanish","proposal":{{ProposalJson}},"awaiting_name":true}""", new AwaitingName(Proposal) },
        { $$"""{"language":"spanish","appointments":{{AppointmentsJson}},"cancel_event_id":"evt-2"}""", new ConfirmingCancellation("evt-2") },
        { $$"""{"language":"spanish","appointments":{{AppointmentsJson}},"proposal":{{ProposalJson}},"move_event_id":"evt-2"}""", new Proposing(Proposal, "evt-2") },
        { $$"""{"language":"spanish","appointments":{{AppointmentsJson}},"move_event_id":"evt-2"}""", new Moving("evt-2") },
        { $$"""{"language":"spanish","appointments":{{AppointmentsJson}},"choosing_appointment_to_move":true}""", new ChoosingAppointment(AppointmentAction.Move) },
        { $$"""{"language":"spanish","appointments":{{AppointmentsJson}},"choosing_appointment_to_cancel":true}""", new ChoosingAppointment(AppointmentAction.Cancel) },
        { """{"language":"spanish","pending_date":"2025-01-16","offered":["2025-01-16T14:00:00","2025-01-17T09:00:00"]}""",
            new OfferingChoices([new LocalDateTime(2025, 1, 16, 14, 0), new LocalDateTime(2025, 1, 17, 9, 0)]) },
        { $$"""{"language":"spanish","appointments":{{AppointmentsJson}},"move_event_id":"evt-1","offered":["2025-01-16T16:00:00"]}""",
            new OfferingChoices([new LocalDateTime(2025, 1, 16, 16, 0)], "evt-1") },
        { """{"language":"english","pending_date":"2025-01-16","pending_time":"09:00:00","pending_time_needs_meridiem":true,"llm":{"exchanges":[],"move":{"event_id":"evt-1","new_start":"2025-01-16T15:00:00-03:00"}}}""", Idle.Instance },
    };

    [Theory]
    [MemberData(nameof(OldShapes))]
    public void A_conversation_stored_in_the_old_shape_resumes_on_the_same_topic(string json, Topic topic)
    {
        var state = ConversationStateJson.Deserialize(json);

        Assert.Equal(Describe(topic), Describe(state.Topic));
    }

    [Fact]
    public void The_old_shape_keeps_what_outlives_a_topic()
    {
        var state = ConversationStateJson.Deserialize($$$"""
            {"language":"english","pending_date":"2025-01-16","pending_time":"09:00:00","pending_time_needs_meridiem":true,"pending_period":"morning",
             "person_name":"Ana","appointments":{{{AppointmentsJson}}},"bookings_made":3,"llm":{"exchanges":[{"customer":"hi","assistant":"Hello"}]}}
            """);

        Assert.Equal(Language.English, state.Language);
        Assert.Equal(new DiscussedTime(new LocalDate(2025, 1, 16), new LocalTime(9, 0), PartOfDay.Morning, TimeAmbiguous: true), state.Discussed);
        Assert.Equal(("Ana", 2, 3), (state.PersonName, state.Booked.Count, state.BookingsMade));
        Assert.Equal("hi", Assert.Single(state.Llm!.History).Customer);
    }

    [Fact]
    public void A_proposal_stored_without_its_day_still_has_the_day_to_follow_up_on()
    {
        var state = ConversationStateJson.Deserialize($$"""{"proposal":{{ProposalJson}}}""");

        Assert.Equal(new LocalDate(2025, 1, 16), state.Discussed.Date);
    }

    public static TheoryData<Topic> Topics => new()
    {
        Idle.Instance,
        new Idle(JustBooked: "evt-1"),
        new Proposing(Proposal),
        new Proposing(Proposal, "evt-2"),
        new AwaitingName(Proposal),
        new OfferingChoices([new LocalDateTime(2025, 1, 16, 14, 0)], "evt-1"),
        new OfferingChoices([]),
        new ChoosingAppointment(AppointmentAction.Cancel),
        new Moving("evt-1"),
        new ConfirmingCancellation("evt-2"),
    };

    [Theory]
    [MemberData(nameof(Topics))]
    public void Every_topic_round_trips(Topic topic)
    {
        var state = new ConversationState(Language.English)
        {
            Topic = topic,
            Discussed = new DiscussedTime(new LocalDate(2025, 1, 16), new LocalTime(9, 0), PartOfDay.Morning, true, new TimeRange(new(9, 0), new(12, 0))),
            PersonName = "Ana",
            Appointments = [new RememberedAppointment("evt-1", new LocalDateTime(2025, 1, 16, 15, 0))],
            BookingsMade = 1,
        };

        var json = ConversationStateJson.Serialize(state);
        var back = ConversationStateJson.Deserialize(json);

        Assert.Equal(Describe(topic), Describe(back.Topic));
        Assert.Equal(state.Discussed, back.Discussed);
        Assert.Equal((state.PersonName, state.BookingsMade), (back.PersonName, back.BookingsMade));
        Assert.Equal(state.Booked, back.Booked);
        Assert.Contains("\"kind\"", json);
    }

    [Fact]
    public async Task A_proposal_stored_in_the_old_shape_is_booked_by_the_yes()
    {
        await StoreAsync($$"""{"language":"spanish","pending_date":"2025-01-16","pending_time":"15:00:00","proposal":{{ProposalJson}},"person_name":"Ana"}""");

        var reply = await Say("sí");

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", reply.Reply);
    }

    [Fact]
    public async Task A_name_asked_in_the_old_shape_is_taken_as_the_name()
    {
        await StoreAsync($$"""{"language":"spanish","proposal":{{ProposalJson}},"awaiting_name":true}""");

        var reply = await Say("Ana");

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", reply.Reply);
    }

    [Fact]
    public async Task Times_offered_in_the_old_shape_can_be_picked()
    {
        await StoreAsync("""{"language":"spanish","pending_date":"2025-01-16","offered":["2025-01-16T14:00:00","2025-01-16T16:00:00"]}""");

        var reply = await Say("la segunda");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    private Task StoreAsync(string json) =>
        Services.GetRequiredService<IConversationStore>()
            .SetAsync(Company, "conv-1", ConversationStateJson.Deserialize(json), TestContext.Current.CancellationToken).AsTask();

    /// <summary>Records holding lists compare them by reference; their JSON compares them by content.</summary>
    private static string Describe(Topic topic) => System.Text.Json.JsonSerializer.Serialize(topic, JsonForComparison);

    private static readonly System.Text.Json.JsonSerializerOptions JsonForComparison =
        NodaTime.Serialization.SystemTextJson.Extensions.ConfigureForNodaTime(new System.Text.Json.JsonSerializerOptions(), DateTimeZoneProviders.Tzdb);
}
