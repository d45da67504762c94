using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.ServiceAccounts;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// Once a change to a client or to its owner commits, this instance's <see cref="IClientRegistrationCache"/>
/// forgets it (before the commit, a concurrent grant could fill the cache again from the old rows):
/// a deleted service account or OAuth client, a secret added, deleted or rotated, an OAuth client's
/// settings, and the owner disabled, enabled, given another role or their security stamp rotated
/// (password or 2FA change, sign-out everywhere).
/// </summary>
public sealed class EvictChangedClients(IClientRegistrationCache cache, IAfterCommit afterCommit) : DomainEventHandler<IDomainEvent>
{
    protected override ValueTask Handle(IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        Action? evict = domainEvent switch
        {
            ServiceAccountDeleted e => () => cache.EvictClient(e.ClientId),
            ServiceAccountSecretAdded e => () => cache.EvictClient(e.ClientId),
            ServiceAccountSecretDeleted e => () => cache.EvictClient(e.ClientId),
            OAuthClientUpdated e => () => cache.EvictClient(e.ClientId),
            OAuthClientDeleted e => () => cache.EvictClient(e.ClientId),
            OAuthClientSecretRotated e => () => cache.EvictClient(e.ClientId),
            IAccountStandingChanged e => () => cache.EvictOwner(e.UserId),
            SecurityStampRotated e => () => cache.EvictOwner(e.UserId),
            _ => null,
        };
        if (evict is not null)
        {
            afterCommit.Enqueue(_ =>
            {
                evict();
                return Task.CompletedTask;
            });
        }

        return ValueTask.CompletedTask;
    }
}
