using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Users;

/// <summary>
/// A rotated security stamp reaches the token validator once the change commits: before it, a
/// rolled-back change would refuse tokens that are still good.
/// </summary>
public sealed class RememberRotatedSecurityStamp(ISecurityStamps stamps, IAfterCommit afterCommit) : DomainEventHandler<SecurityStampRotated>
{
    protected override ValueTask Handle(SecurityStampRotated domainEvent, CancellationToken cancellationToken)
    {
        afterCommit.Enqueue(_ =>
        {
            stamps.Remember(domainEvent.UserId, domainEvent.StampFingerprint, domainEvent.RotatedAt);
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }
}
