using System.ComponentModel;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;

namespace AuthPlatform.WebApi.Controllers;

// The session answers on the wire (SPEC section 2), from the use cases' responses. Each leaves out
// `refresh_token` when the refresh token went into the dashboard's cookie instead (RefreshTokenCookie).

/// <summary>
/// The answer of <c>POST /login</c> on the wire (SPEC section 2), from the use case's <see cref="LoginResponse"/>: one object for both outcomes, told apart by
/// <c>mfa_required</c>, so that every client generator reads it (a oneOf of the session and the challenge
/// has nothing a generator can discriminate on: ADR 0016).
/// </summary>
[Description("The login's answer. `mfa_required` false: the session (`token`, `refresh_token` unless it went into the refresh cookie, `token_type`, `expires_in`, `expires_at`, `user`). "
    + "`mfa_required` true: the 2FA challenge (`mfa_token`, `expires_in`), whose `mfa_token` goes to `POST /api/v1/auth/login/2fa` with a code; no token is issued yet.")]
public sealed record LoginAnswer(
    [property: Description("True: the account has 2FA on and this is the challenge; false: this is the session.")] bool MfaRequired,
    [property: Description("The challenge only: the short-lived token for `POST /api/v1/auth/login/2fa`.")] string? MfaToken,
    [property: Description("The session only: the access token (a JWT).")] string? Token,
    [property: Description("The session only: the refresh token, " + InCookie.Description)] string? RefreshToken,
    [property: Description("The session only: `Bearer`.")] string? TokenType,
    [property: Description("Seconds until the access token (session) or the `mfa_token` (challenge) expires.")] int ExpiresIn,
    [property: Description("The session only: when the access token expires.")] DateTimeOffset? ExpiresAt,
    [property: Description("The session only: the signed-in account.")] SessionUser? User)
{
    /// <param name="refreshTokenInCookie">True: the refresh token went into the cookie and is left out here.</param>
    public static LoginAnswer Of(LoginResponse login, bool refreshTokenInCookie) => login.Challenge is { } challenge
        ? new(true, challenge.MfaToken, null, null, null, challenge.ExpiresIn, null, null)
        : new(false, null, login.Session!.Token, InCookie.Unless(refreshTokenInCookie, login.Session.RefreshToken), login.Session.TokenType,
            login.Session.ExpiresIn, login.Session.ExpiresAt, login.Session.User);
}

/// <summary>The answer of <c>POST /login/2fa</c>: the session.</summary>
[Description("A new session: the access token, its refresh token (unless it went into the refresh cookie) and the signed-in account.")]
public sealed record SessionAnswer(
    [property: Description("The access token (a JWT).")] string Token,
    [property: Description("The refresh token, " + InCookie.Description)] string? RefreshToken,
    [property: Description("`Bearer`.")] string TokenType,
    [property: Description("Seconds until the access token expires.")] int ExpiresIn,
    [property: Description("When the access token expires.")] DateTimeOffset ExpiresAt,
    [property: Description("The signed-in account.")] SessionUser User)
{
    /// <param name="refreshTokenInCookie">True: the refresh token went into the cookie and is left out here.</param>
    public static SessionAnswer Of(SessionResponse session, bool refreshTokenInCookie) =>
        new(session.Token, InCookie.Unless(refreshTokenInCookie, session.RefreshToken), session.TokenType, session.ExpiresIn, session.ExpiresAt, session.User);
}

/// <summary>The answer of <c>POST /refresh</c>: the new token pair.</summary>
[Description("The rotated token pair: a new access token and a new refresh token (unless it went into the refresh cookie).")]
public sealed record RefreshAnswer(
    [property: Description("The access token (a JWT).")] string Token,
    [property: Description("The refresh token, " + InCookie.Description)] string? RefreshToken,
    [property: Description("`Bearer`.")] string TokenType,
    [property: Description("Seconds until the access token expires.")] int ExpiresIn,
    [property: Description("When the access token expires.")] DateTimeOffset ExpiresAt)
{
    /// <param name="refreshTokenInCookie">True: the refresh token went into the cookie and is left out here.</param>
    public static RefreshAnswer Of(TokenPair pair, bool refreshTokenInCookie) =>
        new(pair.Token, InCookie.Unless(refreshTokenInCookie, pair.RefreshToken), pair.TokenType, pair.ExpiresIn, pair.ExpiresAt);
}

internal static class InCookie
{
    public const string Description =
        "shown only here; left out when it went into the HttpOnly refresh cookie instead (`X-Refresh-Token-Transport: cookie`, or a refresh made with the cookie).";

    public static string? Unless(bool inCookie, string refreshToken) => inCookie ? null : refreshToken;
}
