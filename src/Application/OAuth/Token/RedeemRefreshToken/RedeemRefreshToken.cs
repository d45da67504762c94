using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.Token.RedeemRefreshToken;

/// <summary>
/// <c>grant_type=refresh_token</c> (RFC 6749 section 6): authenticates the client, then rotates the
/// refresh-token family it was issued (<see cref="RefreshTokenRotation"/>, the same rotation and reuse
/// detection as a user's session). An optional <c>scope</c> may only narrow the new access token;
/// the family keeps what was granted.
/// </summary>
public sealed record RedeemRefreshTokenCommand(ClientCredentialsInput Client, string RefreshToken, string? Scope)
    : ICommand<Result<TokenResponse>>, ISavesWithoutAmbientTransaction;

public sealed class RedeemRefreshTokenValidator : AbstractValidator<RedeemRefreshTokenCommand>
{
    public RedeemRefreshTokenValidator()
    {
        // Shape only; whether refresh_token is there is answered after the client is authenticated.
        RuleFor(c => c.RefreshToken).MaximumLength(512).WithMessage("This is not a refresh token.");
        RuleFor(c => c.Scope).MaximumLength(4096).WithMessage("scope is at most 4096 characters.");
    }
}

public sealed class RedeemRefreshTokenHandler(
    ClientAuthentication clientAuthentication,
    RefreshTokenRotation rotation,
    SessionIssuer sessions,
    IDomainEvents events,
    IIssuedTokenAudit audit,
    IClientContext context,
    AuthMetrics metrics,
    TimeProvider clock) : ICommandHandler<RedeemRefreshTokenCommand, Result<TokenResponse>>
{
    internal static readonly Error Invalid = OAuthProtocolErrors.Grant("The refresh token is invalid, expired, revoked or was issued to another client.");
    internal static readonly Error Reused = OAuthProtocolErrors.Grant("The refresh token was already used; every token of its grant is revoked.");

    public async ValueTask<Result<TokenResponse>> Handle(RedeemRefreshTokenCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clientAuthentication.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (!client.Allows(GrantTypes.RefreshToken))
        {
            return Refuse(client, OAuthErrors.UnauthorizedClient("This client is not registered for the refresh_token grant."));
        }

        if (string.IsNullOrEmpty(command.RefreshToken))
        {
            return OAuthErrors.InvalidRequest("refresh_token is required.");
        }

        ScopeSet? narrowed = null;
        if (!string.IsNullOrWhiteSpace(command.Scope))
        {
            if (!ScopeSet.TryParse(command.Scope, out var requested))
            {
                return Refuse(client, OAuthErrors.InvalidScope("scope holds a malformed scope name."));
            }

            narrowed = requested;
        }

        // RFC 6749 section 6: the scope asked for may not include any scope not originally granted;
        // and a grant holding a scope its client is no longer registered for is not renewed (the
        // user signs in again and consents to what the client may ask for now).
        var rotated = await rotation.RotateAsync(
            command.RefreshToken,
            client.ClientId,
            family => narrowed?.FirstMissingFrom(family.Scopes) is { } missing
                ? OAuthErrors.InvalidScope($"The scope '{Shown(missing)}' was not granted with this refresh token.")
                : family.Scopes.FirstMissingFrom(client.Scopes) is { } dropped
                    ? OAuthProtocolErrors.Grant($"The client is no longer registered for the scope '{Shown(dropped)}' of this grant: sign in again.")
                    : null,
            narrowed,
            cancellationToken);
        if (rotated.IsFailure)
        {
            var error = rotated.Error!.Code switch
            {
                ErrorCodes.RefreshTokenReused => Reused,
                ErrorCodes.InvalidToken => Invalid,
                _ => rotated.Error,
            };
            return rotated.FailedWith(error);
        }

        var (family, user, refreshToken, access) = rotated.Value;
        var scope = sessions.EffectiveScopes(user, family, narrowed).ToString();
        metrics.TokenIssued(AuthMetrics.TokenKinds.Access);
        audit.Record(new IssuedTokenRecord(client.ClientId, user.Id, GrantTypes.RefreshToken, scope, context.IpAddress, context.UserAgent, clock.GetUtcNow()));
        return new TokenResponse(access.Token, "Bearer", access.ExpiresIn, scope, refreshToken);
    }

    private static string Shown(string scope) => scope.Length <= 64 ? scope : scope[..64];

    private Result<TokenResponse> Refuse(ClientRegistration client, Error error)
    {
        events.Raise(new TokenRequestRefused(client.ClientId, client.OwnerId, GrantTypes.RefreshToken, error.Code));
        return Result<TokenResponse>.Refused(error);
    }
}
