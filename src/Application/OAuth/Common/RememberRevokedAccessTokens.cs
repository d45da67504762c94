using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// Once a revocation commits, this instance's token validator refuses what it ended: an access
/// token revoked at <c>/oauth/revoke</c> (by its <c>jti</c>), and the access tokens of a session
/// ended by a client's revocation, a withdrawn consent, a replayed refresh token or a reused
/// authorization code (by its <c>sid</c>). Before the commit,
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
                RememberSession(session.SessionId);
                break;
            case AuthorizationCodeReused code:
                // What the code's first use issued: its session (sid), or the code itself when no
                // refresh token (no session) was issued.
                RememberSession(code.IssuedFamilyId ?? code.CodeId);
                break;
            case RefreshTokenReuseDetected reuse:
                // A replayed refresh token: whoever refreshed with it first (maybe a thief) holds
                // access tokens of this session; they stop with it, like those of a reused code.
                RememberSession(reuse.SessionId);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private void RememberSession(Guid sessionId)
    {
        var at = clock.GetUtcNow();
        afterCommit.Enqueue(_ =>
        {
            revoked.RememberSession(sessionId, at);
            return Task.CompletedTask;
        });
    }
}
