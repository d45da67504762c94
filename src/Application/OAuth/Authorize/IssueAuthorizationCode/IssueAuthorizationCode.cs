using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Authorize.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Users;
using Mediator;

namespace AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;

/// <summary>The browser's sign-in, as its authentication cookie carries it.</summary>
public sealed record BrowserSignIn(
    Guid UserId, Guid SessionId, string StampFingerprint, DateTimeOffset AuthenticatedAt, IReadOnlyList<string> AuthenticationMethods);

/// <summary>
/// Issues an authorization code for a checked request (<see cref="AuthorizationRequest"/>) to a
/// signed-in browser: once the sign-in still holds (the user exists, is enabled, has the same
/// security stamp, and the session the sign-in started lives), and once the user consented
/// (<paramref name="ConsentGiven"/> records or widens their <see cref="UserGrant"/>, audited), or
/// needs not (the client does not require consent, or the user already granted these scopes).
/// </summary>
public sealed record IssueAuthorizationCodeCommand(AuthorizationRequest Request, BrowserSignIn SignIn, bool ConsentGiven)
    : ICommand<Result<AuthorizationOutcome>>;

public enum AuthorizationStep
{
    /// <summary><see cref="AuthorizationOutcome.Code"/> holds the code: redirect with it.</summary>
    CodeIssued,

    /// <summary>The consent page must be shown (<see cref="AuthorizationOutcome.ScopesToConsent"/>).</summary>
    ConsentRequired,

    /// <summary>The sign-in no longer holds: sign the browser out and show the login page.</summary>
    LoginRequired,
}

public sealed record AuthorizationOutcome(AuthorizationStep Step, string? Code, IReadOnlyList<ScopeDescription> ScopesToConsent)
{
    public static AuthorizationOutcome LoginRequired { get; } = new(AuthorizationStep.LoginRequired, null, []);
}

public sealed class IssueAuthorizationCodeHandler(
    IOAuthClientRepository clients,
    BrowserSignInCheck signIns,
    IUserGrantRepository grants,
    IAuthorizationCodeRepository codes,
    ISecretGenerator secrets,
    TimeProvider clock) : ICommandHandler<IssueAuthorizationCodeCommand, Result<AuthorizationOutcome>>
{
    private static readonly Error ClientChanged =
        new(OAuthProtocolErrors.InvalidRequest, "The application's registration changed during the sign-in: start again.");

    public async ValueTask<Result<AuthorizationOutcome>> Handle(IssueAuthorizationCodeCommand command, CancellationToken cancellationToken)
    {
        var request = command.Request;
        var signIn = command.SignIn;
        var now = clock.GetUtcNow();

        // The request was checked when the page was shown; the client may have changed since.
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken);
        if (client is null || !client.AllowsRedirectUri(request.RedirectUri) || !client.AllowsGrant(OAuthGrantTypes.AuthorizationCode)
            || request.Scopes.FirstMissingFrom(client.Scopes) is not null)
        {
            return ClientChanged;
        }

        if (!await signIns.HoldsAsync(signIn, now, cancellationToken))
        {
            return AuthorizationOutcome.LoginRequired;
        }

        var grant = await grants.FindAsync(signIn.UserId, client.ClientId, cancellationToken);
        var alreadyGranted = grant?.Covers(request.Scopes) == true && request.Prompt != AuthorizationRequest.PromptConsent;
        if (command.ConsentGiven)
        {
            if (grant is null)
            {
                grants.Add(UserGrant.Grant(Guid.CreateVersion7(now), signIn.UserId, client.ClientId, request.Scopes, now));
            }
            else
            {
                grant.Extend(request.Scopes, now);
            }
        }
        else if (client.RequireConsent && !alreadyGranted)
        {
            return new AuthorizationOutcome(AuthorizationStep.ConsentRequired, null, ScopeDescriptions.Describe(request.Scopes));
        }

        var code = secrets.NewSecret();
        codes.Add(AuthorizationCode.Issue(
            Guid.CreateVersion7(now), secrets.Hash(code), client.ClientId, signIn.UserId, request.RedirectUri, request.Scopes,
            request.CodeChallenge, request.CodeChallengeMethod, request.Nonce, BrowserSignInCheck.AuthTime(signIn, now), signIn.AuthenticationMethods,
            AuthorizationCode.MaxLifetime, now));
        return new AuthorizationOutcome(AuthorizationStep.CodeIssued, code, []);
    }
}
