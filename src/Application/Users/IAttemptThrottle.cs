using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Users;

/// <summary>
/// The attempt budgets of ADR 0012, each one row per (account, scope): the account is the
/// SHA-256 of a normalised e-mail address (whether or not an account has it, so an unknown
/// address behaves exactly like a known one), the scope a client address (an IPv4 address or
/// an IPv6 /64) or <see cref="AccountWide"/>. Every method is one atomic statement (or two in
/// one transaction): the rule that parallel requests race for lives here only (ADR 0009).
/// </summary>
public interface IAttemptThrottle
{
    public const string AccountWide = "*";

    /// <summary>
    /// Claims one attempt before it is evaluated: refused (false) while the scope is locked or
    /// while its failures plus the attempts in flight have reached <paramref name="limit"/>.
    /// A window that has passed, or a lock that has ended, starts the count again.
    /// </summary>
    Task<bool> TryClaimAsync(string account, string scope, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failure (and ends the attempt in flight when <paramref name="claimed"/>); the
    /// failure that reaches <paramref name="limit"/> locks the scope until now plus the lockout
    /// duration, and only that call answers the lock's end.
    /// </summary>
    Task<DateTimeOffset?> FailAsync(string account, string scope, bool claimed, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends an attempt in flight that succeeded: it counts nothing and erases no failure.</summary>
    Task ReleaseAsync(string account, string scope, CancellationToken cancellationToken);

    /// <summary>Forgets every failure and lock of the account, from every address (an administrator's unlock).</summary>
    Task ClearAsync(string account, CancellationToken cancellationToken);
}
