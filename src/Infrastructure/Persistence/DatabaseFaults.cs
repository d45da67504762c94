using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>
/// Tells a database that is busy or out of reach (a lock wait that timed out, a stopped
/// server, a dropped connection) from a bug: the first answers 503 <c>service_unavailable</c>
/// with <c>Retry-After</c>, never a 500, and nothing of the command was kept.
/// </summary>
public static class DatabaseFaults
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }: // shutdown, cannot connect now, too many connections
                case Microsoft.Data.SqlClient.SqlException { Number: -2 or 1205 or 40613 or 4060 or 233 or 53 }:
                case TimeoutException:
                case SocketException:
                    return true;
            }
        }

        return false;
    }
}
