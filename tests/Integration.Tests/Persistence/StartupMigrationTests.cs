using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Persistence;

/// <summary>
/// Issue 13 (start-up time): a start on a database that already has every migration reads the history
/// table and runs none of the migrator's commands (its lock, its history table, the model comparison), while
/// the first start on an empty database does. A start that silently went back to migrating every time would
/// cost the largest step of a start on an existing database (docs/performance.md, "Start-up").
/// </summary>
public sealed class StartupMigrationTests
{
    private static readonly Dictionary<string, string?> LogCommands = new()
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };

    [Fact]
    public async Task SecondStart_OnAnUpToDateDatabase_RunsNoMigrationCommand()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using (var first = new AuthApiFactory(database, LogCommands))
        {
            _ = first.Server; // migrations, key ring, signing key, administrator, CLI client
            Assert.Contains(first.Logs.Lines, MigratorCommand);
        }

        await using var second = new AuthApiFactory(database, LogCommands);
        _ = second.Server;

        Assert.DoesNotContain(second.Logs.Lines, MigratorCommand);
        Assert.Contains(second.Logs.Lines, line => line.Contains("__EFMigrationsHistory", StringComparison.Ordinal)); // it did look
        using var client = second.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    /// <summary>The lock EF Core's migrator takes before it applies anything (SQLite: a table of its own).</summary>
    private static bool MigratorCommand(string line) => line.Contains("__EFMigrationsLock", StringComparison.Ordinal);
}
