// Longer than 150 lines because the grant's refusals (client, scope, password, second factor) and the issuance they guard are one decision.
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Events;
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

namespace AuthPlatform.Application.OAuth.Token.IssuePasswordToken;

/// <summary>
/// <c>grant_type=password</c> (RFC 6749 section 4.3), for first-party clients registered for it
/// only (RFC 9700 section 2.4: the client sees the password). The password is checked by
/// <see cref="PasswordSignIn"/>, the login's own step (attempt budgets, lockout, unknown addresses
/// answered alike); a user with a second factor gets no token: this grant cannot ask for it.
/// Like the login, it hashes with no transaction open.
/// </summary>
public sealed record IssuePasswordTokenCommand(ClientCredentialsInput Client, string Username, string Password, string? Scope)
    : ICommand<Result<TokenResponse>>, ISavesWithoutAmbientTransaction;

public sealed class IssuePasswordTokenValidator : AbstractValidator<IssuePasswordTokenCommand>
{
    public IssuePasswordTokenValidator()
    {
        // Shape only; whether username and password are there is answered after the client is authenticated.
        RuleFor(c => c.Username).MaximumLength(User.MaxEmailLength).WithMessage($"username is at most {User.MaxEmailLength} characters.")
            .Must(e => e is null || !e.Any(char.IsControl)).WithMessage("username is not a valid email address.");
        RuleFor(c => c.Password).MaximumLength(PasswordRules.MaxLength * 2).WithMessage($"password is at most {PasswordRules.MaxLength} characters.");
        RuleFor(c => c.Scope).MaximumLength(4096).WithMessage("scope is at most 4096 characters.");
    }
}

public sealed class IssuePasswordTokenHandler(
    ClientAuthentication clientAuthentication,
    PasswordSignIn passwordSignIn,
    UserGrantTokens grants,
    IAccessTokenIssuer accessTokens,
    SessionIssuer sessions,
    IDomainEvents events,
    IIssuedTokenAudit audit,
    IClientContext context,
    AuthMetrics metrics,
    TimeProvider clock) : ICommandHandler<IssuePasswordTokenCommand, Result<TokenResponse>>
{
    internal static readonly Error WrongCredentials = OAuthProtocolErrors.Grant("The username or password is incorrect.");
    internal static readonly Error Locked = OAuthProtocolErrors.Grant("Too many failed attempts: the account is locked for a while.");
    internal static readonly Error SecondFactorRequired = OAuthProtocolErrors.Grant(
        "This account has a second factor, which the password grant cannot ask for: sign in with the authorization-code flow.");

    public async ValueTask<Result<TokenResponse>> Handle(IssuePasswordTokenCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clientAuthentication.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (client.Kind != ClientKind.OAuthClient || !client.FirstParty || !client.Allows(GrantTypes.Password))
        {
            return Refuse(client, OAuthErrors.UnauthorizedClient("This client is not registered for the password grant (first-party clients only)."));
        }

        if (string.IsNullOrEmpty(command.Username) || string.IsNullOrEmpty(command.Password))
        {
            return OAuthErrors.InvalidRequest("username and password are required.");
        }

        var requested = client.Scopes;
        if (!string.IsNullOrWhiteSpace(command.Scope))
        {
            if (!ScopeSet.TryParse(command.Scope, out requested))
            {
                return Refuse(client, OAuthErrors.InvalidScope("scope holds a malformed scope name."));
            }

            if (requested.FirstMissingFrom(client.Scopes) is { } missing)
            {
                return Refuse(client, OAuthErrors.InvalidScope($"The scope '{(missing.Length <= 64 ? missing : missing[..64])}' is not registered for this client."));
            }
        }

        var verified = await passwordSignIn.VerifyAsync(command.Username, command.Password, cancellationToken);
        if (verified.IsFailure)
        {
            var error = verified.Error!.Code == ErrorCodes.InvalidCredentials ? WrongCredentials
                : verified.Error.Code == ErrorCodes.RateLimited ? verified.Error
                : Locked;
            return verified.FailedWith(error);
        }

        var user = verified.Value;
        if (user.TwoFactorEnabled)
        {
            // MFA-05 and CL-05: the password alone yields nothing; the failure counter stays as it is.
            user.RecordPasswordVerified();
            return Refuse(client, SecondFactorRequired, user.Id);
        }

        return await IssueAsync(client, user, requested, cancellationToken);
    }

    private async Task<Result<TokenResponse>> IssueAsync(ClientRegistration client, User user, ScopeSet requested, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var scopes = grants.Holdable(requested, user);
        user.RecordSuccessfulLogin(AuthenticationMethods.Password);
        var (refreshToken, family) = grants.StartFamily(client, user, scopes, AuthenticationMethods.Password, now, authTime: null);
        var access = family is not null
            ? await sessions.IssueAccessTokenAsync(user, family, cancellationToken)
            : await accessTokens.IssueAsync(
                new AccessTokenRequest(
                    user.Id, Guid.CreateVersion7(now), scopes, AuthenticationMethods.Password, now, UserResponse.RoleName(user.Role),
                    SecurityStamps.Fingerprint(user.SecurityStamp), client.ClientId),
                cancellationToken);

        metrics.TokenIssued(AuthMetrics.TokenKinds.Access);
        audit.Record(new IssuedTokenRecord(client.ClientId, user.Id, GrantTypes.Password, scopes.ToString(), context.IpAddress, context.UserAgent, now));
        return new TokenResponse(access.Token, "Bearer", access.ExpiresIn, scopes.ToString(), refreshToken);
    }

    private Result<TokenResponse> Refuse(ClientRegistration client, Error error, Guid? userId = null)
    {
        events.Raise(new TokenRequestRefused(client.ClientId, userId ?? client.OwnerId, GrantTypes.Password, error.Code));
        return Result<TokenResponse>.Refused(error);
    }
}
