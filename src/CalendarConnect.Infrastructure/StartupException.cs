namespace CalendarConnect.Infrastructure;

/// <summary>A start-up failure whose message is one complete line, safe to print as it is (it names the setting to fix).</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
