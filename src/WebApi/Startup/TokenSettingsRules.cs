using AuthPlatform.Application.Common.Options;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The bounds of sections <c>Jwt</c> and <c>OAuth</c> (documented in docs/operations.md, "Configuration checks at
/// start-up"). A bare number such as <c>3600</c> is read by .NET as 3600 days: the bounds catch it.
/// </summary>
public static class TokenSettingsRules
{
    public static readonly TimeSpan AccessTokenMin = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan AccessTokenMax = TimeSpan.FromDays(1);
    public static readonly TimeSpan RefreshTokenMin = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan RefreshTokenMax = TimeSpan.FromDays(365);
    public static readonly TimeSpan SessionMax = TimeSpan.FromDays(730);
    public static readonly TimeSpan ClockSkewMax = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan KeyActivationDelayMax = TimeSpan.FromDays(1);

    private const string Section = JwtOptions.SectionName;

    public static void Check(SettingsReader reader)
    {
        var jwt = reader.Bind<JwtOptions>(Section);

        if (!Uri.TryCreate(jwt.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http")
            || issuer.Query.Length > 0 || issuer.Fragment.Length > 0 || issuer.UserInfo.Length > 0)
        {
            reader.Fail($"{Section}:Issuer", $"is {reader.Shown($"{Section}:Issuer")}",
                "an absolute http or https URI without query or fragment, the public URL of this server, e.g. https://auth.example.com");
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience) || jwt.Audience.Length > 256 || jwt.Audience.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            reader.Fail($"{Section}:Audience", $"is {reader.Shown($"{Section}:Audience")}", "1 to 256 characters without spaces, e.g. authplatform");
        }

        var access = reader.Duration($"{Section}:AccessTokenLifetime", jwt.AccessTokenLifetime, AccessTokenMin, AccessTokenMax);
        var refresh = reader.Duration($"{Section}:RefreshTokenLifetime", jwt.RefreshTokenLifetime, RefreshTokenMin, RefreshTokenMax);
        if (access && refresh && jwt.RefreshTokenLifetime < jwt.AccessTokenLifetime)
        {
            reader.Fail($"{Section}:RefreshTokenLifetime", $"is {reader.Shown($"{Section}:RefreshTokenLifetime")}, shorter than {Section}:AccessTokenLifetime",
                $"at least {Section}:AccessTokenLifetime = {SettingText.Describe(jwt.AccessTokenLifetime)} and at most {SettingText.Describe(RefreshTokenMax)}");
        }

        if (refresh)
        {
            reader.Duration($"{Section}:SessionAbsoluteLifetime", jwt.SessionAbsoluteLifetime, jwt.RefreshTokenLifetime, SessionMax,
                $"{Section}:RefreshTokenLifetime = {SettingText.Describe(jwt.RefreshTokenLifetime)}");
        }
        else
        {
            reader.Duration($"{Section}:SessionAbsoluteLifetime", jwt.SessionAbsoluteLifetime, RefreshTokenMin, SessionMax);
        }

        reader.Duration($"{Section}:ClockSkew", jwt.ClockSkew, TimeSpan.Zero, ClockSkewMax);
        reader.Duration($"{Section}:KeyActivationDelay", jwt.KeyActivationDelay, TimeSpan.Zero, KeyActivationDelayMax);
        if (jwt.SigningAlgorithm is not ("ES256" or "RS256"))
        {
            reader.Fail($"{Section}:SigningAlgorithm", $"is {reader.Shown($"{Section}:SigningAlgorithm")}", "ES256 or RS256");
        }

        CheckOAuth(reader);
    }

    /// <summary>Section <c>OAuth</c>: the device authorization grant's lifetimes, its user-code throttle and the pruning of expired grants.</summary>
    private static void CheckOAuth(SettingsReader reader)
    {
        const string oauth = OAuthOptions.SectionName;
        var options = reader.Bind<OAuthOptions>(oauth);
        reader.Duration($"{oauth}:DeviceCodeLifetime", options.DeviceCodeLifetime, TimeSpan.FromMinutes(1), Domain.OAuth.DeviceAuthorization.MaxLifetime);
        if (reader.Duration($"{oauth}:DevicePollingInterval", options.DevicePollingInterval, TimeSpan.FromSeconds(1), Domain.OAuth.DeviceAuthorization.MaxInterval)
            && options.DevicePollingInterval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            reader.Fail($"{oauth}:DevicePollingInterval", $"is {reader.Shown($"{oauth}:DevicePollingInterval")}", "whole seconds (RFC 8628 interval), e.g. 00:00:05");
        }

        reader.Integer($"{oauth}:DeviceUserCodeMaxFailures", options.DeviceUserCodeMaxFailures, 1, 1000);
        reader.Duration($"{oauth}:DeviceUserCodeWindow", options.DeviceUserCodeWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (options.PruneInterval != TimeSpan.Zero)
        {
            // 00:00:00 turns pruning off; anything else is a run at least a minute apart.
            reader.Duration($"{oauth}:PruneInterval", options.PruneInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        }

        reader.Duration($"{oauth}:ExpiredGrantRetention", options.ExpiredGrantRetention, TimeSpan.Zero, TimeSpan.FromDays(365));
    }
}
