using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Signing;

/// <summary>
/// The rules of phased signing-key rotation (JWT-05). A new key is published as soon as it exists
/// and starts signing <see cref="ActivationDelay"/> later; at that same moment every current key
/// (one not yet given a retirement) stops signing, and stays published for
/// <see cref="PublishedAfterRetirement"/> so that the last tokens it signed can still be verified.
/// At start-up a key is created, signing at once, only when no key can sign and none is waiting to.
/// </summary>
public sealed class SigningKeyRotation
{
    public SigningKeyRotation(TimeSpan activationDelay, TimeSpan accessTokenLifetime, TimeSpan clockSkew)
    {
        if (activationDelay < TimeSpan.Zero)
        {
            throw new DomainException("The key activation delay cannot be negative.");
        }

        if (accessTokenLifetime <= TimeSpan.Zero)
        {
            throw new DomainException("The access-token lifetime must be positive.");
        }

        if (clockSkew < TimeSpan.Zero)
        {
            throw new DomainException("The clock skew cannot be negative.");
        }

        ActivationDelay = activationDelay;
        AccessTokenLifetime = accessTokenLifetime;
        ClockSkew = clockSkew;
    }

    /// <summary>How long a rotated-in key is published before it signs.</summary>
    public TimeSpan ActivationDelay { get; }

    public TimeSpan AccessTokenLifetime { get; }

    /// <summary>The leeway verifiers allow on <c>exp</c>.</summary>
    public TimeSpan ClockSkew { get; }

    /// <summary>How long a retired key stays published: until the last token it signed has expired, leeway included.</summary>
    public TimeSpan PublishedAfterRetirement => AccessTokenLifetime + ClockSkew;

    /// <summary>When a key rotated in at <paramref name="now"/> starts signing.</summary>
    public DateTimeOffset ActivationOfNextKey(DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        return now + ActivationDelay;
    }

    /// <summary>
    /// Rotates to <paramref name="next"/>: every key of <paramref name="existing"/> that has no
    /// retirement yet retires when <paramref name="next"/> activates, published until
    /// <see cref="PublishedAfterRetirement"/> after that. Keys that already have a retirement keep it.
    /// </summary>
    /// <returns>The keys this rotation retired.</returns>
    public IReadOnlyList<SigningKey> Rotate(IReadOnlyCollection<SigningKey> existing, SigningKey next)
    {
        if (existing is null || next is null)
        {
            throw new DomainException("A rotation needs the existing keys and the new key.");
        }

        if (next.RetiredAt is not null)
        {
            throw new DomainException("A signing key that is already retired cannot be rotated in.");
        }

        if (existing.Any(k => ReferenceEquals(k, next) || string.Equals(k.KeyId, next.KeyId, StringComparison.Ordinal)))
        {
            throw new DomainException("The key rotated in must be a new key, not one of the existing keys.");
        }

        var current = existing.Where(k => k.RetiredAt is null).ToList();
        foreach (var key in current)
        {
            key.Retire(next.ActivatesAt, PublishedAfterRetirement);
        }

        return current;
    }

    /// <summary>
    /// At start-up: true when none of <paramref name="existing"/> can sign at <paramref name="now"/>
    /// and none is waiting to activate, so a first key must be created, signing at once.
    /// </summary>
    public static bool NeedsFirstKey(IReadOnlyCollection<SigningKey> existing, DateTimeOffset now)
    {
        if (existing is null)
        {
            throw new DomainException("The existing keys are required.");
        }

        Guard.Utc(now, nameof(now));
        return !existing.Any(k => k.CanSign(now) || (k.RetiredAt is null && k.ActivatesAt > now));
    }
}
