using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>
/// When an account is disabled (or enabled again), this instance's verified-key cache forgets the
/// account's keys once the change commits: the next use reads the key with its owner's state.
/// </summary>
public sealed class EvictKeysOfAccount(IApiKeyRepository keys, IApiKeyCache cache, IAfterCommit afterCommit)
    : DomainEventHandler<IAccountStandingChanged>
{
    protected override async ValueTask Handle(IAccountStandingChanged domainEvent, CancellationToken cancellationToken)
    {
        var hashes = await keys.ListKeyHashesOfOwnerAsync(domainEvent.UserId, cancellationToken);
        afterCommit.Enqueue(_ =>
        {
            foreach (var hash in hashes)
            {
                cache.Evict(hash);
            }

            return Task.CompletedTask;
        });
    }
}
