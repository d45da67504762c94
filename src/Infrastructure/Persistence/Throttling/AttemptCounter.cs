namespace AuthPlatform.Infrastructure.Persistence.Throttling;

/// <summary>
/// One attempt budget of ADR 0012: an account (SHA-256 of a normalised e-mail address) and a
/// scope (a client address, or <c>*</c> for the whole account). Only ever changed by the single
/// conditional statements of <see cref="AttemptThrottle"/>.
/// </summary>
public sealed class AttemptCounter
{
    public string Account { get; private set; } = string.Empty;

    public string Scope { get; private set; } = string.Empty;

    /// <summary>When the current window began; null until the first attempt.</summary>
    public DateTimeOffset? WindowStartedAt { get; private set; }

    public int Failures { get; private set; }

    /// <summary>Attempts claimed and not yet judged (their secret is being checked).</summary>
    public int InFlight { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }
}
