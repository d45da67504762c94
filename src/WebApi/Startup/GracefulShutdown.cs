namespace AuthPlatform.WebApi.Startup;

/// <summary>Section <c>Shutdown</c>: how a stop (SIGTERM, Ctrl+C) ends the server.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    public static readonly TimeSpan TimeoutMin = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan TimeoutMax = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The host's <c>ShutdownTimeout</c>: how long requests in flight get to finish after a stop
    /// (new connections are refused at once). Default 15 seconds, which leaves room inside
    /// Kubernetes' 30-second grace period for the last <c>last_used_at</c> write that follows.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// A stop first lets Kestrel finish the requests in flight (it is the last hosted service to start,
/// so the first to stop), then stops the other hosted services; the API-key usage tracker writes
/// its pending <c>last_used_at</c> values last (docs/operations.md, "Database outages and shutdown").
/// </summary>
public static class GracefulShutdown
{
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        var timeout = builder.Configuration.GetSection(ShutdownOptions.SectionName).Get<ShutdownOptions>()?.Timeout
            ?? new ShutdownOptions().Timeout;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = timeout);
        return builder;
    }
}
