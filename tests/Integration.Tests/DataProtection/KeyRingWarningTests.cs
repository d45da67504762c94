using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.DataProtection;

/// <summary>
/// In Production, a key ring stored in clear is announced once at start-up with what is at risk and
/// the setting that fixes it; not when a certificate is set, not outside Production. The warning is
/// the same on every provider, so SQLite alone is used here.
/// </summary>
public sealed class KeyRingWarningTests : IAsyncLifetime
{
    private const string Warned = "The Data Protection key ring is stored unencrypted in the database";
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Start_InProductionWithoutCertificate_WarnsOnceWithTheRiskAndTheSetting()
    {
        await using var app = new AuthApiFactory(_database, new Dictionary<string, string?> { ["environment"] = "Production" });
        _ = app.Server;
        using var client = app.CreateClient();
        await client.GetAsync("/health/live");

        var line = Assert.Single(app.Logs.Lines, l => l.Contains(Warned, StringComparison.Ordinal));
        Assert.StartsWith("Warning ", line, StringComparison.Ordinal);
        Assert.Contains("forge access tokens", line, StringComparison.Ordinal);
        Assert.Contains("DataProtection__Certificate__Path", line, StringComparison.Ordinal);
        Assert.Contains("DataProtection__Certificate__Thumbprint", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InProductionWithCertificate_DoesNotWarn()
    {
        var settings = TestCertificates.CreateRsaPfx().Settings();
        settings["environment"] = "Production";
        await using var app = new AuthApiFactory(_database, settings);
        _ = app.Server;

        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(Warned, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Bootstrap administrator created", StringComparison.Ordinal)); // the start-up tasks ran
    }

    [Fact]
    public async Task Start_OutsideProductionWithoutCertificate_DoesNotWarn()
    {
        await using var app = new AuthApiFactory(_database);
        _ = app.Server;

        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(Warned, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Bootstrap administrator created", StringComparison.Ordinal));
    }
}
