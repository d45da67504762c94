using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Section <c>Database</c> and <c>ConnectionStrings:Default</c>: a known provider, a connection string
/// that provider can read (required for PostgreSQL and SQL Server: never the SQLite default), and for
/// SQLite a folder that exists or can be created and can be written.
/// </summary>
public static class DatabaseSettingsRules
{
    private const string ConnectionKey = "ConnectionStrings:Default";

    /// <summary>The settings alone; returns the SQLite file to check afterwards, if any.</summary>
    public static string? Check(SettingsReader reader)
    {
        var database = reader.Bind<DatabaseOptions>(DatabaseOptions.SectionName);
        if (reader.IsUnreadable("Database:Provider"))
        {
            reader.Fail("Database:Provider", $"is {reader.Shown("Database:Provider")}", "one of Sqlite, Postgres, SqlServer");
            return null;
        }

        if (reader.IsUnreadable("Database:MigrateOnStartup"))
        {
            reader.Fail("Database:MigrateOnStartup", $"is {reader.Shown("Database:MigrateOnStartup")}", "true or false");
        }

        reader.Integer("Database:CommandTimeoutSeconds", database.CommandTimeoutSeconds, 1, 300);

        var connectionString = reader.Configuration.GetConnectionString("Default");
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            return SqliteFile(reader, connectionString ?? DatabaseOptions.DefaultSqliteConnectionString);
        }

        var (name, example) = database.Provider == DatabaseProvider.Postgres
            ? ("PostgreSQL", "Host=db.internal;Database=authplatform;Username=authplatform;Password=...")
            : ("SQL Server", "Server=db.internal,1433;Database=authplatform;User Id=authplatform;Password=...");
        var accepts = $"a {name} connection string such as {example}";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            reader.Fail(ConnectionKey, $"is not set, and Database:Provider is {database.Provider}", accepts);
        }
        else if (connectionString.Trim() == DatabaseOptions.DefaultSqliteConnectionString || !ReadsAs(database.Provider, connectionString))
        {
            reader.Fail(ConnectionKey, $"is {reader.Shown(ConnectionKey, secret: true)}, which is not a valid {name} connection string naming a server", accepts);
        }

        return null;
    }

    /// <summary>The environment: the SQLite folder exists or can be created, and a file can be written in it.</summary>
    public static void CheckSqliteFolder(SettingsReader reader, string file)
    {
        const string Accepts = "a SQLite file in a folder this server can create and write, e.g. Data Source=/var/lib/authplatform/authplatform.db";
        if (Directory.Exists(file))
        {
            reader.Fail(ConnectionKey, $"names {file}, which is a folder, not a SQLite file", Accepts);
            return;
        }

        var folder = Path.GetDirectoryName(file) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            reader.Fail(ConnectionKey, $"names the SQLite file {file}, but its folder {folder} cannot be created ({Reason(e, folder)})", Accepts);
            return;
        }

        try
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            else
            {
                var probe = Path.Combine(folder, $".authplatform-write-check-{Guid.NewGuid():N}");
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reader.Fail(ConnectionKey, $"names the SQLite file {file}, but it cannot be written in {folder} ({Reason(e, folder)})", Accepts);
        }
    }

    private static string? SqliteFile(SettingsReader reader, string connectionString)
    {
        try
        {
            var sqlite = new SqliteConnectionStringBuilder(connectionString);
            return sqlite.Mode == SqliteOpenMode.Memory || sqlite.DataSource is "" or ":memory:" ? null : Path.GetFullPath(sqlite.DataSource);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            reader.Fail(ConnectionKey, $"is {reader.Shown(ConnectionKey, secret: true)}, which is not a SQLite connection string", "Data Source=<path of the database file>");
            return null;
        }
    }

    private static bool ReadsAs(DatabaseProvider provider, string connectionString)
    {
        try
        {
            return provider == DatabaseProvider.Postgres
                ? !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host)
                : !string.IsNullOrWhiteSpace(new SqlConnectionStringBuilder(connectionString).DataSource);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Why a folder cannot be made: a file in the way, no permission, or what the system said.</summary>
    private static string Reason(Exception e, string folder)
    {
        for (var path = folder; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                return $"{path} is a file, not a folder";
            }
        }

        return e is UnauthorizedAccessException ? "permission denied" : e.Message.ReplaceLineEndings(" ").TrimEnd('.');
    }
}
