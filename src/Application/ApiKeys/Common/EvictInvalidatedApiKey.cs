using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>
/// A revoked, rotated or deleted key is forgotten by this instance's verified-key cache once the
/// change commits (before it, a concurrent verification could fill the cache again from the old row).
/// </summary>
public sealed class EvictInvalidatedApiKey(IApiKeyCache cache, IAfterCommit afterCommit) : DomainEventHandler<IApiKeyInvalidated>
{
    protected override ValueTask Handle(IApiKeyInvalidated domainEvent, CancellationToken cancellationToken)
    {
        var keyHash = domainEvent.KeyHash;
        afterCommit.Enqueue(_ =>
        {
            cache.Evict(keyHash);
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }
}
