using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.ServiceAccounts;

namespace AuthPlatform.Application.ServiceAccounts.Common;

/// <summary>
/// Once the deletion of a service account commits, this instance's token validator refuses the
/// account's access tokens (by client id), with no database read per request (ADR 0014).
/// </summary>
public sealed class ForgetDeletedServiceAccount(IRevokedClients revoked, IAfterCommit afterCommit) : DomainEventHandler<ServiceAccountDeleted>
{
    protected override ValueTask Handle(ServiceAccountDeleted domainEvent, CancellationToken cancellationToken)
    {
        afterCommit.Enqueue(_ =>
        {
            revoked.Remember(domainEvent.ClientId, domainEvent.DeletedAt);
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }
}
