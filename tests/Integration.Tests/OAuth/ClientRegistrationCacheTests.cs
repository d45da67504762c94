using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// The token endpoint keeps the clients it found in memory (ADR 0015), yet never answers from a
/// stale registration on this instance: each test first grants once (the client is now cached),
/// commits a change to the client or its owner, and the very next grant sees it. Without the
/// eviction after the commit, each of them fails (the cache lives 60 s).
/// </summary>
public abstract class ClientRegistrationCacheTests<TFixture>(TFixture fixture) : OAuthTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private async Task<string> GrantAsync(JsonObject account)
    {
        var response = await ClientCredentialsAsync(account);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return Str(await ReadObjectAsync(response), "access_token");
    }

    /// <summary>A fresh grant whose token the validator accepts: it carries the owner's current stamp.</summary>
    private async Task AssertFreshTokenIsAcceptedAsync(JsonObject account)
    {
        var token = await GrantAsync(account);
        var verified = await GetAsync("/api/v1/auth/verify", token);
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Grant_AfterTheAccountIsDeleted_IsInvalidClient()
    {
        var (session, account) = await NewServiceAccountAsync();
        await GrantAsync(account);

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"{Accounts}/{Str(account, "id")}", Str(session, "token"))).StatusCode);

        await AssertOAuthErrorAsync(await ClientCredentialsAsync(account), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Grant_WithASecretDeletedAfterItWasUsed_IsInvalidClient_AndTheNewSecretWorksAtOnce()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = Str(session, "token");
        await GrantAsync(account);
        var added = await ReadObjectAsync(await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, token));
        var withNew = account.DeepClone().AsObject();
        withNew["client_secret"] = Str(added, "client_secret");
        await GrantAsync(withNew); // the secret added after the client was cached is known at once

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"{Accounts}/{Str(account, "id")}/secrets/{Str(account, "secret_id")}", token)).StatusCode);

        await AssertOAuthErrorAsync(await ClientCredentialsAsync(account), HttpStatusCode.Unauthorized, "invalid_client");
        await GrantAsync(withNew);
    }

    [Fact]
    public async Task Grant_AfterTheOwnerIsDisabled_IsInvalidClient()
    {
        var (session, account) = await NewServiceAccountAsync();
        await GrantAsync(account);
        var admin = Str(await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword), "token");

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"/api/v1/admin/users/{Str(session["user"], "id")}/disable", new { }, admin)).StatusCode);

        await AssertOAuthErrorAsync(await ClientCredentialsAsync(account), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Grant_AfterTheOwnerChangesThePassword_CarriesTheNewStamp()
    {
        var (session, account) = await NewServiceAccountAsync();
        await GrantAsync(account);

        var changed = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "another long passphrase 42" }, Str(session, "token"));
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());

        await AssertFreshTokenIsAcceptedAsync(account);
    }

    [Fact]
    public async Task Grant_AfterTheOwnerSignsOutEverywhere_CarriesTheNewStamp()
    {
        var (session, account) = await NewServiceAccountAsync();
        await GrantAsync(account);

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync("/api/v1/auth/sessions", Str(session, "token"))).StatusCode);

        await AssertFreshTokenIsAcceptedAsync(account);
    }
}

public sealed class ClientRegistrationCacheTestsOnSqlite(SqliteApiFixture fixture) : ClientRegistrationCacheTests<SqliteApiFixture>(fixture);

public sealed class ClientRegistrationCacheTestsOnPostgres(PostgresApiFixture fixture) : ClientRegistrationCacheTests<PostgresApiFixture>(fixture);
