namespace AuthPlatform.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>Configuration section <c>Database</c> (and <c>ConnectionStrings:Default</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// How long a statement waits for the database (SQLite's write lock, a busy server) before it
    /// gives up and the call answers 503 <c>service_unavailable</c> (default 5 seconds).
    /// </summary>
    public int CommandTimeoutSeconds { get; set; } = 5;

    public const string DefaultSqliteConnectionString = "Data Source=./data/authplatform.db";
}
