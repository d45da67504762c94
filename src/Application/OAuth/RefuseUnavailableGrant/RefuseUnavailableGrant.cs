using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;
using Mediator;

namespace AuthPlatform.Application.OAuth.RefuseUnavailableGrant;

/// <summary>
/// A grant type of the full server (<c>authorization_code</c>, <c>refresh_token</c>, <c>password</c>,
/// the device grant) that no client can use yet. The client is authenticated first, like for every
/// grant (so failures are throttled and audited), then refused: a service account with
/// <c>unauthorized_client</c> (it may only use client credentials), any other client with
/// <c>unsupported_grant_type</c> until the grant arrives. Each grant replaces this with its own use case.
/// </summary>
public sealed record RefuseUnavailableGrantCommand(string GrantType, ClientCredentialsInput Client)
    : ICommand<Result<TokenResponse>>, ISavesWithoutAmbientTransaction;

public sealed class RefuseUnavailableGrantHandler(ClientAuthentication clients, IDomainEvents events)
    : ICommandHandler<RefuseUnavailableGrantCommand, Result<TokenResponse>>
{
    public async ValueTask<Result<TokenResponse>> Handle(RefuseUnavailableGrantCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clients.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.KeepsChanges ? Result<TokenResponse>.Refused(authenticated.Error!) : Result<TokenResponse>.Failure(authenticated.Error!);
        }

        var client = authenticated.Value;
        var error = client.Kind == ClientKind.ServiceAccount
            ? OAuthErrors.UnauthorizedClient("A service account may use the client_credentials grant only.")
            : OAuthErrors.UnsupportedGrantType($"The {command.GrantType} grant is not available on this server yet.");
        events.Raise(new TokenRequestRefused(client.ClientId, client.OwnerId, command.GrantType, error.Code));
        return Result<TokenResponse>.Refused(error);
    }
}
