using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>
/// Once the deletion of an OAuth client commits, this instance's token validator refuses every access
/// token issued to it (its own client-credentials tokens and its users' tokens alike, by <c>client_id</c>),
/// with no database read per request (ADR 0014). After a restart the deletions are read back from the
/// audit trail (<c>oauth_client.deleted</c>).
/// </summary>
public sealed class ForgetDeletedOAuthClient(IRevokedClients revoked, IAfterCommit afterCommit, TimeProvider clock) : DomainEventHandler<OAuthClientDeleted>
{
    protected override ValueTask Handle(OAuthClientDeleted domainEvent, CancellationToken cancellationToken)
    {
        var deletedAt = clock.GetUtcNow();
        afterCommit.Enqueue(_ =>
        {
            revoked.Remember(domainEvent.ClientId, deletedAt);
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }
}
