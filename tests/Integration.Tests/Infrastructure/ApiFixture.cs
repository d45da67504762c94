namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>One application and one database per test class fixture; reset before each test.</summary>
public abstract class ApiFixture(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase? _database;

    public AuthApiFactory Factory { get; private set; } = null!;

    public TestDatabase Database => _database!;

    /// <summary>Settings of this fixture's app on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(kind);
        Factory = new AuthApiFactory(_database, Settings);
        _ = Factory.Server; // starts the host: migrations, signing key, bootstrap admin
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database!.DisposeAsync();
    }
}

public sealed class SqliteApiFixture() : ApiFixture(DatabaseKind.Sqlite);

public sealed class PostgresApiFixture() : ApiFixture(DatabaseKind.Postgres);
