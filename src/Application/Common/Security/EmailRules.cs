using System.Net.Mail;
using AuthPlatform.Domain.Users;
using FluentValidation;

namespace AuthPlatform.Application.Common.Security;

public static class EmailRules
{
    public static IRuleBuilderOptions<T, string> EmailAddress<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("An email address is required.")
            .MaximumLength(User.MaxEmailLength).WithMessage($"The email address must be at most {User.MaxEmailLength} characters long.")
            .Must(BeAnAddress).WithMessage("This is not a valid email address.");

    /// <summary>
    /// A single plain address (<c>local@domain</c>), no display name, no control characters, and no
    /// invisible format characters (zero-width joiners and spaces, bidi controls, BOM): they would
    /// let <c>ad&#x200D;min@example.com</c> pass for <c>admin@example.com</c>.
    /// </summary>
    private static bool BeAnAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl) || value.Any(char.IsWhiteSpace)
            || value.Any(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var parsed)
            && parsed.Address == value
            && parsed.Host.Contains('.', StringComparison.Ordinal);
    }
}

public static class TextRules
{
    /// <summary>
    /// A display string: no control characters (line breaks included), no bidi embedding, override or
    /// isolate controls (U+202A-U+202E, U+2066-U+2069, which can make a name display as another), bounded
    /// length. Zero-width joiners stay allowed: emoji sequences and some scripts need them.
    /// </summary>
    public static IRuleBuilderOptions<T, string> DisplayText<T>(this IRuleBuilder<T, string> rule, int maxLength) =>
        rule.NotEmpty().WithMessage("This field is required.")
            .Must(v => v is null || v.Trim().Length > 0).WithMessage("This field is required.")
            .MaximumLength(maxLength).WithMessage($"This field must be at most {maxLength} characters long.")
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage("Control characters are not allowed.")
            .Must(v => v is null || !v.Any(c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            .WithMessage("Bidirectional override characters are not allowed.");
}
