using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// Counts the work the real application does, for tests that compare or bound it: every SQL
/// statement its database contexts send (as "VERB table", e.g. <c>SELECT api_keys</c>) and every
/// password-hash verification (the real hasher, counted on its way through).
/// </summary>
public sealed partial class WorkCounters : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _statements = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    /// <summary>Each statement so far, in order, as "VERB table" (the first table the statement names).</summary>
    public IReadOnlyList<string> Statements => _statements.ToArray();

    public int Count(string verbAndTable) => _statements.Count(s => s == verbAndTable);

    public void Clear()
    {
        _statements.Clear();
        Interlocked.Exchange(ref _verifications, 0);
    }

    /// <summary>Registers the counters in the application: after its own services, so the real hasher is wrapped.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.ConfigureDbContext<SqliteAuthDbContext>(options => options.AddInterceptors(this));
        services.ConfigureDbContext<PostgresAuthDbContext>(options => options.AddInterceptors(this));
        var real = services.Last(d => d.ServiceType == typeof(IPasswordHasher));
        services.Remove(real);
        services.Add(ServiceDescriptor.Describe(
            typeof(IPasswordHasher),
            sp => new CountingHasher((IPasswordHasher)(real.ImplementationInstance
                ?? real.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)), this),
            real.Lifetime));
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        // A command may hold several statements (EF batches inserts): count each.
        foreach (var statement in command.CommandText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var verb = Verb().Match(statement);
            if (!verb.Success)
            {
                continue;
            }

            var table = Table().Match(statement);
            _statements.Enqueue($"{verb.Value.ToUpperInvariant()} {(table.Success ? table.Groups[1].Value : "?")}");
        }
    }

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Verb();

    [GeneratedRegex(@"(?:FROM|INTO|UPDATE)\s+""?([a-z_]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Table();

    private sealed class CountingHasher(IPasswordHasher inner, WorkCounters counters) : IPasswordHasher
    {
        public string Hash(string password) => inner.Hash(password);

        public PasswordCheck Verify(string hash, string password)
        {
            Interlocked.Increment(ref counters._verifications);
            return inner.Verify(hash, password);
        }

        public void VerifyAgainstDummy(string password)
        {
            Interlocked.Increment(ref counters._verifications);
            inner.VerifyAgainstDummy(password);
        }
    }
}
