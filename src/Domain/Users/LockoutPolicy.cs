namespace AuthPlatform.Domain.Users;

/// <summary>How many failed logins within a window lock an account, and for how long.</summary>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan Window, TimeSpan LockoutDuration)
{
    public static LockoutPolicy Default { get; } = new(10, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));
}
