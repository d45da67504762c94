using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace AuthPlatform.Integration.Tests.Persistence;

/// <summary>
/// The migrations of every provider match the model, and SQL Server's (which cannot run on
/// this machine) produce a script that SQL Server's own parser accepts.
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public void SqlServerMigrations_GenerateScript_ParsesAsValidTransactSql()
    {
        using var context = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}: {e.Message}")));
        foreach (var table in new[] { "users", "refresh_token_families", "refresh_tokens", "signing_keys", "audit_events", "data_protection_keys" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }

        Assert.Contains("CREATE UNIQUE INDEX [IX_users_normalized_email]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_refresh_tokens_token_hash]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void SqlServerMigrations_GenerateScript_FailsToParseWhenBroken()
    {
        // The parser check above can fail: a truncated statement is reported.
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader("CREATE TABLE [users] ([id] uniqueidentifier NOT NULL,");
        parser.Parse(reader, out var errors);

        Assert.NotEmpty(errors);
    }

    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres", "SqlServer" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_ForEachProvider_MatchTheModel(string provider)
    {
        using DbContext context = provider switch
        {
            "Sqlite" => new SqliteDesignTimeFactory().CreateDbContext([]),
            "Postgres" => new PostgresDesignTimeFactory().CreateDbContext([]),
            _ => new SqlServerDesignTimeFactory().CreateDbContext([]),
        };

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), $"The {provider} migrations are behind the model: add a migration.");
    }
}
