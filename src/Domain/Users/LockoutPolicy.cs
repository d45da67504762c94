namespace AuthPlatform.Domain.Users;

/// <summary>
/// How many wrong passwords and codes are evaluated before sign-in stops for a while (ADR 0012):
/// <see cref="MaxFailedAttempts"/> per account and client address within <see cref="Window"/>,
/// and <see cref="AccountMaxFailedAttempts"/> for the account from every address together, a
/// limit that addresses the account signed in from before are not held to. Reaching a limit
/// locks for <see cref="LockoutDuration"/>.
/// </summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Window, TimeSpan LockoutDuration, int AccountMaxFailedAttempts)
{
    public static LockoutPolicy Default { get; } = new(10, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), 100);
}
