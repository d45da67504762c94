using AuthPlatform.Domain.Authorization;

namespace AuthPlatform.Domain.OAuth;

/// <summary>
/// The clients the server provides itself, so that its own tools work without an administrator
/// registering them first (ADR 0019). Today one: the <c>authplatform</c> command-line tool, a public
/// first-party client of the device authorization grant (RFC 8628) that may refresh.
/// </summary>
public static class BuiltInClients
{
    /// <summary>The CLI's well-known <c>client_id</c>: public (it has no secret), so knowing it grants nothing.</summary>
    public const string CliClientId = "oc_AuthPlatformCommandLine";

    public const string CliName = "AuthPlatform CLI";

    /// <summary>
    /// What the CLI may ask for: the account (<c>profile</c>: <c>/me</c>, sessions, 2FA status) and the
    /// user's API keys. Consent is always asked: the person approving sees these scopes.
    /// </summary>
    public static OAuthClientSettings CliSettings { get; } = new(
        CliName,
        RedirectUris: [],
        PostLogoutRedirectUris: [],
        GrantTypes: [OAuthGrantTypes.DeviceCode, OAuthGrantTypes.RefreshToken],
        ScopeSet.From([Scopes.Profile, Scopes.ApiKeysRead, Scopes.ApiKeysWrite]),
        RequireConsent: true,
        FirstParty: true);
}
