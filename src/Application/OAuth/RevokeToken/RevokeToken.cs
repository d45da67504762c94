using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.RevokeToken;

/// <summary>
/// <c>POST /oauth/revoke</c> (RFC 7009): an authenticated client (or a public client by its
/// <c>client_id</c>) revokes one of its own tokens. Succeeds alike for an unknown, expired, already
/// revoked or another client's token (2.2: never an oracle); only the client's own token changes.
/// A refresh token ends its whole family, and with it the family's access tokens (2.1); an access
/// token is refused at once by this instance's validator (by <c>jti</c>), and its session ends with
/// it when the client holds one. <see cref="TokenTypeHint"/> is read but not needed: our access
/// tokens are JWTs and our refresh tokens are not, so the token's form says which it is.
/// </summary>
public sealed record RevokeTokenCommand(ClientCredentialsInput Client, string Token, string? TokenTypeHint) : ICommand<Result>;

/// <summary>The <c>token_type_hint</c> values of RFC 7009 2.1 (any other is ignored, as 2.1 allows).</summary>
public static class TokenTypeHints
{
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
}

public sealed class RevokeTokenValidator : AbstractValidator<RevokeTokenCommand>
{
    public const int MaxTokenLength = 8192;

    public RevokeTokenValidator()
    {
        RuleFor(c => c.Token).NotEmpty().WithMessage("token is required.")
            .MaximumLength(MaxTokenLength).WithMessage("This is not a token of this server.");
        RuleFor(c => c.TokenTypeHint).MaximumLength(64).WithMessage("token_type_hint is at most 64 characters.");
    }
}

public sealed class RevokeTokenHandler(
    ClientAuthentication clients,
    IAccessTokenValidator accessTokens,
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    IDomainEvents events,
    TimeProvider clock) : ICommandHandler<RevokeTokenCommand, Result>
{
    public async ValueTask<Result> Handle(RevokeTokenCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clients.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (accessTokens.LooksLikeJwt(command.Token))
        {
            await RevokeAccessTokenAsync(client, command.Token, cancellationToken);
        }
        else
        {
            await RevokeRefreshTokenAsync(client, command.Token, cancellationToken);
        }

        return Result.Success();
    }

    /// <summary>A live access token of this client: remembered as revoked until its <c>exp</c>; its session ends too.</summary>
    private async Task RevokeAccessTokenAsync(ClientRegistration client, string token, CancellationToken cancellationToken)
    {
        var validation = await accessTokens.ValidateAsync(token, cancellationToken);
        if (!validation.IsValid
            || validation.Caller!.Identity is not { TokenId: { } tokenId, ExpiresAt: { } expiresAt } identity
            || !string.Equals(identity.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            return; // expired, revoked, not ours, or another client's: nothing to do, and nothing said
        }

        events.Raise(new OAuthTokenRevoked(client.ClientId, identity.UserId, TokenTypeHints.AccessToken, tokenId, identity.SessionId, expiresAt));
        if (identity.SessionId is { } sessionId && await families.FindByIdAsync(sessionId, cancellationToken) is { } family)
        {
            await EndAsync(family, client, cancellationToken);
        }
    }

    private async Task RevokeRefreshTokenAsync(ClientRegistration client, string token, CancellationToken cancellationToken)
    {
        var family = await families.FindByTokenHashAsync(secrets.Hash(token), cancellationToken);
        if (family is not null && await EndAsync(family, client, cancellationToken))
        {
            events.Raise(new OAuthTokenRevoked(client.ClientId, family.UserId, TokenTypeHints.RefreshToken, null, family.Id, null));
        }
    }

    /// <summary>Ends a family of this client (one conditional update, ADR 0009); true when this call ended it.</summary>
    private async Task<bool> EndAsync(RefreshTokenFamily family, ClientRegistration client, CancellationToken cancellationToken)
    {
        if (!string.Equals(family.ClientId, client.ClientId, StringComparison.Ordinal) || family.RevokedAt is not null
            || !await families.RevokeAsync(family.Id, RevocationReasons.TokenRevoked, clock.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        family.RecordRevoked(RevocationReasons.TokenRevoked);
        return true;
    }
}
