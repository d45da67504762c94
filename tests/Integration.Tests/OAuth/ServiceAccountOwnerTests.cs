using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// A service account's client-credentials token is bound to its owner's security stamp: when an
/// administrator disables the owner or changes the owner's role, or the owner changes the password,
/// the tokens already issued stop at once on every endpoint (once a known gap: they lived until
/// <c>exp</c>). A new token, capped at the owner's current role, is one grant away.
/// </summary>
public abstract class ServiceAccountOwnerTests<TFixture>(TFixture fixture) : OAuthTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private async Task<string> AdminTokenAsync() => Str(await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword), "token");

    private async Task<string> AccessTokenAsync(JsonObject account)
    {
        var response = await ClientCredentialsAsync(account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = Str(await ReadObjectAsync(response), "access_token");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", token)).StatusCode); // now remembered as verified
        return token;
    }

    [Fact]
    public async Task Token_WhenTheOwnerIsDisabled_StopsAtOnce_AndNoneIsIssuedUntilEnabled()
    {
        var (session, account) = await NewServiceAccountAsync();
        var ownerId = Str(session["user"], "id");
        var token = await AccessTokenAsync(account);
        var admin = await AdminTokenAsync();

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"/api/v1/admin/users/{ownerId}/disable", new { }, admin)).StatusCode);

        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", token), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/me", token), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertOAuthErrorAsync(await ClientCredentialsAsync(account), HttpStatusCode.Unauthorized, "invalid_client");

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"/api/v1/admin/users/{ownerId}/enable", new { }, admin)).StatusCode);
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", token), HttpStatusCode.Unauthorized, "invalid_token");
        await AccessTokenAsync(account);
    }

    [Fact]
    public async Task Token_WhenTheOwnersRoleChanges_StopsAtOnce_AndAFreshOneWorks()
    {
        var (session, account) = await NewServiceAccountAsync();
        var ownerId = Str(session["user"], "id");
        var token = await AccessTokenAsync(account);
        var other = await AccessTokenAsync((await NewServiceAccountAsync()).Account); // another owner's account: untouched

        var changed = await SendAsync(HttpMethod.Put, $"/api/v1/admin/users/{ownerId}/role", JsonContent.Create(new { role = "admin" }), await AdminTokenAsync());

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", token), HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", other)).StatusCode);
        var fresh = await AccessTokenAsync(account);
        Assert.Equal(Str(account, "client_id"), Str(await ReadObjectAsync(await GetAsync("/api/v1/auth/verify", fresh)), "client_id"));
    }

    [Fact]
    public async Task Token_WhenTheOwnerChangesThePassword_Stops()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = await AccessTokenAsync(account);

        var changed = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "another long passphrase 42" }, Str(session, "token"));

        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", token), HttpStatusCode.Unauthorized, "invalid_token");
        await AccessTokenAsync(account);
    }
}

public sealed class ServiceAccountOwnerTestsOnSqlite(SqliteApiFixture fixture) : ServiceAccountOwnerTests<SqliteApiFixture>(fixture);

public sealed class ServiceAccountOwnerTestsOnPostgres(PostgresApiFixture fixture) : ServiceAccountOwnerTests<PostgresApiFixture>(fixture);
