using System.Data.Common;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Infrastructure.Tests;

/// <summary>
/// Two flushes at once, as at shutdown: the host's <c>StopAsync</c> runs twice concurrently under
/// <c>WebApplicationFactory</c> (the factory's dispose and the program's own <c>RunAsync</c>), and a
/// periodic flush can outlive a stop cut short by the shutdown timeout. The second caller must not
/// return before the first one's write is in the database. A gate holds the first write open.
/// </summary>
public sealed class ApiKeyUsageTrackerShutdownTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"authplatform-usage-stop-{Guid.NewGuid():N}.db");
    private readonly WriteGate _gate = new();
    private ServiceProvider _services = null!;
    private ApiKeyUsageTracker _tracker = null!;
    private Guid _keyId;

    public async Task InitializeAsync()
    {
        var collection = new ServiceCollection();
        collection.AddDbContext<AuthDbContext, SqliteAuthDbContext>(o => o.UseSqlite($"Data Source={_path}").AddInterceptors(_gate));
        _services = collection.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await db.Database.EnsureCreatedAsync();
        var owner = User.Register(Guid.NewGuid(), EmailAddress.Create("alice@example.com"), "Alice", "hash", "stamp", Start);
        var key = ApiKey.Issue(Guid.NewGuid(), owner.Id, "k", "ap_AbCdEfGh", "h-stop", ["profile"], null, Start);
        db.Users.Add(owner);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        _keyId = key.Id;
        _tracker = new ApiKeyUsageTracker(
            _services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ApiKeyOptions { LastUsedWriteInterval = TimeSpan.FromMinutes(1) }),
            new FakeTimeProvider(Start),
            NullLogger<ApiKeyUsageTracker>.Instance);
    }

    public async Task DisposeAsync()
    {
        _gate.Open();
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task StopAsync_TwoCallersAtOnce_NeitherReturnsBeforeThePendingUseIsWritten()
    {
        _tracker.Touch(_keyId, Start.AddSeconds(1));
        _gate.Close();

        var first = _tracker.StopAsync(CancellationToken.None);
        await _gate.Reached.WaitAsync(TimeSpan.FromSeconds(10)); // the first stop has taken the use and is writing it
        var second = _tracker.StopAsync(CancellationToken.None);
        await Task.Delay(200);

        Assert.False(second.IsCompleted, "The second stop returned while the first was still writing the pending use.");
        _gate.Open();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Start.AddSeconds(1), await LastUsedAtAsync());
        await first.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FlushAsync_UseNotedWhileAnotherFlushIsWriting_IsWrittenToo()
    {
        _tracker.Touch(_keyId, Start.AddSeconds(1));
        _gate.Close();
        var first = _tracker.FlushAsync(CancellationToken.None);
        await _gate.Reached.WaitAsync(TimeSpan.FromSeconds(10));

        _tracker.Touch(_keyId, Start.AddMinutes(2)); // noted while the first flush is writing
        var second = _tracker.FlushAsync(CancellationToken.None);
        await Task.Delay(200);

        Assert.False(second.IsCompleted);
        _gate.Open();
        Assert.Equal(1, await first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Start.AddMinutes(2), await LastUsedAtAsync());
    }

    private async Task<DateTimeOffset?> LastUsedAtAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await db.ApiKeys.AsNoTracking().Where(k => k.Id == _keyId).Select(k => k.LastUsedAt).SingleAsync();
    }

    /// <summary>Holds <c>UPDATE api_keys</c> statements while closed, and says when one arrived.</summary>
    private sealed class WriteGate : DbCommandInterceptor
    {
        private volatile TaskCompletionSource _open = Opened();

        public TaskCompletionSource ReachedSource { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => ReachedSource.Task;

        public void Close()
        {
            ReachedSource = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open() => _open.TrySetResult();

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("UPDATE", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("api_keys", StringComparison.OrdinalIgnoreCase))
            {
                ReachedSource.TrySetResult();
                await _open.Task.WaitAsync(cancellationToken);
            }

            return result;
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.TrySetResult();
            return open;
        }
    }
}
