using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// RT-03: parallel refreshes with one token never yield two usable successors. The database
/// decides (a version check on the family row), not a check-then-update in memory.
/// </summary>
public abstract class RefreshRaceTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Refresh_TwentyParallelWithOneToken_AtMostOneLiveSuccessor()
    {
        var (_, session) = await NewSessionAsync();
        var token = Str(session, "refresh_token");

        var responses = await RefreshRace.StartTogetherAsync(20, () => PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = token }));

        var winners = RefreshRace.AssertAtMostOneSucceeded(responses);
        foreach (var loser in responses.Except(winners))
        {
            await AssertProblemAsync(loser, HttpStatusCode.Unauthorized, "refresh_token_reused");
        }

        // Of every successor handed out, at most one may still be redeemable.
        var usable = 0;
        foreach (var winner in winners)
        {
            var successor = Str(await ReadObjectAsync(winner), "refresh_token");
            var next = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = successor });
            usable += next.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.True(usable <= 1);
        Assert.True(await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'refresh_token.reused'") >= 1);
    }

    [Fact]
    public async Task Refresh_TwoParallelWithOneToken_FamilyEndsRevokedWithAtMostOneRedeemedToken()
    {
        var (_, session) = await NewSessionAsync();
        var token = Str(session, "refresh_token");

        var responses = await Task.WhenAll(
            Task.Run(() => PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = token })),
            Task.Run(() => PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = token })));

        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_token_families WHERE revoked_at IS NOT NULL"));
        Assert.True(await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens WHERE redeemed_at IS NOT NULL") <= 1);
    }
}

/// <summary>The race of RT-03, shared by the body (<see cref="RefreshRaceTests{TFixture}"/>) and the cookie (<see cref="RefreshCookieTests{TFixture}"/>).</summary>
public static class RefreshRace
{
    /// <summary>Sends <paramref name="count"/> requests released at the same moment; answers them all.</summary>
    public static async Task<HttpResponseMessage[]> StartTogetherAsync(int count, Func<Task<HttpResponseMessage>> send)
    {
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await send();
        })).ToList();
        start.Set();
        return await Task.WhenAll(attempts);
    }

    /// <summary>Every answer a 200 or a 401, at most one 200; answers the 200s.</summary>
    public static List<HttpResponseMessage> AssertAtMostOneSucceeded(HttpResponseMessage[] responses)
    {
        Assert.All(responses, r => Assert.True(
            r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized,
            $"unexpected {(int)r.StatusCode}: {r.Content.ReadAsStringAsync().Result}"));
        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.True(winners.Count <= 1, $"{winners.Count} refreshes succeeded with one token");
        return winners;
    }
}

public sealed class RefreshRaceTestsOnSqlite(SqliteApiFixture fixture) : RefreshRaceTests<SqliteApiFixture>(fixture);

public sealed class RefreshRaceTestsOnPostgres(PostgresApiFixture fixture) : RefreshRaceTests<PostgresApiFixture>(fixture);
