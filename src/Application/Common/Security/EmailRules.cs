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

    /// <summary>A single plain address (<c>local@domain</c>), no display name, no control characters.</summary>
    private static bool BeAnAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl) || value.Any(char.IsWhiteSpace))
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
    /// <summary>A display string: no control characters (line breaks included), bounded length.</summary>
    public static IRuleBuilderOptions<T, string> DisplayText<T>(this IRuleBuilder<T, string> rule, int maxLength) =>
        rule.NotEmpty().WithMessage("This field is required.")
            .Must(v => v is null || v.Trim().Length > 0).WithMessage("This field is required.")
            .MaximumLength(maxLength).WithMessage($"This field must be at most {maxLength} characters long.")
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage("Control characters are not allowed.");
}
