namespace AuthPlatform.Application.Common.Options;

/// <summary>Token lifetimes and issuer (configuration section <c>Jwt</c>).</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "http://localhost:8080";

    public string Audience { get; set; } = "authplatform";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A session ends this long after its login, however often it is refreshed (RT-05).</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Leeway on <c>exp</c> and <c>nbf</c> (JWT-03): small, instead of .NET's default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A rotated-in key is published this long before it signs, so caches of the JWKS pick it up first.</summary>
    public TimeSpan KeyActivationDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>ES256 (default) or RS256.</summary>
    public string SigningAlgorithm { get; set; } = "ES256";
}

/// <summary>Account lockout (configuration section <c>Lockout</c>).</summary>
public sealed class LockoutOptions
{
    public const string SectionName = "Lockout";

    public int MaxFailedAttempts { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures from every address together that lock the account for addresses it never signed in from.</summary>
    public int AccountMaxFailedAttempts { get; set; } = 100;

    /// <summary>How often the attempt budgets that no longer hold anything are deleted (ADR 0012); zero or less: never.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(15);

    public Domain.Users.LockoutPolicy ToPolicy() => new(MaxFailedAttempts, Window, Duration, AccountMaxFailedAttempts);
}

/// <summary>The first administrator (configuration section <c>Bootstrap</c>).</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public string AdminName { get; set; } = "Administrator";
}

/// <summary>Operator-defined scopes (configuration section <c>Scopes</c>).</summary>
public sealed class ScopeOptions
{
    public const string SectionName = "Scopes";

    public List<string> Custom { get; set; } = [];
}

/// <summary>The OAuth 2.0 server's own settings (configuration section <c>OAuth</c>).</summary>
public sealed class OAuthOptions
{
    public const string SectionName = "OAuth";

    /// <summary>How long a device authorization (its device code and user code) lives (RFC 8628 <c>expires_in</c>).</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The least time between two polls of a device (RFC 8628 <c>interval</c>), in whole seconds.</summary>
    public TimeSpan DevicePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Wrong user codes a signed-in person, or an address, may enter per <see cref="DeviceUserCodeWindow"/> (RFC 8628 5.1).</summary>
    public int DeviceUserCodeMaxFailures { get; set; } = 5;

    public TimeSpan DeviceUserCodeWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often expired authorization codes and device authorizations are deleted; zero or less: never.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long past its expiry a code or device authorization is kept (a late reuse of a redeemed code is still recognised as reuse).</summary>
    public TimeSpan ExpiredGrantRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The built-in client of the <c>authplatform</c> CLI (ADR 0019).</summary>
    public CliClientOptions CliClient { get; set; } = new();
}

/// <summary>The built-in client of the <c>authplatform</c> CLI (configuration section <c>OAuth:CliClient</c>).</summary>
public sealed class CliClientOptions
{
    /// <summary>On by default; off deletes the client at the next start (its grants and sessions end).</summary>
    public bool Enabled { get; set; } = true;
}
