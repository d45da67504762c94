using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
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

    /// <summary>
    /// The compiled models (Persistence/CompiledModels, issue 13: the server starts without building
    /// the model) are the model the code describes: regenerate them with `dotnet ef dbcontext optimize`
    /// (docs/operations.md) after any change to the entity configurations.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public void CompiledModel_ForEachProvider_MatchesTheModel(string provider)
    {
        using var context = Create(provider);

        var compiled = context.Model;
        var built = context.GetService<IDesignTimeModel>().Model;

        Assert.StartsWith("AuthPlatform.Infrastructure.Persistence.CompiledModels." + provider + ".", compiled.GetType().FullName, StringComparison.Ordinal);
        Assert.Equal(Describe(built), Describe(compiled));
    }

    [Fact]
    public void CompiledModel_ComparedWithAnotherProvidersModel_Differs()
    {
        // The comparison above can fail: SQLite's compiled model is not PostgreSQL's model.
        using var sqlite = Create("Sqlite");
        using var postgres = Create("Postgres");

        Assert.NotEqual(Describe(postgres.GetService<IDesignTimeModel>().Model), Describe(sqlite.Model));
    }

    private static DbContext Create(string provider) => provider switch
    {
        "Sqlite" => new SqliteDesignTimeFactory().CreateDbContext([]),
        "Postgres" => new PostgresDesignTimeFactory().CreateDbContext([]),
        _ => new SqlServerDesignTimeFactory().CreateDbContext([]),
    };

    /// <summary>
    /// Every entity and its table; every property with its CLR type, column, store type, nullability,
    /// length, stored type, converter, concurrency and generation; every key, index, foreign key and
    /// navigation, in one line each. A compiled model keeps all of these as it must to build SQL.
    /// </summary>
    private static string Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            lines.Add($"{entity.Name} -> {table.DisplayName()} filters={string.Join(";", entity.GetDeclaredQueryFilters().Select(f => f.Expression?.ToString()))}");
            lines.AddRange(entity.GetProperties().Select(p =>
                $"  {p.Name} {p.ClrType} column={p.GetColumnName(table)} store={p.GetColumnType()} nullable={p.IsNullable} max={p.GetMaxLength()} " +
                $"stored-as={p.GetProviderClrType()} converter={p.GetValueConverter()?.ModelClrType.Name}->{p.GetValueConverter()?.ProviderClrType.Name} {p.GetValueConverter()?.ConvertToProviderExpression} concurrency={p.IsConcurrencyToken} generated={p.ValueGenerated} default={p.GetDefaultValueSql()}"));
            lines.AddRange(entity.GetKeys().Select(k => $"  key {Names(k.Properties)} primary={k.IsPrimaryKey()}"));
            lines.AddRange(entity.GetIndexes().Select(i => $"  index {i.GetDatabaseName()} {Names(i.Properties)} unique={i.IsUnique} filter={i.GetFilter()}"));
            lines.AddRange(entity.GetForeignKeys().Select(f => $"  foreign key {f.GetConstraintName()} {Names(f.Properties)} -> {f.PrincipalEntityType.Name} {f.DeleteBehavior} required={f.IsRequired}"));
            lines.AddRange(entity.GetNavigations().Select(n => $"  navigation {n.Name} -> {n.TargetEntityType.Name} collection={n.IsCollection}"));
        }

        return string.Join('\n', lines);

        static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(",", properties.Select(p => p.Name));
    }
}
