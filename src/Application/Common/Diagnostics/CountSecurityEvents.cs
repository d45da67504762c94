using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Mediator;

namespace AuthPlatform.Application.Common.Diagnostics;

/// <summary>
/// Counts the security events in <see cref="AuthMetrics"/> once their change commits: a command
/// that rolls back (an exception after the events were dispatched, a failure) counts nothing,
/// and a refusal that keeps its changes (a failed login) counts like it is audited.
/// <para>
/// Tokens are counted from the events that go with them: a completed sign-in
/// (<see cref="LoginSucceeded"/>) and a refresh (<see cref="TokenRefreshed"/>) each issue an
/// access and a refresh token, a verified password with 2FA on (<see cref="PasswordVerified"/>)
/// issues an <c>mfa_token</c>.
/// </para>
/// <para>
/// Sessions are counted one by one only where one ends alone (<see cref="SessionRevoked"/>: a
/// logout, the user revoking one); the calls that end all of an account's sessions at once are
/// counted as what they are (<see cref="SignedOutEverywhere"/>, an administrator's disable).
/// </para>
/// </summary>
public sealed class CountSecurityEvents(AuthMetrics metrics, IAfterCommit afterCommit) : INotificationHandler<DomainEventNotification>
{
    public ValueTask Handle(DomainEventNotification notification, CancellationToken cancellationToken)
    {
        if (Count(notification.Event) is { } count)
        {
            afterCommit.Enqueue(_ =>
            {
                count(metrics);
                return Task.CompletedTask;
            });
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>What an event adds to the counters, or null when it is not counted.</summary>
    internal static Action<AuthMetrics>? Count(IDomainEvent domainEvent) => domainEvent switch
    {
        LoginSucceeded e => m =>
        {
            m.LoginSucceeded(e.WithRecoveryCode ? "recovery_code" : e.AuthenticationMethods.Count > 1 ? "otp" : "none");
            m.TokenIssued(AuthMetrics.TokenKinds.Access);
            m.TokenIssued(AuthMetrics.TokenKinds.Refresh);
        },
        LoginFailed e => m => m.LoginFailed(e.Reason),
        SecondFactorFailed e => m => m.SecondFactorFailed(e.Reason),
        AccountLocked => m => m.AccountLocked(),
        PasswordVerified => m => m.TokenIssued(AuthMetrics.TokenKinds.Mfa),
        TokenRefreshed => m =>
        {
            m.TokenIssued(AuthMetrics.TokenKinds.Access);
            m.TokenIssued(AuthMetrics.TokenKinds.Refresh);
        },
        RefreshTokenReuseDetected => m => m.RefreshTokenReuseDetected(),
        UserDisabled => m => m.AccountChangedByAdministrator(AuthMetrics.AccountChanges.Disabled),
        UserEnabled => m => m.AccountChangedByAdministrator(AuthMetrics.AccountChanges.Enabled),
        AccountUnlocked => m => m.AccountChangedByAdministrator(AuthMetrics.AccountChanges.Unlocked),
        UserRoleChanged => m => m.AccountChangedByAdministrator(AuthMetrics.AccountChanges.RoleChanged),
        SessionRevoked e => m => m.SessionRevoked(e.Reason),
        SignedOutEverywhere => m => m.SignedOutEverywhere(),
        _ => null,
    };
}
