// Longer than 150 lines because the code's checks (client, redirect URI, PKCE, expiry, single use with its race) and the issuance they guard are one decision.
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.Token.RedeemAuthorizationCode;

/// <summary>
/// <c>grant_type=authorization_code</c> at the token endpoint (RFC 6749 4.1.3, RFC 7636 4.5):
/// authenticates the client (<see cref="ClientAuthentication"/>: a confidential client with its
/// secret, a public one with its <c>client_id</c>), then redeems the code once.
/// </summary>
public sealed record RedeemAuthorizationCodeCommand(ClientCredentialsInput Client, string Code, string? RedirectUri, string? CodeVerifier)
    : ICommand<Result<TokenResponse>>;

public sealed class RedeemAuthorizationCodeValidator : AbstractValidator<RedeemAuthorizationCodeCommand>
{
    public RedeemAuthorizationCodeValidator()
    {
        // Shape only; whether code and redirect_uri are there is answered after the client is authenticated.
        RuleFor(c => c.Code).MaximumLength(512).WithMessage("This is not a code.");
        RuleFor(c => c.RedirectUri).MaximumLength(OAuthClientRules.MaxUriLength).WithMessage("This is not a redirect URI.");
        RuleFor(c => c.CodeVerifier).MaximumLength(512).WithMessage("This is not a code_verifier.");
    }
}

public sealed class RedeemAuthorizationCodeHandler(
    ClientAuthentication clientAuthentication,
    IAuthorizationCodeRepository codes,
    IUserRepository users,
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    UserGrantTokens grants,
    IUnitOfWork unitOfWork,
    IDomainEvents events,
    TimeProvider clock) : ICommandHandler<RedeemAuthorizationCodeCommand, Result<TokenResponse>>
{
    internal static readonly Error Unknown = OAuthProtocolErrors.Grant("The authorization code is invalid, expired or already used.");
    internal static readonly Error Used = OAuthProtocolErrors.Grant("The authorization code was already used; the tokens it issued are revoked.");
    internal static readonly Error WrongClient = OAuthProtocolErrors.Grant("The authorization code was issued to another client.");
    internal static readonly Error WrongRedirect = OAuthProtocolErrors.Grant("redirect_uri does not match the one of the authorization request.");
    internal static readonly Error MissingVerifier = OAuthProtocolErrors.Grant("code_verifier is required: the authorization request sent a code_challenge.");
    internal static readonly Error PublicWithoutPkce = OAuthProtocolErrors.Grant("A public client must use PKCE (S256): the authorization request sent no code_challenge.");
    internal static readonly Error UnexpectedVerifier = OAuthProtocolErrors.Grant("code_verifier was sent but the authorization request sent no code_challenge.");
    internal static readonly Error BadVerifier = OAuthProtocolErrors.Grant("code_verifier does not match the code_challenge (PKCE, S256).");
    internal static readonly Error Unavailable = OAuthProtocolErrors.Grant("The user of this code no longer exists or is disabled.");

    public async ValueTask<Result<TokenResponse>> Handle(RedeemAuthorizationCodeCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clientAuthentication.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (!client.Allows(GrantTypes.AuthorizationCode))
        {
            events.Raise(new TokenRequestRefused(client.ClientId, client.OwnerId, GrantTypes.AuthorizationCode, OAuthErrorCodes.UnauthorizedClient));
            return Result<TokenResponse>.Refused(OAuthErrors.UnauthorizedClient("This client is not registered for the authorization_code grant."));
        }

        if (string.IsNullOrEmpty(command.Code) || string.IsNullOrEmpty(command.RedirectUri))
        {
            return OAuthErrors.InvalidRequest("code and redirect_uri are required: repeat the redirect_uri of the authorization request.");
        }

        var codeHash = secrets.Hash(command.Code);
        var code = await codes.FindByHashAsync(codeHash, cancellationToken);
        if (code is null)
        {
            return Unknown;
        }

        // Bindings and PKCE first: a presentation that fails them changes nothing (nor burns the code).
        var binding = CheckBinding(code, client, command);
        if (binding is not null)
        {
            return binding;
        }

        var now = clock.GetUtcNow();
        switch (code.Redeem(now))
        {
            case CodeRedemptionOutcome.ReuseDetected:
                return await RevokeForReuseAsync(code, now, cancellationToken);
            case CodeRedemptionOutcome.Expired:
                return Unknown;
        }

        var user = await users.FindByIdAsync(code.UserId, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            unitOfWork.DiscardChanges();
            return Unavailable;
        }

        var scopes = grants.Holdable(code.Scopes, user);
        var (refreshToken, family) = grants.StartFamily(client, user, scopes, code.AuthenticationMethodList, now, code.AuthTime);
        code.RecordIssued(family?.Id, null);
        try
        {
            // The compare-and-swap of single use: the code's version must still be the one read,
            // and the family is saved with it, so a replay that loses the race finds what to revoke.
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            unitOfWork.DiscardChanges();
            var again = await codes.FindByHashAsync(codeHash, cancellationToken);
            return again is not null && again.Redeem(now) == CodeRedemptionOutcome.ReuseDetected
                ? await RevokeForReuseAsync(again, now, cancellationToken)
                : Unknown;
        }

        return await grants.IssueAsync(
            new UserTokenGrant(
                client, user, family?.Id ?? code.Id, scopes, code.AuthenticationMethodList, code.AuthTime, code.Nonce,
                GrantTypes.AuthorizationCode, refreshToken, now),
            cancellationToken);
    }

    /// <summary>RFC 7636 4.1: 43 to 128 characters of <c>[A-Za-z0-9-._~]</c>.</summary>
    public static bool IsWellFormedVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>BASE64URL(SHA256(ASCII(verifier))) equals the challenge, compared in constant time.</summary>
    public static bool VerifierMatches(string verifier, string challenge)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(verifier), digest);
        var computed = Encoding.ASCII.GetBytes(Convert.ToBase64String(digest).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(challenge));
    }

    private static Error? CheckBinding(AuthorizationCode code, ClientRegistration client, RedeemAuthorizationCodeCommand command)
    {
        if (!string.Equals(code.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            return WrongClient;
        }

        if (!code.IsBoundTo(client.ClientId, command.RedirectUri))
        {
            return WrongRedirect;
        }

        if (code.CodeChallenge is null)
        {
            // RFC 9700 2.1.1: a public client cannot prove the code is its own without PKCE.
            return !client.IsConfidential ? PublicWithoutPkce : command.CodeVerifier is null ? null : UnexpectedVerifier;
        }

        if (command.CodeVerifier is null)
        {
            return MissingVerifier;
        }

        return IsWellFormedVerifier(command.CodeVerifier) && VerifierMatches(command.CodeVerifier, code.CodeChallenge) ? null : BadVerifier;
    }

    /// <summary>The granted scopes the user still holds: identity scopes, and API scopes their role grants today.</summary>
    /// <summary>A second use revokes what the first issued (RFC 6749 4.1.2); the reuse event (audited) is kept.</summary>
    private async Task<Result<TokenResponse>> RevokeForReuseAsync(AuthorizationCode code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (code.IssuedFamilyId is { } familyId)
        {
            await families.RevokeAsync(familyId, RevocationReasons.CodeReuse, now, cancellationToken);
        }

        return Result<TokenResponse>.Refused(Used);
    }
}
