using AuthPlatform.WebApi.Startup;

namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>The bounds of durations and counts (docs/operations.md, "Configuration checks at start-up"), both sides of each.</summary>
public sealed class SettingBoundsTests
{
    public static TheoryData<string, string, string> OutOfBounds => new()
    {
        { "Jwt:AccessTokenLifetime", "3600", "read as 3600 days; it must be a duration from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Jwt:AccessTokenLifetime", "00:00:59", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Jwt:AccessTokenLifetime", "1.00:00:01", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Jwt:RefreshTokenLifetime", "00:00:59", "from 00:01:00 (1 minute) to 365.00:00:00 (1 year)" },
        { "Jwt:RefreshTokenLifetime", "365.00:00:01", "from 00:01:00 (1 minute) to 365.00:00:00 (1 year)" },
        { "Jwt:SessionAbsoluteLifetime", "29.23:59:59", "from Jwt:RefreshTokenLifetime = 30.00:00:00 (30 days) to 730.00:00:00 (2 years)" },
        { "Jwt:SessionAbsoluteLifetime", "730.00:00:01", "to 730.00:00:00 (2 years)" },
        { "Jwt:ClockSkew", "-00:00:01", "from 00:00:00 to 00:02:00 (2 minutes)" },
        { "Jwt:ClockSkew", "00:02:01", "from 00:00:00 to 00:02:00 (2 minutes)" },
        { "Jwt:KeyActivationDelay", "1.00:00:01", "from 00:00:00 to 1.00:00:00 (1 day)" },
        { "Lockout:MaxFailedAttempts", "2", "a whole number from 3 to 100" },
        { "Lockout:MaxFailedAttempts", "101", "a whole number from 3 to 100" },
        { "Lockout:Window", "00:00:59", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Lockout:Duration", "1.00:00:01", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Lockout:PruneInterval", "00:00:59", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Lockout:PruneInterval", "-00:01:00", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "RateLimiting:PermitLimit", "0", "a whole number from 1 to 1,000,000" },
        { "RateLimiting:PermitLimit", "1000001", "a whole number from 1 to 1,000,000" },
        { "RateLimiting:WindowSeconds", "3601", "a whole number from 1 to 3,600" },
        { "RateLimiting:CredentialLookupLimit", "0", "a whole number from 1 to 1,000,000" },
        { "RateLimiting:CredentialLookupLimit", "1000001", "a whole number from 1 to 1,000,000" },
        { "RateLimiting:CredentialLookupWindowSeconds", "0", "a whole number from 1 to 3,600" },
        { "RateLimiting:CredentialLookupWindowSeconds", "3601", "a whole number from 1 to 3,600" },
        { "Passwords:Iterations", "999", "a whole number from 1,000 to 10,000,000" },
        { "ApiKeys:CacheDuration", "00:00:00", "from 00:00:01 (1 second) to 00:10:00 (10 minutes)" },
        { "ApiKeys:NegativeCacheDuration", "00:01:01", "from 00:00:01 (1 second) to 00:01:00 (1 minute)" },
        { "ApiKeys:LastUsedWriteInterval", "01:00:01", "from 00:00:01 (1 second) to 01:00:00 (1 hour)" },
        { "Https:HstsMaxAge", "730.00:00:01", "from 00:00:00 to 730.00:00:00 (2 years)" },
        { "Https:Port", "65536", "a TCP port from 1 to 65535" },
        { "Shutdown:Timeout", "00:00:00", "from 00:00:01 (1 second) to 00:10:00 (10 minutes)" },
        { "Shutdown:Timeout", "00:10:01", "from 00:00:01 (1 second) to 00:10:00 (10 minutes)" },
        { "Metrics:ScrapeCacheMilliseconds", "-1", "a whole number from 0 to 60,000" },
        { "Metrics:ScrapeCacheMilliseconds", "60001", "a whole number from 0 to 60,000" },
        { "OAuth:DeviceCodeLifetime", "00:00:59", "from 00:01:00 (1 minute) to 00:30:00 (30 minutes)" },
        { "OAuth:DeviceCodeLifetime", "00:30:01", "from 00:01:00 (1 minute) to 00:30:00 (30 minutes)" },
        { "OAuth:DevicePollingInterval", "00:01:01", "from 00:00:01 (1 second) to 00:01:00 (1 minute)" },
        { "OAuth:DevicePollingInterval", "00:00:02.5", "whole seconds" },
        { "OAuth:DeviceUserCodeMaxFailures", "0", "a whole number from 1 to 1,000" },
        { "OAuth:DeviceUserCodeWindow", "00:00:00", "from 00:00:01 (1 second) to 1.00:00:00 (1 day)" },
        { "OAuth:PruneInterval", "00:00:59", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "OAuth:ExpiredGrantRetention", "-00:00:01", "from 00:00:00 to 365.00:00:00 (1 year)" },
        { "Retention:PruneInterval", "00:00:59", "from 00:01:00 (1 minute) to 1.00:00:00 (1 day)" },
        { "Retention:RedeemedRefreshTokens", "-00:00:01", "from 00:00:00 to 3650.00:00:00" },
        { "Retention:EndedSessions", "23:59:59", "from 1.00:00:00 (1 day) to 3650.00:00:00" },
        { "Retention:AuditEvents", "23:59:59", "from 1.00:00:00 (1 day) to 3650.00:00:00" },
        { "Retention:AuditEvents", "3650.00:00:01", "from 1.00:00:00 (1 day) to 3650.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public void Validate_ValueOutOfBounds_ReportsOneLineWithTheSettingAndItsRange(string key, string value, string range)
    {
        var line = ValidatorInput.SingleErrorFor(key, ValidatorInput.Validate($"{key}={value}"));

        Assert.Contains($"'{value}'", line, StringComparison.Ordinal);
        Assert.Contains(range, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Jwt:AccessTokenLifetime=00:01:00")]
    [InlineData("Jwt:AccessTokenLifetime=1.00:00:00")]
    [InlineData("Jwt:AccessTokenLifetime=00:01:00", "Jwt:RefreshTokenLifetime=00:01:00", "Jwt:SessionAbsoluteLifetime=00:01:00")]
    [InlineData("Jwt:RefreshTokenLifetime=365.00:00:00", "Jwt:SessionAbsoluteLifetime=730.00:00:00")]
    [InlineData("Jwt:SessionAbsoluteLifetime=30.00:00:00")]
    [InlineData("Jwt:ClockSkew=00:00:00", "Jwt:KeyActivationDelay=00:00:00")]
    [InlineData("Jwt:ClockSkew=00:02:00", "Jwt:KeyActivationDelay=1.00:00:00")]
    [InlineData("Lockout:MaxFailedAttempts=3", "Lockout:Window=00:01:00", "Lockout:Duration=00:01:00")]
    [InlineData("Lockout:MaxFailedAttempts=100", "Lockout:Window=1.00:00:00", "Lockout:Duration=1.00:00:00")]
    [InlineData("Lockout:PruneInterval=00:00:00")]
    [InlineData("Lockout:PruneInterval=00:01:00")]
    [InlineData("Lockout:PruneInterval=1.00:00:00")]
    [InlineData("RateLimiting:PermitLimit=1", "RateLimiting:WindowSeconds=1", "Passwords:Iterations=1000")]
    [InlineData("RateLimiting:PermitLimit=1000000", "RateLimiting:WindowSeconds=3600", "Passwords:Iterations=10000000")]
    [InlineData("RateLimiting:CredentialLookupLimit=1", "RateLimiting:CredentialLookupWindowSeconds=1")]
    [InlineData("RateLimiting:CredentialLookupLimit=1000000", "RateLimiting:CredentialLookupWindowSeconds=3600")]
    [InlineData("ApiKeys:CacheDuration=00:00:01", "ApiKeys:NegativeCacheDuration=00:00:01", "ApiKeys:LastUsedWriteInterval=00:00:01")]
    [InlineData("ApiKeys:CacheDuration=00:10:00", "ApiKeys:NegativeCacheDuration=00:01:00", "ApiKeys:LastUsedWriteInterval=01:00:00")]
    [InlineData("Https:HstsMaxAge=00:00:00", "Https:Port=1", "Https:Redirect=false", "Https:Hsts=true")]
    [InlineData("Https:HstsMaxAge=730.00:00:00", "Https:Port=65535", "Https:HstsIncludeSubDomains=true", "Metrics:ScrapeCacheMilliseconds=60000")]
    [InlineData("Metrics:ScrapeCacheMilliseconds=0")]
    [InlineData("Shutdown:Timeout=00:00:01")]
    [InlineData("Shutdown:Timeout=00:10:00")]
    [InlineData("OAuth:DeviceCodeLifetime=00:01:00", "OAuth:DevicePollingInterval=00:00:01", "OAuth:DeviceUserCodeMaxFailures=1", "OAuth:DeviceUserCodeWindow=00:00:01")]
    [InlineData("OAuth:PruneInterval=00:00:00", "OAuth:ExpiredGrantRetention=00:00:00")]
    [InlineData("OAuth:PruneInterval=1.00:00:00", "OAuth:ExpiredGrantRetention=365.00:00:00")]
    [InlineData("OAuth:DeviceCodeLifetime=00:30:00", "OAuth:DevicePollingInterval=00:01:00", "OAuth:DeviceUserCodeMaxFailures=1000", "OAuth:DeviceUserCodeWindow=1.00:00:00")]
    [InlineData("Retention:PruneInterval=00:00:00", "Retention:RedeemedRefreshTokens=00:00:00", "Retention:EndedSessions=1.00:00:00", "Retention:AuditEvents=00:00:00")]
    [InlineData("Retention:PruneInterval=1.00:00:00", "Retention:RedeemedRefreshTokens=3650.00:00:00", "Retention:EndedSessions=3650.00:00:00", "Retention:AuditEvents=3650.00:00:00")]
    [InlineData("Retention:AuditEvents=1.00:00:00")]
    public void Validate_ValuesAtTheBounds_AreAccepted(params string[] settings)
    {
        Assert.Empty(ValidatorInput.Validate(settings));
    }

    [Fact]
    public void Validate_Defaults_ReportNothing()
    {
        Assert.Empty(ValidatorInput.Validate());
    }

    [Fact]
    public void Validate_RefreshShorterThanAccess_IsRefused()
    {
        var line = ValidatorInput.SingleErrorFor("Jwt:RefreshTokenLifetime",
            ValidatorInput.Validate("Jwt:AccessTokenLifetime=02:00:00", "Jwt:RefreshTokenLifetime=01:00:00", "Jwt:SessionAbsoluteLifetime=01:00:00"));

        Assert.Contains("at least Jwt:AccessTokenLifetime = 02:00:00 (2 hours)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Jwt:AccessTokenLifetime", "abc", "not a duration")]
    [InlineData("Jwt:SessionAbsoluteLifetime", "90 days", "not a duration")]
    [InlineData("Lockout:MaxFailedAttempts", "ten", "a whole number from 3 to 100")]
    [InlineData("RateLimiting:PermitLimit", "99999999999", "a whole number from 1 to 1,000,000")]
    [InlineData("Database:MigrateOnStartup", "yes", "true or false")]
    [InlineData("Https:Hsts", "1", "true or false")]
    [InlineData("Database:Provider", "", "one of Sqlite, Postgres, SqlServer")]
    public void Validate_ValueThatCannotBeRead_ReportsOneLineInsteadOfCrashing(string key, string value, string accepts)
    {
        var line = ValidatorInput.SingleErrorFor(key, ValidatorInput.Validate($"{key}={value}"));

        Assert.Contains(accepts, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadSettings_ReportsOneLineEach()
    {
        var errors = ValidatorInput.Validate("Jwt:AccessTokenLifetime=abc", "Jwt:ClockSkew=00:05:00", "Lockout:MaxFailedAttempts=1", "RateLimiting:WindowSeconds=0");

        Assert.Equal(4, errors.Count);
        Assert.All(errors, line => Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal));
        Assert.Equal(["Jwt__AccessTokenLifetime", "Jwt__ClockSkew", "Lockout__MaxFailedAttempts", "RateLimiting__WindowSeconds"],
            errors.Select(e => e.Split(' ')[4].TrimEnd(')')).ToArray());
    }

    [Fact]
    public void Human_Durations_ReadAsAnOperatorWouldSayThem()
    {
        Assert.Equal("3600 days", SettingText.Human(TimeSpan.FromDays(3600)));
        Assert.Equal("2 years", SettingText.Human(TimeSpan.FromDays(730)));
        Assert.Equal("90 minutes", SettingText.Human(TimeSpan.FromMinutes(90)));
        Assert.Equal("1 second", SettingText.Human(TimeSpan.FromSeconds(1)));
    }
}
