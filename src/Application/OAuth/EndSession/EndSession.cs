using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.OAuth.EndSession;

/// <summary>
/// <c>/oauth/end_session</c> (OpenID Connect RP-Initiated Logout 1.0): signs the browser out. The
/// session its sign-in cookie started (<paramref name="SignIn"/>, null when it has none) ends
/// (audited as a logout); the caller then clears the cookie. The answer names where to send the
/// browser: <paramref name="PostLogoutRedirectUri"/> only when the <paramref name="IdTokenHint"/> is an
/// id_token we signed (expired or not) and the URI is exactly one registered for the hint's client
/// (<paramref name="ClientId"/>, when given, must agree). Without a hint there is no redirect: any
/// user can register a client, so a client id and its URI alone would make this an open redirect.
/// Otherwise no redirect, and a notice saying why for the signed-out page.
/// </summary>
public sealed record EndSessionCommand(
    string? IdTokenHint, string? PostLogoutRedirectUri, string? State, string? ClientId, BrowserSignIn? SignIn)
    : ICommand<Result<EndSessionOutcome>>;

/// <summary>Where to go after signing out (with <see cref="State"/>), or null and a <see cref="Notice"/> for the page.</summary>
public sealed record EndSessionOutcome(string? RedirectUri, string? State, string? Notice);

public sealed class EndSessionHandler(
    IIdTokenHints hints,
    IOAuthClientRepository clients,
    IRefreshTokenFamilyRepository families,
    TimeProvider clock) : ICommandHandler<EndSessionCommand, Result<EndSessionOutcome>>
{
    public const string BadHint = "The id_token_hint is not an ID token of this server, so you were not sent back to the application.";
    public const string ClientMismatch = "client_id does not match the id_token_hint, so you were not sent back to the application.";
    public const string NoHint = "No id_token_hint named the application, so you were not sent back to it.";
    public const string Unregistered = "The application's return address is not registered with this server, so you were not sent back to it.";

    private const int MaxLength = 8192;

    public async ValueTask<Result<EndSessionOutcome>> Handle(EndSessionCommand command, CancellationToken cancellationToken)
    {
        await EndBrowserSessionAsync(command.SignIn, cancellationToken);
        var (allowed, notice) = await CheckRedirectAsync(command, cancellationToken);
        return allowed
            ? new EndSessionOutcome(command.PostLogoutRedirectUri, command.State is { Length: <= MaxLength } state ? state : null, null)
            : new EndSessionOutcome(null, null, notice);
    }

    /// <summary>Whether the browser may be sent to the post-logout redirect URI; when not, why (null: nowhere was asked).</summary>
    private async Task<(bool Allowed, string? Notice)> CheckRedirectAsync(EndSessionCommand command, CancellationToken cancellationToken)
    {
        IdTokenHint? hint = null;
        if (!string.IsNullOrEmpty(command.IdTokenHint))
        {
            hint = command.IdTokenHint.Length <= MaxLength ? await hints.ReadAsync(command.IdTokenHint, cancellationToken) : null;
            if (hint is null)
            {
                return (false, BadHint);
            }
        }

        if (string.IsNullOrEmpty(command.PostLogoutRedirectUri))
        {
            return (false, null);
        }

        if (hint is null)
        {
            return (false, NoHint);
        }

        var clientId = string.IsNullOrEmpty(command.ClientId) ? hint.ClientId : command.ClientId;
        if (!string.Equals(hint.ClientId, clientId, StringComparison.Ordinal))
        {
            return (false, ClientMismatch);
        }

        var client = clientId.Length <= 128 ? await clients.FindByClientIdAsync(clientId, cancellationToken) : null;
        return client is not null && client.AllowsPostLogoutRedirectUri(command.PostLogoutRedirectUri) ? (true, null) : (false, Unregistered);
    }

    /// <summary>Ends the session the browser's sign-in started, when it is still the signed-in user's and live.</summary>
    private async Task EndBrowserSessionAsync(BrowserSignIn? signIn, CancellationToken cancellationToken)
    {
        if (signIn is null)
        {
            return;
        }

        var family = await families.FindByIdAsync(signIn.SessionId, cancellationToken);
        if (family is not null && family.UserId == signIn.UserId && family.RevokedAt is null
            && await families.RevokeAsync(family.Id, RevocationReasons.Logout, clock.GetUtcNow(), cancellationToken))
        {
            family.RecordRevoked(RevocationReasons.Logout);
        }
    }
}
