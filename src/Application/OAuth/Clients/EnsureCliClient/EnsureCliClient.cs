using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.EnsureCliClient;

/// <summary>
/// At start-up, makes the server's built-in client of the <c>authplatform</c> CLI
/// (<see cref="BuiltInClients"/>, ADR 0019) match the configuration: registered (or its settings
/// restored) when <paramref name="Enabled"/>; deleted when not, like any deleted client: its consents
/// and pending device authorizations go with it, its refresh-token families are revoked in the same
/// transaction and its access tokens are refused once it commits.
/// </summary>
public sealed record EnsureCliClientCommand(bool Enabled) : ICommand<Result<CliClientOutcome>>;

public enum CliClientOutcome
{
    Unchanged,
    Registered,
    Updated,
    Removed,
}

public sealed class EnsureCliClientHandler(IOAuthClientRepository clients, IRefreshTokenFamilyRepository families, TimeProvider clock)
    : ICommandHandler<EnsureCliClientCommand, Result<CliClientOutcome>>
{
    public async ValueTask<Result<CliClientOutcome>> Handle(EnsureCliClientCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var existing = await clients.FindByClientIdAsync(BuiltInClients.CliClientId, cancellationToken);
        if (existing is not null && !existing.BuiltIn)
        {
            // Cannot happen through the API (ids are random); refuse rather than take over a user's client.
            throw new InvalidOperationException($"The client id {BuiltInClients.CliClientId} belongs to a user's client.");
        }

        if (!command.Enabled)
        {
            if (existing is null)
            {
                return CliClientOutcome.Unchanged;
            }

            existing.Delete(actorId: null);
            clients.Remove(existing);
            await families.RevokeAllForClientAsync(existing.ClientId, RevocationReasons.ClientDeleted, now, cancellationToken);
            return CliClientOutcome.Removed;
        }

        if (existing is null)
        {
            clients.Add(OAuthClient.RegisterBuiltIn(Guid.CreateVersion7(now), BuiltInClients.CliClientId, BuiltInClients.CliSettings, now));
            return CliClientOutcome.Registered;
        }

        var version = existing.Version;
        existing.Reconfigure(BuiltInClients.CliSettings, actorId: null, now);
        return existing.Version == version ? CliClientOutcome.Unchanged : CliClientOutcome.Updated;
    }
}
