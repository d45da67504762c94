using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// The error codes of RFC 6749 (sections 4.1.2.1 and 5.2) and OpenID Connect Core 3.1.2.6, as
/// <see cref="Error"/> codes: the OAuth endpoints write them as they are, never as problems.
/// </summary>
public static class OAuthProtocolErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidScope = "invalid_scope";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string AccessDenied = "access_denied";
    public const string LoginRequired = "login_required";
    public const string ConsentRequired = "consent_required";

    public static Error Grant(string description) => new(InvalidGrant, description);

    /// <summary>A request whose parameters a validator refused (<see cref="ErrorCodes.ValidationFailed"/>) is <c>invalid_request</c>.</summary>
    public static string ProtocolCode(Error error) =>
        error.Code == ErrorCodes.ValidationFailed ? InvalidRequest : error.Code;
}

/// <summary>A scope and the words the consent page shows for it.</summary>
public sealed record ScopeDescription(string Scope, string Description);

/// <summary>What each scope lets an app do, in words for the consent page.</summary>
public static class ScopeDescriptions
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        [OAuthIdentityScopes.OpenId] = "Sign you in and know who you are (your account id)",
        [OAuthIdentityScopes.Email] = "See your email address",
        [Scopes.Profile] = "See your name and profile",
        [Scopes.ApiKeysRead] = "See your API keys (not their secrets)",
        [Scopes.ApiKeysWrite] = "Create, rotate and revoke your API keys",
        [Scopes.ServiceAccountsRead] = "See your service accounts",
        [Scopes.ServiceAccountsWrite] = "Create and delete your service accounts and their secrets",
        [Scopes.ClientsRead] = "See the OAuth apps you registered",
        [Scopes.ClientsWrite] = "Register, change and delete OAuth apps",
        [Scopes.AuditRead] = "Read the audit trail",
        [Scopes.Admin] = "Administer this server with your administrator rights",
    };

    public static ScopeDescription Describe(string scope) =>
        new(scope, Known.TryGetValue(scope, out var words) ? words : $"Use the \u201c{scope}\u201d permission of this platform's API");

    public static IReadOnlyList<ScopeDescription> Describe(IEnumerable<string> scopes) => scopes.Select(Describe).ToList();
}
