using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>
/// An e-mail address as a user typed it, trimmed, with its normalised form: addresses compare
/// case-insensitively, so the upper-cased invariant form is what is looked up and kept unique.
/// The one place where an address is normalised.
/// </summary>
public sealed record EmailAddress
{
    public const int MaxLength = 254;

    private EmailAddress(string value)
    {
        Value = value;
        Normalized = value.ToUpperInvariant();
    }

    public string Value { get; }

    public string Normalized { get; }

    /// <summary>An address to store: required and bounded (its shape is checked by the validators).</summary>
    public static EmailAddress Create(string value) => new(Guard.NotBlank(value, "email", MaxLength).Trim());

    /// <summary>An address to look up: whatever was sent, normalised the same way, never throwing.</summary>
    public static string NormalizeForLookup(string value) => value.Trim().ToUpperInvariant();

    public override string ToString() => Value;
}
