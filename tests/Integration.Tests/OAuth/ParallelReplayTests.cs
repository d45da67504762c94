using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// Attacks in parallel bursts and on invalidated credentials not covered elsewhere: one refresh
/// token of a confidential OAuth client replayed 30 times at once (one rotation, the rest
/// <c>invalid_grant</c>, and the family revoked as for any replay), and the token of a service
/// account deleted meanwhile (introspection says inactive, the REST API 401).
/// </summary>
public abstract class ParallelReplayTests<TFixture>(TFixture fixture) : TokenEndpointsTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Refresh_ThirtyInParallel_OneRotationTheRestInvalidGrant_AndTheFamilyRevoked()
    {
        var user = await UserTokensAsync(requireConsent: false);
        var refresh = user.Tokens.RefreshToken!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => RefreshAtTokenEndpointAsync(user.App, refresh))));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        }

        // The losers presented a token already rotated: a replay, which revokes the family with the winner's tokens.
        var rotated = await ReadObjectAsync(winner);
        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(user.App, Str(rotated, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(Str(rotated, "access_token")));
        await AssertInactiveAsync(await IntrospectAsync(user.AsClient, Str(rotated, "access_token")));
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revocation_reason = 'refresh_token_reused'", ("@c", user.App.ClientId)));
    }

    [Fact]
    public async Task DeletedServiceAccount_ItsTokenIsInactiveAtIntrospectionAnd401AtTheApi()
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        var introspector = await NewAccountAsync();
        await AssertActiveAsync(await IntrospectAsync(introspector, token));
        var listed = await ReadArrayAsync(await GetAsync("/api/v1/service-accounts", account.OwnerToken));
        var id = Str(listed.Select(a => a!.AsObject()).Single(a => Str(a, "client_id") == account.ClientId), "id");

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"/api/v1/service-accounts/{id}", account.OwnerToken)).StatusCode);

        await AssertInactiveAsync(await IntrospectAsync(introspector, token));
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await FormAsync("/oauth/token", [P("grant_type", "client_credentials")], account)).StatusCode);
    }

    private static async Task AssertActiveAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(true, (bool?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["active"]);
    }
}

public sealed class ParallelReplayTestsOnSqlite(SqliteApiFixture fixture) : ParallelReplayTests<SqliteApiFixture>(fixture);

public sealed class ParallelReplayTestsOnPostgres(PostgresApiFixture fixture) : ParallelReplayTests<PostgresApiFixture>(fixture);
