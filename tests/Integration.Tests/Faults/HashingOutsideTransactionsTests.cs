using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// No password or recovery-code hashing inside a write transaction, anywhere (issue 8): every call
/// that hashes or verifies a slow hash is watched, and each one must find no transaction open on
/// its request's database context. On SQLite an open write transaction is the database's only
/// write lock, so a hash inside one stalls every other user for its duration.
/// </summary>
public abstract class HashingOutsideTransactionsTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : HashWatchFixture
{
    [Fact]
    public async Task EveryCallThatHashes_RunsWithNoTransactionOpen()
    {
        var watch = Fixture.Watch;
        watch.Clear();
        var email = NewEmail();
        await RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "a wrong password here" })).StatusCode);
        var session = await LoginAsync(email);

        // Change the password: a wrong current one, then the right one (two hashes).
        const string NewPassword = "a brand new passphrase 2";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync("/api/v1/auth/password", new { current_password = "not my password at all", new_password = NewPassword }, Str(session, "token"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = NewPassword }, Str(session, "token"))).StatusCode);
        session = await RefreshAsync(session);

        // Enrol 2FA (the password, then ten recovery codes hashed), regenerate them (ten more).
        var setup = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/2fa/setup", new { current_password = NewPassword }, Str(session, "token")));
        var secret = Str(setup, "secret");
        var enabled = await PostJsonAsync("/api/v1/auth/2fa/enable", new { code = Code(secret), current_password = NewPassword }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        session = await RefreshAsync(session);
        Factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var regenerated = await PostJsonAsync("/api/v1/auth/2fa/recovery-codes", new { code = Code(secret) }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);
        var recoveryCodes = (await ReadObjectAsync(regenerated))["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();

        // Sign in with a recovery code (one verified), then turn 2FA off with another.
        var challenge = await ReadObjectAsync(await Client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = NewPassword }));
        var second = await Client.PostAsJsonAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(challenge, "mfa_token"), recovery_code = recoveryCodes[0] });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        session = await ReadObjectAsync(second);
        Assert.Equal(HttpStatusCode.NoContent, (await PostJsonAsync("/api/v1/auth/2fa/disable", new { recovery_code = recoveryCodes[1] }, Str(session, "token"))).StatusCode);

        // Register, two logins, two password checks and a new hash, the setup's password, the
        // enable's password and ten codes, ten regenerated codes, two recovery codes verified.
        Assert.True(watch.Calls >= 1 + 2 + 3 + 1 + 11 + 10 + 2, $"only {watch.Calls} hashing calls were seen: the watch is not in the path");
        Assert.True(watch.InsideTransaction.IsEmpty, "hashed inside a write transaction:\n" + string.Join("\n---\n", watch.InsideTransaction));
    }

    private string Code(string secret) => IndependentTotp.Code(secret, Factory.Clock.GetUtcNow());

    private async Task<JsonObject> RefreshAsync(JsonObject session)
    {
        var refreshed = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        return await ReadObjectAsync(refreshed);
    }
}

/// <summary>The password hasher, watched: each call notes whether its request's database context had a transaction open.</summary>
public sealed class HashWatch
{
    private int _calls;

    public int Calls => _calls;

    public ConcurrentQueue<string> InsideTransaction { get; } = new();

    public void Clear()
    {
        _calls = 0;
        InsideTransaction.Clear();
    }

    public void Note(IHttpContextAccessor http)
    {
        Interlocked.Increment(ref _calls);
        var db = http.HttpContext?.RequestServices.GetService<AuthDbContext>();
        if (db?.Database.CurrentTransaction is not null)
        {
            InsideTransaction.Enqueue($"{http.HttpContext!.Request.Method} {http.HttpContext.Request.Path}\n{new StackTrace(1)}");
        }
    }

    /// <summary>Replaces the application's <see cref="IPasswordHasher"/> with itself watched.</summary>
    public void Decorate(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPasswordHasher));
        services.Remove(original);
        services.AddSingleton<IPasswordHasher>(provider => new WatchedHasher(
            (IPasswordHasher)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!),
            provider.GetRequiredService<IHttpContextAccessor>(),
            this));
    }

    private sealed class WatchedHasher(IPasswordHasher inner, IHttpContextAccessor http, HashWatch watch) : IPasswordHasher
    {
        public string Hash(string password)
        {
            watch.Note(http);
            return inner.Hash(password);
        }

        public PasswordCheck Verify(string hash, string password)
        {
            watch.Note(http);
            return inner.Verify(hash, password);
        }

        public void VerifyAgainstDummy(string password)
        {
            watch.Note(http);
            inner.VerifyAgainstDummy(password);
        }
    }
}

public abstract class HashWatchFixture(DatabaseKind kind) : ApiFixture(kind)
{
    public HashWatch Watch { get; } = new();

    protected override AuthApiFactory CreateFactory(TestDatabase database) => new(database, testServices: Watch.Decorate);
}

public sealed class HashWatchOnSqliteFixture() : HashWatchFixture(DatabaseKind.Sqlite);

public sealed class HashWatchOnPostgresFixture() : HashWatchFixture(DatabaseKind.Postgres);

public sealed class HashingOutsideTransactionsTestsOnSqlite(HashWatchOnSqliteFixture fixture)
    : HashingOutsideTransactionsTests<HashWatchOnSqliteFixture>(fixture);

public sealed class HashingOutsideTransactionsTestsOnPostgres(HashWatchOnPostgresFixture fixture)
    : HashingOutsideTransactionsTests<HashWatchOnPostgresFixture>(fixture);
