using AuthPlatform.Client.Generated.Api.V1.AuditEvents;
using AuthPlatform.Client.Generated.Models;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;

namespace AuthPlatform.Client.Tests;

/// <summary>
/// The README's walk-throughs (sessions, API keys, two-factor authentication, service accounts) through the SDK: every
/// REST call through the generated client, unmodified, against the real server.
/// </summary>
public sealed class WalkThroughTests(Server server) : IClassFixture<Server>
{
    [Fact]
    public async Task Sessions_RegisterSignInMeVerifySessionsJwksRefreshLogout()
    {
        using var client = server.NewClient();
        var email = await server.RegisterAsync(client);
        var signedIn = Assert.IsType<SignInResult.Completed>(await client.SignInAsync(email, Server.Password));
        Assert.Equal(TokenKind.Session, signedIn.Tokens.Kind);
        Assert.Equal(signedIn.Tokens, await client.TokenStore.LoadAsync(default));

        var me = await client.Api.Api.V1.Auth.Me.GetAsync();
        Assert.Equal(email, me!.Email);
        Assert.Equal("jwt", me.Auth!.Method);
        Assert.Contains("api_keys:write", me.Auth.Scopes!);
        var verified = await client.Api.Api.V1.Auth.Verify.GetAsync();
        Assert.True(verified!.Active);
        Assert.Equal("jwt", verified.Method);
        var session = Assert.Single((await client.Api.Api.V1.Auth.Sessions.GetAsync())!);
        Assert.True(session.Current);
        Assert.Contains("AuthPlatform.Client/", session.UserAgent, StringComparison.Ordinal);
        var jwks = await client.Api.WellKnown.JwksJson.GetAsync();
        Assert.NotEmpty(jwks!.Keys!);

        // The refresh and logout of the walk-through, by hand through the generated client.
        var pair = await client.Api.Api.V1.Auth.Refresh.PostAsync(new RefreshRequest { RefreshToken = signedIn.Tokens.RefreshToken });
        Assert.NotEqual(signedIn.Tokens.RefreshToken, pair!.RefreshToken);
        await client.Api.Api.V1.Auth.Logout.PostAsync(new RefreshRequest { RefreshToken = pair.RefreshToken });
        var afterLogout = await Assert.ThrowsAsync<AuthPlatformException>(
            () => client.Api.Api.V1.Auth.Refresh.PostAsync(new RefreshRequest { RefreshToken = pair.RefreshToken }));
        Assert.Equal((401, "invalid_token"), (afterLogout.Status, afterLogout.Code));
    }

    [Fact]
    public async Task ApiKeys_CreateUseListRotateRevokeDelete()
    {
        var (user, _) = await server.SignedInAsync();
        using var _u = user;
        var created = await user.Api.Api.V1.Auth.ApiKeys.PostAsync(new CreateApiKeyRequest { Name = "ci deploy", Permissions = ["profile", "api_keys:read"] });
        Assert.StartsWith("ap_", created!.Key, StringComparison.Ordinal);

        using var keyClient = server.NewClient(o => o.ApiKey = created.Key);
        var me = await keyClient.Api.Api.V1.Auth.Me.GetAsync();
        Assert.Equal(("api_key", created.Id), (me!.Auth!.Method, me.Auth.ApiKeyId));
        var sent = server.Handler.Requests.Last(r => r.RequestUri!.AbsolutePath == "/api/v1/auth/me");
        Assert.Equal(created.Key, Assert.Single(sent.Headers.GetValues("X-API-Key")));
        Assert.Null(sent.Headers.Authorization);
        Assert.Equal("api_key", (await keyClient.Api.Api.V1.Auth.Verify.GetAsync())!.Method);

        var outsideScope = await Assert.ThrowsAsync<AuthPlatformException>(
            () => keyClient.Api.Api.V1.Auth.ApiKeys.PostAsync(new CreateApiKeyRequest { Name = "more", Permissions = ["profile"] }));
        Assert.Equal((403, "insufficient_scope"), (outsideScope.Status, outsideScope.Code));

        Assert.Contains((await user.Api.Api.V1.Auth.ApiKeys.GetAsync())!, k => k.Id == created.Id);

        var rotated = await user.Api.Api.V1.Auth.ApiKeys[created.Id!.Value].Rotate.PostAsync();
        Assert.NotEqual(created.Key, rotated!.Key);
        using var rotatedClient = server.NewClient(o => o.ApiKey = rotated.Key);
        Assert.Equal(rotated.Id, (await rotatedClient.Api.Api.V1.Auth.Me.GetAsync())!.Auth!.ApiKeyId);
        var oldKey = await Assert.ThrowsAsync<AuthPlatformException>(() => keyClient.Api.Api.V1.Auth.Verify.GetAsync());
        Assert.Equal((401, "invalid_api_key"), (oldKey.Status, oldKey.Code));

        var revoked = await user.Api.Api.V1.Auth.ApiKeys[rotated.Id!.Value].Revoke.PostAsync();
        Assert.NotNull(revoked!.RevokedAt);
        var refused = await Assert.ThrowsAsync<AuthPlatformException>(() => rotatedClient.Api.Api.V1.Auth.Verify.GetAsync());
        Assert.Equal((401, "invalid_api_key"), (refused.Status, refused.Code));

        await user.Api.Api.V1.Auth.ApiKeys[rotated.Id.Value].DeleteAsync();
        var gone = await Assert.ThrowsAsync<AuthPlatformException>(() => user.Api.Api.V1.Auth.ApiKeys[rotated.Id.Value].GetAsync());
        Assert.Equal((404, "not_found"), (gone.Status, gone.Code));
    }

    [Fact]
    public async Task TwoFactor_EnableSignInWithCodeAndRecoveryCodeStepUpWithHeader()
    {
        var (user, email) = await server.SignedInAsync();
        using var _u = user;
        var setup = await user.Api.Api.V1.Auth.Twofa.Setup.PostAsync(new TwoFactorSetupRequest { CurrentPassword = Server.Password });
        await using (var png = await user.Api.Api.V1.Auth.Twofa.QrPng.GetAsync())
        {
            var magic = new byte[4];
            await png!.ReadExactlyAsync(magic);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, magic);
        }

        var enabled = await user.Api.Api.V1.Auth.Twofa.Enable.PostAsync(
            new TwoFactorEnableRequest { Code = NextCode(setup!.Secret!), CurrentPassword = Server.Password });
        Assert.Equal(10, enabled!.RecoveryCodes!.Count);
        var stale = (await user.TokenStore.LoadAsync(default))!;
        var revoked = await Assert.ThrowsAsync<AuthPlatformException>(() => user.Api.Api.V1.Auth.Twofa.GetAsync());
        Assert.Equal((401, "invalid_token"), (revoked.Status, revoked.Code)); // enabling 2FA revoked the access token: refresh
        Assert.NotEqual(stale.AccessToken, (await user.RefreshAsync()).AccessToken);
        Assert.True((await user.Api.Api.V1.Auth.Twofa.GetAsync())!.Enabled);

        // This session started before 2FA: creating a key needs X-2FA-Code.
        var key = new CreateApiKeyRequest { Name = "step-up", Permissions = ["profile"] };
        var noProof = await Assert.ThrowsAsync<AuthPlatformException>(() => user.Api.Api.V1.Auth.ApiKeys.PostAsync(key));
        Assert.Equal((403, "mfa_required"), (noProof.Status, noProof.Code));
        var wrong = await Assert.ThrowsAsync<AuthPlatformException>(
            () => user.Api.Api.V1.Auth.ApiKeys.PostAsync(key, SecondFactor.Code<DefaultQueryParameters>(WrongCode(setup.Secret!))));
        Assert.Equal((401, "invalid_mfa_code"), (wrong.Status, wrong.Code));
        var withCode = await user.Api.Api.V1.Auth.ApiKeys.PostAsync(key, SecondFactor.Code<DefaultQueryParameters>(NextCode(setup.Secret!)));
        Assert.StartsWith("ap_", withCode!.Key, StringComparison.Ordinal);

        using var second = server.NewClient();
        var challenge = Assert.IsType<SignInResult.SecondFactorRequired>(await second.SignInAsync(email, Server.Password)).Challenge;
        Assert.Null(await second.TokenStore.LoadAsync(default));
        var tokens = await second.CompleteSecondFactorAsync(challenge, NextCode(setup.Secret!));
        Assert.Equal(tokens, await second.TokenStore.LoadAsync(default));
        Assert.True((await second.Api.Api.V1.Auth.Me.GetAsync())!.TwoFactorEnabled);
        Assert.NotNull(await second.Api.Api.V1.Auth.ApiKeys.PostAsync(key)); // a fresh second factor is the proof

        using var third = server.NewClient();
        var recovery = Assert.IsType<SignInResult.SecondFactorRequired>(await third.SignInAsync(email, Server.Password)).Challenge;
        await third.CompleteSecondFactorAsync(recovery, enabled.RecoveryCodes[0]);
        Assert.Equal(9, (await third.Api.Api.V1.Auth.Twofa.GetAsync())!.RecoveryCodesLeft);

        var failures = await second.Api.Api.V1.AuditEvents.GetAsync(c => c.QueryParameters.Type = "mfa.failed");
        Assert.NotEmpty(failures!);
    }

    [Fact]
    public async Task ServiceAccounts_ClientCredentialsSecretsMetadataDelete()
    {
        var (user, _) = await server.SignedInAsync();
        using var _u = user;
        var account = await user.Api.Api.V1.ServiceAccounts.PostAsync(
            new CreateServiceAccountRequest { Name = "billing-sync", Description = "nightly invoice export", Scopes = ["profile", "api_keys:read"] });
        Assert.StartsWith("sa_", account!.ClientId, StringComparison.Ordinal);

        using var service = server.NewClient(o => (o.ClientId, o.ClientSecret) = (account.ClientId, account.ClientSecret));
        var verified = await service.Api.Api.V1.Auth.Verify.GetAsync();
        Assert.Equal(("oauth", account.ClientId), (verified!.Method, verified.ClientId));
        Assert.Equal(["api_keys:read", "profile"], verified.Scopes!.Order());

        using var wrongSecret = server.NewClient(o => (o.ClientId, o.ClientSecret) = (account.ClientId, "wrong"));
        var invalidClient = await Assert.ThrowsAsync<AuthPlatformOAuthException>(() => wrongSecret.Api.Api.V1.Auth.Verify.GetAsync());
        Assert.Equal((401, "invalid_client"), (invalidClient.Status, invalidClient.Error));
        using var admin = server.NewClient(o => (o.ClientId, o.ClientSecret, o.Scope) = (account.ClientId, account.ClientSecret, "admin"));
        var invalidScope = await Assert.ThrowsAsync<AuthPlatformOAuthException>(() => admin.Api.Api.V1.Auth.Verify.GetAsync());
        Assert.Equal((400, "invalid_scope"), (invalidScope.Status, invalidScope.Error));

        var secret = await user.Api.Api.V1.ServiceAccounts[account.Id!.Value].Secrets.PostAsync(
            new AddServiceAccountSecretRequest { ExpiresAt = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        using var rotated = server.NewClient(o => (o.ClientId, o.ClientSecret, o.Scope) = (account.ClientId, secret!.ClientSecret, "profile"));
        Assert.Equal(["profile"], (await rotated.Api.Api.V1.Auth.Verify.GetAsync())!.Scopes!);
        Assert.Equal(2, (await user.Api.Api.V1.ServiceAccounts[account.Id.Value].GetAsync())!.Secrets!.Count);

        var metadata = await user.Api.WellKnown.OpenidConfiguration.GetAsync();
        Assert.Equal($"{Server.BaseUrl}/oauth/token", metadata!.TokenEndpoint);

        await user.Api.Api.V1.ServiceAccounts[account.Id.Value].DeleteAsync();
        var deleted = await Assert.ThrowsAsync<AuthPlatformException>(() => service.Api.Api.V1.Auth.Verify.GetAsync());
        Assert.Equal((401, "invalid_token"), (deleted.Status, deleted.Code));
    }

    /// <summary>A code of the next 30-second step of the server's clock (each code is accepted once).</summary>
    private string NextCode(string secret)
    {
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        return IndependentTotp.Code(secret, server.Clock.GetUtcNow());
    }

    private string WrongCode(string secret)
    {
        var right = IndependentTotp.Code(secret, server.Clock.GetUtcNow());
        return right == "000000" ? "111111" : "000000";
    }
}
