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

    public const string DefaultSqliteConnectionString = "Data Source=./data/authplatform.db";
}
