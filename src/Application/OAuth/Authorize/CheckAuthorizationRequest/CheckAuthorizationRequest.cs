// Longer than 150 lines because RFC 6749 4.1.1, RFC 7636 and RFC 9700 2.1 order the checks of one request: client and redirect URI first (errors on a page), then the rest (errors redirected).
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Authorize.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using Mediator;

namespace AuthPlatform.Application.OAuth.Authorize.CheckAuthorizationRequest;

/// <summary>
/// Checks an authorization request before anything is shown or asked: the client and its redirect
/// URI first (until both are trusted, an error is shown on a page and never redirected), then the
/// response type, the grant, PKCE (S256 only; required for public clients), the scopes (within
/// the client's), the nonce, the state and <c>prompt</c>.
/// </summary>
public sealed record CheckAuthorizationRequestQuery(AuthorizationParameters Parameters) : IQuery<Result<AuthorizationCheck>>;

public sealed class CheckAuthorizationRequestHandler(IOAuthClientRepository clients)
    : IQueryHandler<CheckAuthorizationRequestQuery, Result<AuthorizationCheck>>
{
    public const int MaxStateLength = 2048;

    public async ValueTask<Result<AuthorizationCheck>> Handle(CheckAuthorizationRequestQuery query, CancellationToken cancellationToken)
    {
        var p = query.Parameters;
        if (p.RepeatedParameters.Contains("client_id") || p.RepeatedParameters.Contains("redirect_uri"))
        {
            return Page("client_id and redirect_uri may be sent once only.");
        }

        if (string.IsNullOrEmpty(p.ClientId))
        {
            return Page("The request names no client (client_id is missing).");
        }

        var client = p.ClientId.Length <= 128 ? await clients.FindByClientIdAsync(p.ClientId, cancellationToken) : null;
        if (client is null)
        {
            return Page("No application is registered with this client_id.");
        }

        if (string.IsNullOrEmpty(p.RedirectUri))
        {
            return Page("The request has no redirect_uri: it must repeat one registered for this application exactly.");
        }

        if (!client.AllowsRedirectUri(p.RedirectUri))
        {
            return Page("This redirect_uri is not registered for this application (redirect URIs must match exactly).");
        }

        // From here the redirect URI is trusted: errors go back to the application.
        var error = RedirectableError(p, client, out var scopes);
        if (error is not null)
        {
            var state = p.State is { Length: <= MaxStateLength } ? p.State : null;
            return new AuthorizationCheck(null, null, new AuthorizationRedirectError(p.RedirectUri, error.Value.Code, error.Value.Description, state));
        }

        return new AuthorizationCheck(
            new AuthorizationRequest(
                client.ClientId, client.Name, p.RedirectUri, scopes, p.State, p.CodeChallenge, p.CodeChallengeMethod, p.Nonce, p.Prompt),
            null,
            null);
    }

    private static Result<AuthorizationCheck> Page(string message) => new AuthorizationCheck(null, message, null);

    private static (string Code, string Description)? RedirectableError(AuthorizationParameters p, OAuthClient client, out ScopeSet scopes)
    {
        scopes = ScopeSet.Empty;
        if (p.RepeatedParameters.Count > 0)
        {
            return (OAuthProtocolErrors.InvalidRequest, $"{string.Join(", ", p.RepeatedParameters)} may be sent once only.");
        }

        if (p.State is { Length: > MaxStateLength })
        {
            return (OAuthProtocolErrors.InvalidRequest, $"state is at most {MaxStateLength} characters.");
        }

        if (string.IsNullOrEmpty(p.ResponseType))
        {
            return (OAuthProtocolErrors.InvalidRequest, "response_type is required.");
        }

        if (p.ResponseType != "code")
        {
            return (OAuthProtocolErrors.UnsupportedResponseType, "Only response_type=code is supported.");
        }

        if (!client.AllowsGrant(OAuthGrantTypes.AuthorizationCode))
        {
            return (OAuthProtocolErrors.UnauthorizedClient, "This application is not registered for the authorization_code grant.");
        }

        var pkce = PkceError(p, client);
        if (pkce is not null)
        {
            return (OAuthProtocolErrors.InvalidRequest, pkce);
        }

        if (p.Nonce is { Length: 0 or > AuthorizationCode.MaxNonceLength })
        {
            return (OAuthProtocolErrors.InvalidRequest, $"nonce is 1 to {AuthorizationCode.MaxNonceLength} characters.");
        }

        if (p.Prompt is not (null or AuthorizationRequest.PromptNone or AuthorizationRequest.PromptLogin or AuthorizationRequest.PromptConsent))
        {
            return (OAuthProtocolErrors.InvalidRequest, "prompt is none, login or consent (one value).");
        }

        if (string.IsNullOrWhiteSpace(p.Scope))
        {
            return (OAuthProtocolErrors.InvalidScope, "scope is required.");
        }

        if (p.Scope.Length > 4096 || !ScopeSet.TryParse(p.Scope, out var requested))
        {
            return (OAuthProtocolErrors.InvalidScope, "scope is a space-separated list of scope names.");
        }

        var missing = requested.FirstMissingFrom(client.Scopes);
        if (missing is not null)
        {
            return (OAuthProtocolErrors.InvalidScope, $"This application is not registered for the scope '{missing}'.");
        }

        scopes = requested;
        return null;
    }

    private static string? PkceError(AuthorizationParameters p, OAuthClient client)
    {
        if (p.CodeChallengeMethod is not null && p.CodeChallengeMethod != AuthorizationCode.S256)
        {
            return "code_challenge_method must be S256 (plain is not accepted).";
        }

        if (p.CodeChallenge is null)
        {
            if (p.CodeChallengeMethod is not null)
            {
                return "code_challenge_method was sent without a code_challenge.";
            }

            return client.Type == OAuthClientType.Public ? "code_challenge is required for public clients (PKCE, S256)." : null;
        }

        if (p.CodeChallengeMethod is null)
        {
            return "code_challenge_method=S256 is required with a code_challenge (plain is not accepted).";
        }

        return p.CodeChallenge.Length == 43 && p.CodeChallenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? null
            : "code_challenge is the 43-character base64url SHA-256 of the verifier.";
    }
}
