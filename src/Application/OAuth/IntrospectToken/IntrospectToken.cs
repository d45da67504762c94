// Longer than 150 lines because the two kinds of token (JWT access tokens, opaque refresh tokens) answer the same RFC 7662 fields here.
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.RevokeToken;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.OAuth.IntrospectToken;

/// <summary>
/// <c>POST /oauth/introspect</c> (RFC 7662) for authenticated confidential clients (a resource
/// server registers as one). An access token is validated exactly as the REST API validates it
/// (signature, <c>iss</c>, <c>aud</c>, lifetime, security stamps, revoked clients, tokens and
/// sessions); any client may introspect it. A refresh token is found by its SHA-256 and is active
/// only for the client it was issued to, while its family lives and it is the family's current,
/// unredeemed token. Anything else is exactly <c>{"active": false}</c>. A success writes nothing.
/// </summary>
public sealed record IntrospectTokenCommand(ClientCredentialsInput Client, string Token, string? TokenTypeHint)
    : ICommand<Result<IntrospectionResponse>>, ISavesWithoutAmbientTransaction;

/// <summary>RFC 7662 2.2: <c>active</c>, and for an active token what it is; times are seconds since the epoch.</summary>
public sealed record IntrospectionResponse(
    bool Active,
    string? Scope = null,
    string? ClientId = null,
    string? Username = null,
    string? TokenType = null,
    long? Exp = null,
    long? Iat = null,
    long? Nbf = null,
    string? Sub = null,
    string? Aud = null,
    string? Iss = null,
    string? Jti = null)
{
    public static IntrospectionResponse Inactive { get; } = new(false);
}

public sealed class IntrospectTokenValidator : AbstractValidator<IntrospectTokenCommand>
{
    public IntrospectTokenValidator()
    {
        RuleFor(c => c.Token).NotEmpty().WithMessage("token is required.");
        RuleFor(c => c.TokenTypeHint).MaximumLength(64).WithMessage("token_type_hint is at most 64 characters.");
    }
}

public sealed class IntrospectTokenHandler(
    ClientAuthentication clients,
    IAccessTokenValidator accessTokens,
    IRefreshTokenFamilyRepository families,
    IUserRepository users,
    ISecretGenerator secrets,
    IOptions<JwtOptions> jwt,
    TimeProvider clock) : ICommandHandler<IntrospectTokenCommand, Result<IntrospectionResponse>>
{
    /// <summary>The <c>token_type</c> of an active refresh token (access tokens are <c>Bearer</c>, RFC 6749 7.1).</summary>
    public const string RefreshTokenType = TokenTypeHints.RefreshToken;

    private static readonly Error PublicClient =
        OAuthErrors.InvalidClient with { Message = "Introspection needs a confidential client's authentication (a client secret)." };

    public async ValueTask<Result<IntrospectionResponse>> Handle(IntrospectTokenCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clients.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.KeepsChanges
                ? Result<IntrospectionResponse>.Refused(authenticated.Error!)
                : Result<IntrospectionResponse>.Failure(authenticated.Error!);
        }

        var client = authenticated.Value;
        if (!client.IsConfidential)
        {
            return PublicClient;
        }

        if (command.Token.Length > RevokeTokenValidator.MaxTokenLength)
        {
            return IntrospectionResponse.Inactive; // no token of ours is this long
        }

        return accessTokens.LooksLikeJwt(command.Token)
            ? await AccessTokenAsync(command.Token, cancellationToken)
            : await RefreshTokenAsync(client, command.Token, cancellationToken);
    }

    private async Task<IntrospectionResponse> AccessTokenAsync(string token, CancellationToken cancellationToken)
    {
        var validation = await accessTokens.ValidateAsync(token, cancellationToken);
        if (!validation.IsValid || validation.Caller!.Identity is not { ExpiresAt: { } expiresAt } identity)
        {
            return IntrospectionResponse.Inactive;
        }

        string? username = null;
        if (identity.UserId is { } userId)
        {
            var user = await users.FindByIdAsync(userId, cancellationToken);
            if (user is null || user.IsDisabled)
            {
                return IntrospectionResponse.Inactive;
            }

            // The address only to a token that may show it (the email scope): a client that was
            // granted openid or profile alone must not learn it by introspecting its own token.
            username = identity.Scopes.Contains(OAuthIdentityScopes.Email, StringComparer.Ordinal) ? user.Email.Value : null;
        }

        return new IntrospectionResponse(
            true,
            string.Join(' ', identity.Scopes),
            identity.ClientId,
            username,
            "Bearer",
            expiresAt.ToUnixTimeSeconds(),
            identity.IssuedAt?.ToUnixTimeSeconds(),
            identity.NotBefore?.ToUnixTimeSeconds(),
            identity.Subject,
            jwt.Value.Audience,
            jwt.Value.Issuer,
            identity.TokenId);
    }

    private async Task<IntrospectionResponse> RefreshTokenAsync(ClientRegistration client, string token, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var family = await families.FindByTokenHashAsync(secrets.Hash(token), cancellationToken);
        var presented = family?.Tokens.SingleOrDefault();
        if (family is null || presented is null
            || !string.Equals(family.ClientId, client.ClientId, StringComparison.Ordinal)
            || !IsCurrent(family, presented, now))
        {
            return IntrospectionResponse.Inactive;
        }

        var user = await users.FindByIdAsync(family.UserId, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            return IntrospectionResponse.Inactive;
        }

        return new IntrospectionResponse(
            true,
            family.Scopes.ToString(),
            family.ClientId,
            family.Scopes.Contains(OAuthIdentityScopes.Email) ? user.Email.Value : null,
            RefreshTokenType,
            presented.ExpiresAt.ToUnixTimeSeconds(),
            presented.IssuedAt.ToUnixTimeSeconds(),
            Sub: family.UserId.ToString(),
            Iss: jwt.Value.Issuer);
    }

    /// <summary>The family lives and the presented token is its current one, not redeemed, not expired.</summary>
    private static bool IsCurrent(RefreshTokenFamily family, RefreshToken presented, DateTimeOffset now) =>
        family.IsActive(now) && presented.Id == family.CurrentTokenId && presented.RedeemedAt is null && presented.ExpiresAt > now;
}
