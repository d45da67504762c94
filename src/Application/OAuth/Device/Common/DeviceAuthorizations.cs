using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Device.Common;

/// <summary>
/// The <see cref="DeviceAuthorization"/> aggregate's repository. Found by the SHA-256 of the device
/// code (the token endpoint) or of the normalised user code (the verification page); saved with its
/// concurrency token, so of two parallel redemptions only one commits.
/// </summary>
public interface IDeviceAuthorizationRepository
{
    Task<DeviceAuthorization?> FindByDeviceCodeHashAsync(string deviceCodeHash, CancellationToken cancellationToken);

    Task<DeviceAuthorization?> FindByUserCodeHashAsync(string userCodeHash, CancellationToken cancellationToken);

    /// <summary>True when any device authorization (whatever its state) holds this user-code hash (the column is unique).</summary>
    Task<bool> UserCodeTakenAsync(string userCodeHash, CancellationToken cancellationToken);

    void Add(DeviceAuthorization authorization);
}

/// <summary>
/// Wrong user codes entered on the verification page, per key (a client address,
/// <c>ClientAddresses.ThrottleKey</c>, and a signed-in user): past the budget
/// (<c>OAuth:DeviceUserCodeMaxFailures</c> per <c>OAuth:DeviceUserCodeWindow</c>) every entry for that
/// key is refused until the window ends, the right code too (RFC 8628 5.1). Successes cost nothing.
/// An entry holds a slot while its code is looked up: parallel entries never get more than the budget looked up.
/// </summary>
public interface IUserCodeThrottle
{
    /// <summary>Takes a slot for an entry (it may wait for entries in flight); the wait instead when the key has spent its budget of failures.</summary>
    Task<TimeSpan?> ReserveAsync(string key, CancellationToken cancellationToken);

    /// <summary>Ends an entry that was let through: a failure keeps its slot until the window ends, anything else gives it back.</summary>
    void Complete(string key, bool failed);
}

/// <summary>
/// The user code (RFC 8628 6.1): 8 characters of 20 consonants (no vowels, so no words; no
/// look-alikes such as 0/O, 1/I), about 34 bits, shown as <c>XXXX-XXXX</c>. Compared without case,
/// dashes or spaces.
/// </summary>
public static class UserCodes
{
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";
    public const int Length = 8;

    /// <summary>The code as shown to people: <c>XXXX-XXXX</c>.</summary>
    public static string Format(string code) => code[..4] + "-" + code[4..];

    /// <summary>The code as stored (hashed) and compared: upper case, without dashes or spaces; null when it cannot be one.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 32)
        {
            return null;
        }

        var letters = string.Concat(input.Where(c => c is not ('-' or ' '))).ToUpperInvariant();
        return letters.Length == Length && letters.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? letters : null;
    }
}
