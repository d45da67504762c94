using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Token.RedeemAuthorizationCode;

/// <summary>
/// Once the reuse of an authorization code is committed (its refresh-token family revoked), this
/// instance's token validator refuses the access token the first use issued too (its <c>sid</c>: the
/// family, or the code when no family was issued), with no database read per request (ADR 0014).
/// </summary>
public sealed class RevokeReusedCodeTokens(IRevokedAccessTokens revoked, IAfterCommit afterCommit, TimeProvider clock) : DomainEventHandler<AuthorizationCodeReused>
{
    protected override ValueTask Handle(AuthorizationCodeReused domainEvent, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        afterCommit.Enqueue(_ =>
        {
            revoked.RememberSession(domainEvent.IssuedFamilyId ?? domainEvent.CodeId, at);
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }
}
