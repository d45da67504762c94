using AuthPlatform.Application.Common.Results;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// The error codes of RFC 6749 section 5.2, answered by the token endpoint as
/// <c>{"error", "error_description"}</c> (never as a REST problem). <see cref="ErrorCodes.RateLimited"/>
/// and <see cref="ErrorCodes.ValidationFailed"/> may come back too: the endpoint maps them.
/// </summary>
public static class OAuthErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";

    /// <summary>The device grant's answers while it waits (RFC 8628 3.5).</summary>
    public const string AuthorizationPending = "authorization_pending";
    public const string SlowDown = "slow_down";
    public const string ExpiredToken = "expired_token";
    public const string AccessDenied = "access_denied";
}

public static class OAuthErrors
{
    /// <summary>One answer for every failed client authentication: unknown client, wrong, expired or missing secret alike.</summary>
    public static readonly Error InvalidClient = new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    public static Error InvalidRequest(string description) => new(OAuthErrorCodes.InvalidRequest, description);

    public static Error InvalidScope(string description) => new(OAuthErrorCodes.InvalidScope, description);

    public static Error UnauthorizedClient(string description) => new(OAuthErrorCodes.UnauthorizedClient, description);

    public static Error UnsupportedGrantType(string description) => new(OAuthErrorCodes.UnsupportedGrantType, description);
}

/// <summary>The grant types of the token endpoint.</summary>
public static class GrantTypes
{
    public const string ClientCredentials = "client_credentials";
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string Password = "password";
    public const string DeviceCode = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>The grant types the token endpoint serves (the discovery document's <c>grant_types_supported</c>).</summary>
    public static IReadOnlyList<string> Served { get; } = [AuthorizationCode, ClientCredentials, RefreshToken, Password, DeviceCode];
}

/// <summary>
/// The token endpoint's success answer (RFC 6749 section 5.1, OpenID Connect Core 3.1.3.3): no refresh
/// token for client credentials, an <c>id_token</c> when a code grant gave <c>openid</c>.
/// </summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Scope, string? RefreshToken = null, string? IdToken = null);
