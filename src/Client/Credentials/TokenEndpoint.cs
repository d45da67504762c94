// Longer than 150 lines because every call that obtains, renews or ends tokens is here, one place for the shapes of the token answers.
using System.Text;
using AuthPlatform.Client.Generated;
using AuthPlatform.Client.Generated.Models;
using AuthPlatform.Client.Generated.Oauth.Device_authorization;
using AuthPlatform.Client.Generated.Oauth.Revoke;
using AuthPlatform.Client.Generated.Oauth.Token;
using Microsoft.Kiota.Abstractions;

namespace AuthPlatform.Client.Credentials;

/// <summary>
/// The calls that obtain, renew and end tokens, through the generated client without a credential (they carry
/// their own: a password, a refresh token, a client's secret).
/// </summary>
internal sealed class TokenEndpoint(AuthPlatformApiClient anonymous, TimeProvider clock)
{
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>POST /api/v1/auth/login: a session, or the 2FA challenge (<c>mfa_required</c> says which).</summary>
    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken ct)
    {
        var answer = await anonymous.Api.V1.Auth.Login.PostAsync(new LoginRequest { Email = email, Password = password }, cancellationToken: ct)
            .ConfigureAwait(false) ?? throw Empty("login");
        if (answer.MfaRequired == true)
        {
            return new SignInResult.SecondFactorRequired(
                new SecondFactorChallenge(answer.MfaToken ?? throw Empty("login"), clock.GetUtcNow().AddSeconds(answer.ExpiresIn ?? 300)));
        }

        return new SignInResult.Completed(Session(answer.Token, answer.RefreshToken, answer.ExpiresAt, answer.ExpiresIn));
    }

    /// <summary>POST /api/v1/auth/login/2fa with a TOTP code (6 digits) or a recovery code.</summary>
    public async Task<TokenSet> SecondFactorAsync(SecondFactorChallenge challenge, string code, CancellationToken ct)
    {
        code = code.Trim();
        var body = new LoginSecondFactorRequest { MfaToken = challenge.MfaToken };
        if (code.Length == 6 && code.All(char.IsAsciiDigit))
        {
            body.Code = code;
        }
        else
        {
            body.RecoveryCode = code;
        }

        var session = await anonymous.Api.V1.Auth.Login.Twofa.PostAsync(body, cancellationToken: ct).ConfigureAwait(false) ?? throw Empty("login/2fa");
        return Session(session.Token, session.RefreshToken, session.ExpiresAt, session.ExpiresIn);
    }

    /// <summary>Renews <paramref name="tokens"/> with their refresh token, where they came from.</summary>
    public async Task<TokenSet> RefreshAsync(TokenSet tokens, CancellationToken ct)
    {
        if (tokens.Kind == TokenKind.Session)
        {
            var pair = await anonymous.Api.V1.Auth.Refresh.PostAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken }, cancellationToken: ct)
                .ConfigureAwait(false) ?? throw Empty("refresh");
            return Session(pair.Token, pair.RefreshToken, pair.ExpiresAt, pair.ExpiresIn) with { Scope = tokens.Scope };
        }

        var answer = await TokenAsync(
            new TokenPostRequestBody { GrantType = "refresh_token", RefreshToken = tokens.RefreshToken, ClientId = tokens.ClientId }, null, ct)
            .ConfigureAwait(false);
        return OAuth(answer, tokens.ClientId, tokens.Scope) with { RefreshToken = answer.RefreshToken ?? tokens.RefreshToken };
    }

    /// <summary>Whether a refused refresh means the session is over (rather than, say, a throttled or unavailable server).</summary>
    public static bool EndsSession(TokenKind kind, AuthPlatformException e) => kind == TokenKind.Session
        ? e.Status == 401
        : e is AuthPlatformOAuthException { Error: "invalid_grant" };

    /// <summary>The client-credentials grant, the client authenticated with HTTP Basic.</summary>
    public async Task<TokenSet> ClientCredentialsAsync(string clientId, string clientSecret, string? scope, CancellationToken ct)
    {
        var answer = await TokenAsync(new TokenPostRequestBody { GrantType = "client_credentials", Scope = scope }, Basic(clientId, clientSecret), ct)
            .ConfigureAwait(false);
        return OAuth(answer, clientId, scope);
    }

    /// <summary>POST /oauth/device_authorization for a public client.</summary>
    public async Task<DeviceAuthorization> StartDeviceAuthorizationAsync(string clientId, string? scope, CancellationToken ct)
    {
        var answer = await anonymous.Oauth.Device_authorization.PostAsync(new Device_authorizationPostRequestBody { ClientId = clientId, Scope = scope }, cancellationToken: ct)
            .ConfigureAwait(false) ?? throw Empty("device_authorization");
        return new DeviceAuthorization(
            clientId,
            scope,
            answer.DeviceCode ?? throw Empty("device_authorization"),
            answer.UserCode ?? throw Empty("device_authorization"),
            new Uri(answer.VerificationUri ?? throw Empty("device_authorization")),
            answer.VerificationUriComplete is { } complete ? new Uri(complete) : null,
            clock.GetUtcNow().AddSeconds(answer.ExpiresIn ?? 600),
            TimeSpan.FromSeconds(answer.Interval ?? 5));
    }

    /// <summary>
    /// Polls /oauth/token for <paramref name="authorization"/> every interval (5 s more after each <c>slow_down</c>)
    /// until the person decides.
    /// </summary>
    public async Task<TokenSet> WaitForDeviceAuthorizationAsync(DeviceAuthorization authorization, CancellationToken ct)
    {
        var interval = authorization.Interval;
        while (true)
        {
            await Task.Delay(interval, clock, ct).ConfigureAwait(false);
            try
            {
                var answer = await TokenAsync(
                    new TokenPostRequestBody { GrantType = DeviceCodeGrant, DeviceCode = authorization.DeviceCode, ClientId = authorization.ClientId }, null, ct)
                    .ConfigureAwait(false);
                return OAuth(answer, authorization.ClientId, authorization.Scope);
            }
            catch (AuthPlatformOAuthException e) when (e.Error == "authorization_pending")
            {
            }
            catch (AuthPlatformOAuthException e) when (e.Error == "slow_down")
            {
                interval += TimeSpan.FromSeconds(5);
            }
        }
    }

    /// <summary>Ends <paramref name="tokens"/> on the server: logout for a session, revocation of the refresh (or access) token for OAuth.</summary>
    public async Task SignOutAsync(TokenSet tokens, CancellationToken ct)
    {
        if (tokens.Kind == TokenKind.Session)
        {
            if (tokens.RefreshToken is not null)
            {
                await anonymous.Api.V1.Auth.Logout.PostAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken }, cancellationToken: ct).ConfigureAwait(false);
            }

            return;
        }

        var body = tokens.RefreshToken is { } refresh
            ? new RevokePostRequestBody { Token = refresh, TokenTypeHint = "refresh_token", ClientId = tokens.ClientId }
            : new RevokePostRequestBody { Token = tokens.AccessToken, TokenTypeHint = "access_token", ClientId = tokens.ClientId };
        using var _ = await anonymous.Oauth.Revoke.PostAsync(body, cancellationToken: ct).ConfigureAwait(false);
    }

    private async Task<TokenResponse> TokenAsync(TokenPostRequestBody body, string? authorization, CancellationToken ct) =>
        await anonymous.Oauth.Token.PostAsync(
            body,
            authorization is null ? null : c => c.Headers.Add("Authorization", authorization),
            ct).ConfigureAwait(false) ?? throw Empty("token");

    /// <summary>RFC 6749 2.3.1: the id and secret form-urlencoded, then base64.</summary>
    private static string Basic(string clientId, string clientSecret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}"));

    private TokenSet Session(string? token, string? refreshToken, DateTimeOffset? expiresAt, int? expiresIn) => new(
        token ?? throw Empty("session"), refreshToken, expiresAt ?? clock.GetUtcNow().AddSeconds(expiresIn ?? 60), TokenKind.Session, null, null);

    private TokenSet OAuth(TokenResponse answer, string? clientId, string? askedScope) => new(
        answer.AccessToken ?? throw Empty("token"), answer.RefreshToken, clock.GetUtcNow().AddSeconds(answer.ExpiresIn ?? 60), TokenKind.OAuth, clientId,
        answer.Scope ?? askedScope);

    private static AuthPlatformException Empty(string what) => new($"The server's {what} answer had no content where tokens were expected.");
}
