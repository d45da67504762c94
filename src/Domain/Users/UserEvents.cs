using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>Why a sign-in step or a credential check was refused.</summary>
public static class FailureReasons
{
    public const string UnknownAccount = "unknown_account";
    public const string WrongPassword = "wrong_password";
    public const string WrongCurrentPassword = "wrong_current_password";
    public const string Locked = "locked";
    public const string Disabled = "disabled";
}

/// <summary>What a failed attempt tried to prove.</summary>
public enum AttemptKind
{
    Password,
    SecondFactor,
}

public sealed record UserRegistered(Guid UserId, string Email, string Name) : IDomainEvent;

public sealed record AdministratorBootstrapped(Guid UserId, string Email) : IDomainEvent;

/// <summary>A sign-in step was refused. <see cref="UserId"/> is null for an unknown account.</summary>
public sealed record LoginFailed(Guid? UserId, string Reason) : IDomainEvent;

public sealed record SecondFactorFailed(Guid UserId, string Reason) : IDomainEvent;

public sealed record AccountLocked(Guid UserId, DateTimeOffset LockedUntil) : IDomainEvent;

/// <summary>The password was right; the second factor comes next.</summary>
public sealed record PasswordVerified(Guid UserId) : IDomainEvent;

public sealed record LoginSucceeded(Guid UserId, IReadOnlyList<string> AuthenticationMethods, bool WithRecoveryCode) : IDomainEvent;

public sealed record PasswordChanged(Guid UserId) : IDomainEvent;

public sealed record TwoFactorEnabled(Guid UserId) : IDomainEvent;

public sealed record TwoFactorDisabled(Guid UserId) : IDomainEvent;

public sealed record RecoveryCodeUsed(Guid UserId, int RecoveryCodesLeft) : IDomainEvent;

public sealed record RecoveryCodesRegenerated(Guid UserId) : IDomainEvent;

/// <summary>
/// The account's security stamp changed (password, 2FA, disable, sign-out everywhere): tokens
/// carrying an older <see cref="SecurityStamps.Fingerprint"/> are refused from now on.
/// </summary>
public sealed record SecurityStampRotated(Guid UserId, string StampFingerprint, DateTimeOffset RotatedAt) : IDomainEvent;

/// <summary>A change of whether the account may be used at all, or of what it may do: caches of its credentials must forget them.</summary>
public interface IAccountStandingChanged : IDomainEvent
{
    Guid UserId { get; }
}

/// <summary><see cref="ActorId"/> is the administrator who disabled the account.</summary>
public sealed record UserDisabled(Guid UserId, Guid ActorId) : IAccountStandingChanged;

public sealed record UserEnabled(Guid UserId, Guid ActorId) : IAccountStandingChanged;

/// <summary>An administrator (<see cref="ActorId"/>) gave the account the role <see cref="To"/> instead of <see cref="From"/>.</summary>
public sealed record UserRoleChanged(Guid UserId, Guid ActorId, UserRole From, UserRole To) : IAccountStandingChanged;

public sealed record AccountUnlocked(Guid UserId, Guid ActorId) : IDomainEvent;

/// <summary>The user ended every session and token of their account ("sign out everywhere").</summary>
public sealed record SignedOutEverywhere(Guid UserId) : IDomainEvent;
