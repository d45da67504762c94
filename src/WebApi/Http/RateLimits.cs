using System.Globalization;
using System.Threading.RateLimiting;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Infrastructure.Cluster;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Http;

/// <summary>Configuration section <c>RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public int PermitLimit { get; set; } = 100;

    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// API-key lookups that miss this instance's memory (each one a database read) per client
    /// address (IPv4 address or IPv6 /64) per <see cref="CredentialLookupWindowSeconds"/>.
    /// </summary>
    public int CredentialLookupLimit { get; set; } = 1000;

    public int CredentialLookupWindowSeconds { get; set; } = 60;
}

/// <summary>
/// Throttling per client address (<see cref="ClientAddresses.ThrottleKey"/>: one IPv4 address or
/// one IPv6 /64) on the endpoints where a secret can be guessed. It runs before authentication
/// and the endpoint, so a throttled request never costs a password hash nor a key lookup. With
/// Redis the windows are the cluster's (<see cref="ThrottleLimiters"/>, ADR 0022).
/// </summary>
public static class RateLimits
{
    public const string Credentials = "credentials";

    public static IServiceCollection AddAuthPlatformRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitingOptions.SectionName).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        services.Configure<RateLimitingOptions>(configuration.GetSection(RateLimitingOptions.SectionName));
        services.AddSingleton<Application.OAuth.Common.IClientAuthenticationThrottle, ClientAuthenticationThrottle>();
        services.AddSingleton<Application.OAuth.Device.Common.IUserCodeThrottle, UserCodeThrottle>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Credentials, http => RateLimitPartition.Get(
                ClientAddresses.ThrottleKey(http.Connection.RemoteIpAddress?.ToString()),
                key => http.RequestServices.GetRequiredService<ThrottleLimiters>()
                    .FixedWindow(Credentials, key, Math.Max(1, options.PermitLimit), TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)))));
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<AuthMetrics>().Throttled(
                    context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "global");
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : Math.Max(1, options.WindowSeconds);
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Problems.WriteAsync(context.HttpContext, TooMany(retryAfter)));
            };
        });
        services.AddSingleton(sp => new CredentialLookupBudget(options, sp.GetRequiredService<AuthMetrics>(), sp.GetRequiredService<ThrottleLimiters>()));
        services.AddSingleton(sp => new PasswordGrantLimiter(options, sp.GetRequiredService<AuthMetrics>(), sp.GetRequiredService<ThrottleLimiters>()));
        return services;
    }

    /// <summary>The one answer of every limiter: 429 <c>rate_limited</c> (the caller sets <c>Retry-After</c>).</summary>
    public static Error TooMany(int retryAfterSeconds) =>
        new(ErrorCodes.RateLimited, $"Too many requests from this address. Retry after {retryAfterSeconds} seconds.");
}

/// <summary>
/// The per-address limit of the <c>password</c> grant: the token endpoint serves every grant at one
/// URL, and client credentials, codes and refreshes must not be held to a login's budget, so the
/// endpoint cannot carry the <see cref="RateLimits.Credentials"/> policy. A password grant costs a
/// password hash like a login: it gets the same budget (<c>RateLimiting:PermitLimit</c> per
/// <c>RateLimiting:WindowSeconds</c> per IPv4 address or IPv6 /64), of its own, checked before the
/// grant's use case runs, so a throttled request never costs a hash.
/// </summary>
public sealed class PasswordGrantLimiter(RateLimitingOptions options, AuthMetrics metrics, ThrottleLimiters limiters) : IDisposable
{
    public const string PolicyName = "password_grant";

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        key => RateLimitPartition.Get(key, k => limiters.FixedWindow(
            PolicyName, k, Math.Max(1, options.PermitLimit), TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)))));

    /// <summary>Null when the address may try; else the 429 <c>rate_limited</c> error, with its wait for <c>Retry-After</c>.</summary>
    public async ValueTask<Error?> TryAcquireAsync(string? remoteAddress, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(ClientAddresses.ThrottleKey(remoteAddress), 1, cancellationToken);
        if (lease.IsAcquired)
        {
            return null;
        }

        metrics.Throttled(PolicyName);
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : Math.Max(1, options.WindowSeconds);
        return new Error(
            ErrorCodes.RateLimited,
            $"Too many password grants from this address. Retry after {seconds} seconds.",
            new Dictionary<string, string[]> { [Application.OAuth.Common.ClientAuthentication.RetryAfterField] = [seconds.ToString(CultureInfo.InvariantCulture)] });
    }

    public void Dispose() => _limiter.Dispose();
}
