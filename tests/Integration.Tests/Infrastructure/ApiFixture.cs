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

/// <summary>The app behind one trusted proxy (<see cref="Proxy"/>): clients from <see cref="ClientAt.Behind"/> have the address they name.</summary>
public abstract class ProxiedApiFixture(DatabaseKind kind) : ApiFixture(kind)
{
    public const string Proxy = "192.0.2.40";

    protected override AuthApiFactory CreateFactory(TestDatabase database) =>
        new(database, new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = Proxy });
}

public sealed class ProxiedSqliteApiFixture() : ProxiedApiFixture(DatabaseKind.Sqlite);

public sealed class ProxiedPostgresApiFixture() : ProxiedApiFixture(DatabaseKind.Postgres);
