using AuthPlatform.Domain.Authorization;

namespace AuthPlatform.Application.OAuth.Authorize.Common;

/// <summary>The parameters of <c>GET /oauth/authorize</c> as sent (RFC 6749 4.1.1, RFC 7636 4.3, OpenID Connect Core 3.1.2.1).</summary>
public sealed record AuthorizationParameters(
    string? ResponseType,
    string? ClientId,
    string? RedirectUri,
    string? Scope,
    string? State,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Nonce,
    string? Prompt,
    IReadOnlyCollection<string> RepeatedParameters);

/// <summary>An authorization request that passed every check: what the code will be bound to.</summary>
public sealed record AuthorizationRequest(
    string ClientId,
    string ClientName,
    string RedirectUri,
    ScopeSet Scopes,
    string? State,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Nonce,
    string? Prompt)
{
    public const string PromptNone = "none";
    public const string PromptLogin = "login";
    public const string PromptConsent = "consent";
}

/// <summary>An error sent back to the client's (validated) redirect URI (RFC 6749 4.1.2.1, RFC 9207).</summary>
public sealed record AuthorizationRedirectError(string RedirectUri, string Error, string Description, string? State);

/// <summary>
/// What a check of an authorization request came to: exactly one of a valid request, an error for
/// the page (the client or its redirect URI could not be trusted: never redirected), or an error
/// for the client's redirect URI.
/// </summary>
public sealed record AuthorizationCheck(AuthorizationRequest? Request, string? PageError, AuthorizationRedirectError? RedirectError);
