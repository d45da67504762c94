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

namespace AuthPlatform.Application.OAuth.IssueClientCredentialsToken;

/// <summary>
/// <c>grant_type=client_credentials</c> (RFC 6749 section 4.4): a confidential client gets an
/// access token for itself, with the scopes it asked for (all of its own when it asked for none).
/// A success writes nothing synchronously (counted, and audited in batches); a failure is audited
/// in this command's transaction. No transaction is open while the client is read.
/// </summary>
public sealed record IssueClientCredentialsTokenCommand(ClientCredentialsInput Client, string? Scope)
    : ICommand<Result<TokenResponse>>, ISavesWithoutAmbientTransaction;

public sealed class IssueClientCredentialsTokenValidator : AbstractValidator<IssueClientCredentialsTokenCommand>
{
    public const int MaxScopeLength = 4096;

    public IssueClientCredentialsTokenValidator() =>
        RuleFor(c => c.Scope).MaximumLength(MaxScopeLength).WithMessage($"scope is at most {MaxScopeLength} characters.");
}

public sealed class IssueClientCredentialsTokenHandler(
    ClientAuthentication clients,
    IAccessTokenIssuer issuer,
    IScopeCatalog catalog,
    IIssuedTokenAudit audit,
    IClientContext context,
    IDomainEvents events,
    AuthMetrics metrics,
    TimeProvider clock) : ICommandHandler<IssueClientCredentialsTokenCommand, Result<TokenResponse>>
{
    public async ValueTask<Result<TokenResponse>> Handle(IssueClientCredentialsTokenCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clients.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (!client.IsConfidential || !client.GrantTypes.Contains(GrantTypes.ClientCredentials, StringComparer.Ordinal))
        {
            return Refuse(client, OAuthErrors.UnauthorizedClient("This client may not use the client_credentials grant."));
        }

        // A service account holds at most what its owner's role grants now (least privilege).
        var allowed = client.OwnerRole is { } role ? client.Scopes.Within(Scopes.ForRole(role, catalog.OperatorScopes)) : client.Scopes;
        var granted = allowed;
        if (!string.IsNullOrWhiteSpace(command.Scope))
        {
            if (!ScopeSet.TryParse(command.Scope, out var requested))
            {
                return Refuse(client, OAuthErrors.InvalidScope("scope holds a malformed scope name."));
            }

            if (requested.FirstMissingFrom(allowed) is { } missing)
            {
                var shown = missing.Length <= 64 ? missing : missing[..64];
                return Refuse(client, OAuthErrors.InvalidScope($"The scope '{shown}' is not granted to this client."));
            }

            granted = requested;
        }

        if (granted.Count == 0)
        {
            return Refuse(client, OAuthErrors.InvalidScope("This client holds no scope it may be given."));
        }

        var token = await issuer.IssueForClientAsync(new ClientAccessTokenRequest(client.ClientId, granted, client.OwnerId, client.OwnerStampFingerprint), cancellationToken);
        metrics.TokenIssued(AuthMetrics.TokenKinds.ClientAccess);
        audit.Record(new IssuedTokenRecord(
            client.ClientId, client.OwnerId, GrantTypes.ClientCredentials, granted.ToString(), context.IpAddress, context.UserAgent, clock.GetUtcNow()));
        return new TokenResponse(token.Token, "Bearer", token.ExpiresIn, granted.ToString());
    }

    private Result<TokenResponse> Refuse(ClientRegistration client, Error error)
    {
        events.Raise(new TokenRequestRefused(client.ClientId, client.OwnerId, GrantTypes.ClientCredentials, error.Code));
        return Result<TokenResponse>.Refused(error);
    }
}
