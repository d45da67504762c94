namespace AuthPlatform.Domain.Common;

/// <summary>A broken invariant: a bug in the caller, never an expected outcome.</summary>
public sealed class DomainException(string message) : Exception(message);

internal static class Guard
{
    public static string NotBlank(string? value, string name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException($"{name} is required.");
        }

        if (value.Length > maxLength)
        {
            throw new DomainException($"{name} is longer than {maxLength} characters.");
        }

        return value;
    }

    public static void Utc(DateTimeOffset value, string name)
    {
        if (value.Offset != TimeSpan.Zero)
        {
            throw new DomainException($"{name} must be a UTC time.");
        }
    }
}
