namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>The one OAuth client registered with this emulated Google (a web-application client).</summary>
public sealed record RegisteredClient(string ClientId, string ClientSecret);
