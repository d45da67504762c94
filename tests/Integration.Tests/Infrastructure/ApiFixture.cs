namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>One application and one database per test class fixture; reset before each test.</summary>
public abstract class ApiFixture(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase? _database;

    public AuthApiFactory Factory { get; private set; } = null!;

    public TestDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(kind);
        Factory = CreateFactory(_database);
        _ = Factory.Server; // starts the host: migrations, signing key, bootstrap admin
    }

    /// <summary>The application under test; a fixture overrides this to add settings or test doubles.</summary>
    protected virtual AuthApiFactory CreateFactory(TestDatabase database) => new(database);

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database!.DisposeAsync();
    }
}

public sealed class SqliteApiFixture() : ApiFixture(DatabaseKind.Sqlite);

public sealed class PostgresApiFixture() : ApiFixture(DatabaseKind.Postgres);
