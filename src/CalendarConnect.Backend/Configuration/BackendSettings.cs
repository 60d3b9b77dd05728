using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Infrastructure;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Configuration;

/// <summary>
/// Every setting of the backend, bound by the configuration binder from its environment-variable names, each read once,
/// and validated once at start-up by <see cref="BackendSettingsValidator"/>: each failure is one line that names the
/// variable to fix. The features read them as typed options made from these (<see cref="BackendSettingsRegistration"/>).
/// MCP_SERVER_URL, MCP_API_KEY and ASSISTANT_LLM_* are the assistant library's (its McpCalendarOptions and LlmOptions,
/// bound by attribute the same way); the backend's MCP client uses the assistant's McpCalendarOptions.
/// </summary>
public sealed class BackendSettings : IValidatableObject
{
    public const int DefaultPort = 8000;
    public const string PortVariable = "BACKEND_PORT";

    private static readonly WholeNumberSetting PortNumber = new(PortVariable, 0, 65535);
    private static readonly WholeNumberSetting SessionIdleMinutes = new(AdminSessionOptions.IdleVariable, 5, 7 * 24 * 60);
    private static readonly WholeNumberSetting SessionLifetimeHours = new(AdminSessionOptions.LifetimeVariable, 1, 90 * 24);
    private static readonly WholeNumberSetting RateLimitPerClient = new(AssistantChannelOptions.PerClientVariable, 1, 100_000);
    private static readonly WholeNumberSetting RateLimitPerConversation = new(AssistantChannelOptions.PerConversationVariable, 1, 10_000);
    private static readonly WholeNumberSetting RateLimitPerCompany = new(AssistantChannelOptions.PerCompanyVariable, 1, 1_000_000);
    private static readonly WholeNumberSetting RetentionDays = new(AssistantChannelOptions.RetentionVariable, 1, 3650);

    /// <summary>BACKEND_PORT as given; read through <see cref="Port"/>.</summary>
    [ConfigurationKeyName(PortVariable)]
    public string? BackendPort { get; set; }

    [ConfigurationKeyName(DataDirectory.Variable)]
    public string? DataDir { get; set; }

    /// <summary>CUSTOMER_DB; when blank, <c>customers.db</c> in DATA_DIR.</summary>
    [ConfigurationKeyName(CustomerDatabaseOptions.Variable)]
    public string? CustomerDb { get; set; }

    [ConfigurationKeyName(AdminOptions.UserVariable)]
    public string? AdminUser { get; set; }

    /// <summary>As written: a password may begin or end with a space.</summary>
    [ConfigurationKeyName(AdminOptions.PasswordVariable)]
    public string? AdminPassword { get; set; }

    [ConfigurationKeyName(AdminOptions.ApiKeyVariable)]
    public string? AdminApiKey { get; set; }

    [ConfigurationKeyName(AdminSessionOptions.IdleVariable)]
    public string? AdminSessionIdleMinutes { get; set; }

    [ConfigurationKeyName(AdminSessionOptions.LifetimeVariable)]
    public string? AdminSessionLifetimeHours { get; set; }

    [ConfigurationKeyName(SharedKeyRingOptions.Variable)]
    public string? DataProtectionKey { get; set; }

    [ConfigurationKeyName(TrustedProxiesOptions.Variable)]
    public string? TrustedProxies { get; set; }

    [ConfigurationKeyName(AssistantChannelOptions.PerClientVariable)]
    public string? AssistantRateLimitPerIp { get; set; }

    [ConfigurationKeyName(AssistantChannelOptions.PerConversationVariable)]
    public string? AssistantRateLimitPerConversation { get; set; }

    [ConfigurationKeyName(AssistantChannelOptions.PerCompanyVariable)]
    public string? AssistantRateLimitPerCompany { get; set; }

    [ConfigurationKeyName(AssistantChannelOptions.RetentionVariable)]
    public string? AssistantConversationRetentionDays { get; set; }

    [ConfigurationKeyName(WhatsAppOptions.VerifyTokenVariable)]
    public string? WhatsAppVerifyToken { get; set; }

    [ConfigurationKeyName(WhatsAppOptions.AppSecretVariable)]
    public string? WhatsAppAppSecret { get; set; }

    [ConfigurationKeyName(WhatsAppOptions.AccessTokenVariable)]
    public string? WhatsAppAccessToken { get; set; }

    [ConfigurationKeyName(WhatsAppOptions.ApiBaseVariable)]
    public string? WhatsAppApiBase { get; set; }

    /// <summary>BACKEND_PORT: where the backend listens on localhost (unless ASP.NET Core's <c>urls</c> says otherwise).</summary>
    public int Port => PortNumber.Read(BackendPort) ?? DefaultPort;

    public CustomerDatabaseOptions Apply(CustomerDatabaseOptions options)
    {
        options.Setting = NonEmpty(CustomerDb) ?? DataDirectory.DefaultFile(DataDir, CustomerDatabaseOptions.DefaultFileName);
        return options;
    }

    public AdminOptions Apply(AdminOptions options)
    {
        if (NonEmpty(AdminUser) is { } user) options.User = user;
        options.Password = AdminPassword ?? "";
        options.ApiKeys = AdminOptions.ParseApiKeys(AdminApiKey);
        return options;
    }

    public AdminSessionOptions Apply(AdminSessionOptions options)
    {
        if (SessionIdleMinutes.Read(AdminSessionIdleMinutes) is { } minutes) options.IdleTimeout = TimeSpan.FromMinutes(minutes);
        if (SessionLifetimeHours.Read(AdminSessionLifetimeHours) is { } hours) options.Lifetime = TimeSpan.FromHours(hours);
        return options;
    }

    public SharedKeyRingOptions Apply(SharedKeyRingOptions options)
    {
        options.Keys = SharedKeyRingOptions.Parse(DataProtectionKey);
        return options;
    }

    /// <summary>The addresses and networks of TRUSTED_PROXIES (an entry that cannot be read is left out; the validator reports it).</summary>
    public TrustedProxiesOptions Apply(TrustedProxiesOptions options)
    {
        TrustedProxiesOptions.Read(TrustedProxies, options);
        return options;
    }

    public AssistantChannelOptions Apply(AssistantChannelOptions options)
    {
        if (RateLimitPerClient.Read(AssistantRateLimitPerIp) is { } perClient) options.MessagesPerMinutePerClient = perClient;
        if (RateLimitPerConversation.Read(AssistantRateLimitPerConversation) is { } perConversation) options.MessagesPerMinutePerConversation = perConversation;
        if (RateLimitPerCompany.Read(AssistantRateLimitPerCompany) is { } perCompany) options.MessagesPerMinutePerCompany = perCompany;
        if (RetentionDays.Read(AssistantConversationRetentionDays) is { } days) options.ConversationRetention = TimeSpan.FromDays(days);
        return options;
    }

    public WhatsAppOptions Apply(WhatsAppOptions options)
    {
        options.VerifyToken = NonEmpty(WhatsAppVerifyToken) ?? "";
        options.AppSecret = NonEmpty(WhatsAppAppSecret) ?? "";
        options.AccessToken = NonEmpty(WhatsAppAccessToken) ?? "";
        if (NonEmpty(WhatsAppApiBase) is { } apiBase) options.ApiBase = apiBase;
        return options;
    }

    /// <summary>The whole-number checks here; the rules of each feature are its options' own, run on what these settings make.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var numbers = new[]
        {
            PortNumber.Problem(BackendPort),
            SessionIdleMinutes.Problem(AdminSessionIdleMinutes), SessionLifetimeHours.Problem(AdminSessionLifetimeHours),
            RateLimitPerClient.Problem(AssistantRateLimitPerIp), RateLimitPerConversation.Problem(AssistantRateLimitPerConversation),
            RateLimitPerCompany.Problem(AssistantRateLimitPerCompany), RetentionDays.Problem(AssistantConversationRetentionDays),
        };
        // Two session lengths compared only when both could be read.
        var sessions = SessionIdleMinutes.Problem(AdminSessionIdleMinutes) is null && SessionLifetimeHours.Problem(AdminSessionLifetimeHours) is null ? Apply(new AdminSessionOptions()).Problem() : null;
        IEnumerable<string?> problems =
        [
            Apply(new CustomerDatabaseOptions()).Problem(),
            Apply(new AdminOptions()).Problem(),
            Apply(new SharedKeyRingOptions()).Problem(),
            .. TrustedProxiesOptions.Read(TrustedProxies, new TrustedProxiesOptions()),
            .. numbers,
            sessions,
            .. Apply(new WhatsAppOptions()).Problems(),
        ];
        return problems.OfType<string>().Select(p => new ValidationResult(p));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A setting that is a whole number within [<paramref name="Min"/>, <paramref name="Max"/>]; blank means the feature's default.</summary>
    private sealed record WholeNumberSetting(string Variable, int Min, int Max)
    {
        /// <summary>The number, or null when blank or unreadable (then <see cref="Problem"/> says so).</summary>
        public int? Read(string? text) =>
            NonEmpty(text) is { } given && int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= Min && value <= Max
                ? value
                : null;

        public string? Problem(string? text) =>
            NonEmpty(text) is not null && Read(text) is null ? $"{Variable} must be a whole number from {Min} to {Max}." : null;
    }
}

/// <summary>Start-up validation of <see cref="BackendSettings"/>, generated from its checks.</summary>
[OptionsValidator]
public sealed partial class BackendSettingsValidator : IValidateOptions<BackendSettings>;

public static class BackendSettingsRegistration
{
    /// <summary>
    /// Binds <see cref="BackendSettings"/> from <paramref name="configuration"/>, to be validated when the host starts,
    /// and makes each feature's options from them (tests may still change those options, e.g. WhatsApp's retry delays).
    /// </summary>
    public static IServiceCollection AddBackendSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<BackendSettings>, BackendSettingsValidator>();
        services.AddOptions<BackendSettings>().Bind(configuration).ValidateOnStart();
        services.AddOptions<CustomerDatabaseOptions>().FromBackendSettings((s, o) => s.Apply(o));
        services.AddOptions<AdminOptions>().FromBackendSettings((s, o) => s.Apply(o));
        services.AddOptions<AdminSessionOptions>().FromBackendSettings((s, o) => s.Apply(o));
        services.AddOptions<SharedKeyRingOptions>().FromBackendSettings((s, o) => s.Apply(o));
        services.AddOptions<TrustedProxiesOptions>().FromBackendSettings((s, o) => s.Apply(o));
        services.AddOptions<AssistantChannelOptions>().FromBackendSettings((s, o) => s.Apply(o));
        services.AddOptions<WhatsAppOptions>().FromBackendSettings((s, o) => s.Apply(o));
        return services;
    }

    /// <summary>Reading these options reads the validated settings first: a bad setting fails there, naming the variable.</summary>
    private static void FromBackendSettings<TOptions>(this OptionsBuilder<TOptions> options, Action<BackendSettings, TOptions> apply)
        where TOptions : class =>
        options.Configure<IOptions<BackendSettings>>((o, settings) => apply(settings.Value, o));
}
