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
