using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Infrastructure.Tests;

/// <summary>
/// The coalescing of <c>last_used_at</c> writes, flushed into a real SQLite database in a temporary
/// file (the tracker writes with <c>ExecuteUpdate</c>, which needs a relational provider).
/// </summary>
public sealed class ApiKeyUsageTrackerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"authplatform-usage-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ApiKeyOptions _options = new() { LastUsedWriteInterval = TimeSpan.FromMinutes(1) };
    private ServiceProvider _services = null!;
    private ApiKeyUsageTracker _tracker = null!;
    private Guid _ownerId;

    public async Task InitializeAsync()
    {
        var collection = new ServiceCollection();
        collection.AddDbContext<AuthDbContext, SqliteAuthDbContext>(o => o.UseSqlite($"Data Source={_path}"));
        _services = collection.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await db.Database.EnsureCreatedAsync();
        var owner = User.Register(Guid.NewGuid(), EmailAddress.Create("alice@example.com"), "Alice", "hash", "stamp", Start);
        db.Users.Add(owner);
        await db.SaveChangesAsync();
        _ownerId = owner.Id;
        _tracker = new ApiKeyUsageTracker(_services.GetRequiredService<IServiceScopeFactory>(), Options.Create(_options), _clock, NullLogger<ApiKeyUsageTracker>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private async Task<Guid> StoredKeyAsync(string hash)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var key = ApiKey.Issue(Guid.NewGuid(), _ownerId, "k", "ap_AbCdEfGh", hash, ["profile"], null, Start);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return key.Id;
    }

    private async Task<DateTimeOffset?> LastUsedAtAsync(Guid id)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await db.ApiKeys.AsNoTracking().Where(k => k.Id == id).Select(k => k.LastUsedAt).SingleAsync();
    }

    [Fact]
    public async Task FlushAsync_NothingTouched_WritesNothing()
    {
        Assert.Equal(0, await _tracker.FlushAsync(CancellationToken.None));
    }

    [Fact]
    public async Task FlushAsync_CutShortByCancellation_PutsBackWhatItDidNotWrite()
    {
        var id = await StoredKeyAsync("h-cut");
        _tracker.Touch(id, Start.AddSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _tracker.FlushAsync(new CancellationToken(canceled: true)));

        Assert.Null(await LastUsedAtAsync(id));
        Assert.Equal(1, await _tracker.FlushAsync(CancellationToken.None));
        Assert.Equal(Start.AddSeconds(1), await LastUsedAtAsync(id));
    }

    [Fact]
    public async Task Touch_TwiceWithinTheInterval_QueuesOneWriteWithTheFirstTime()
    {
        var id = await StoredKeyAsync("h1");
        var first = Start.AddSeconds(1);

        _tracker.Touch(id, first);
        _tracker.Touch(id, first.AddSeconds(30));

        Assert.Equal(1, await _tracker.FlushAsync(CancellationToken.None));
        Assert.Equal(first, await LastUsedAtAsync(id));
        Assert.Equal(0, await _tracker.FlushAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Touch_WithinTheIntervalAfterAFlush_QueuesNothing()
    {
        var id = await StoredKeyAsync("h1");
        _tracker.Touch(id, Start);
        await _tracker.FlushAsync(CancellationToken.None);

        _tracker.Touch(id, Start.AddSeconds(59));

        Assert.Equal(0, await _tracker.FlushAsync(CancellationToken.None));
        Assert.Equal(Start, await LastUsedAtAsync(id));
    }

    [Fact]
    public async Task Touch_AfterTheInterval_QueuesANewWrite()
    {
        var id = await StoredKeyAsync("h1");
        _tracker.Touch(id, Start);
        await _tracker.FlushAsync(CancellationToken.None);

        _tracker.Touch(id, Start.AddMinutes(1));

        Assert.Equal(1, await _tracker.FlushAsync(CancellationToken.None));
        Assert.Equal(Start.AddMinutes(1), await LastUsedAtAsync(id));
    }

    [Fact]
    public async Task Touch_TwoKeys_QueuesOneWriteEach()
    {
        var a = await StoredKeyAsync("h1");
        var b = await StoredKeyAsync("h2");

        _tracker.Touch(a, Start);
        _tracker.Touch(b, Start.AddSeconds(5));
        _tracker.Touch(a, Start.AddSeconds(10));

        Assert.Equal(2, await _tracker.FlushAsync(CancellationToken.None));
        Assert.Equal(Start, await LastUsedAtAsync(a));
        Assert.Equal(Start.AddSeconds(5), await LastUsedAtAsync(b));
    }

    [Fact]
    public async Task FlushAsync_OlderUseThanStored_DoesNotMoveLastUsedAtBack()
    {
        var id = await StoredKeyAsync("h1");
        _tracker.Touch(id, Start.AddMinutes(10));
        await _tracker.FlushAsync(CancellationToken.None);
        var other = new ApiKeyUsageTracker(_services.GetRequiredService<IServiceScopeFactory>(), Options.Create(_options), _clock, NullLogger<ApiKeyUsageTracker>.Instance);

        other.Touch(id, Start.AddMinutes(5));
        await other.FlushAsync(CancellationToken.None);

        Assert.Equal(Start.AddMinutes(10), await LastUsedAtAsync(id));
    }
}
