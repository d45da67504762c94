using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// Once a revocation commits, this instance's token validator refuses what it ended: an access
/// token revoked at <c>/oauth/revoke</c> (by its <c>jti</c>), and the access tokens of a session
/// ended by a client's revocation or a withdrawn consent (by its <c>sid</c>). Before the commit,
/// a rolled-back revocation would refuse tokens that are still good.
/// </summary>
public sealed class RememberRevokedAccessTokens(IRevokedAccessTokens revoked, IAfterCommit afterCommit, TimeProvider clock)
    : DomainEventHandler<Domain.Common.IDomainEvent>
{
    protected override ValueTask Handle(Domain.Common.IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        switch (domainEvent)
        {
            case OAuthTokenRevoked { TokenId: { } tokenId, ExpiresAt: { } expiresAt }:
                afterCommit.Enqueue(_ =>
                {
                    revoked.RememberToken(tokenId, expiresAt);
                    return Task.CompletedTask;
                });
                break;
            case SessionRevoked session when RevocationReasons.EndsAccessTokens(session.Reason):
                var at = clock.GetUtcNow();
                afterCommit.Enqueue(_ =>
                {
                    revoked.RememberSession(session.SessionId, at);
                    return Task.CompletedTask;
                });
                break;
        }

        return ValueTask.CompletedTask;
    }
}
