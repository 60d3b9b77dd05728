namespace CalendarConnect.GoogleEmulator;

/// <summary>The emulator's out-of-the-box configuration; the AppHost uses the same values to configure the app.</summary>
public static class EmulatorDefaults
{
    public const int Port = 60001;
    public const string ClientId = "calendarconnect-demo.apps.googleusercontent.com";
    public const string ClientSecret = "calendarconnect-demo-secret";
    public const string CalendarScope = "https://www.googleapis.com/auth/calendar";
}
