using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests.TestSupport;

/// <summary>What the tests of the background pruners share: a broken database, a first scope from it, waiting for a condition.</summary>
public static class PrunerSupport
{
    /// <summary>A start time of a test's own, far from the others', so that a prune of one never reaches another's rows.</summary>
    public static DateTimeOffset NewStart() =>
        new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(1, 3000)).AddMinutes(Random.Shared.Next(0, 1440));

    /// <summary>A lease name of a test's own (<see cref="PeriodicPruner"/>): another test's pruner, on a later clock, may hold the real one.</summary>
    public static string OwnLease() => "test-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Services over a database that has no schema at all (SQLite) or does not exist (PostgreSQL).</summary>
    public static ServiceProvider BrokenDatabase(this MigratedDatabase database)
    {
        var connectionString = database.Kind == DatabaseKind.Sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), $"authplatform-empty-{Guid.NewGuid():N}.db")}"
            : new Npgsql.NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(MigratedDatabase.PostgresVariable)) { Database = "authplatform_missing_db" }.ToString();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = database.Kind == DatabaseKind.Sqlite ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.Postgres),
                ["ConnectionStrings:Default"] = connectionString,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInfrastructure(configuration);
        return services.BuildServiceProvider();
    }

    public static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 seconds");
            await Task.Delay(20);
        }
    }

    /// <summary>The first scope from one factory, every later one from another.</summary>
    public sealed class FirstScopeFrom(IServiceScopeFactory first, IServiceScopeFactory then) : IServiceScopeFactory
    {
        private int _created;

        public IServiceScope CreateScope() => Interlocked.Increment(ref _created) == 1 ? first.CreateScope() : then.CreateScope();
    }
}
