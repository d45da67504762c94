using FluentValidation;

namespace AuthPlatform.Application.Common.Security;

/// <summary>
/// NIST SP 800-63B password rules: 12 to 128 characters (Unicode code points, never truncated),
/// no composition rules, and whatever the <see cref="IPasswordPolicy"/> refuses (by default: the
/// common-password list).
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    /// <summary>A new password; <paramref name="owner"/> tells the policy whose it is, where the message knows.</summary>
    public static IRuleBuilderOptionsConditions<T, string> NewPassword<T>(
        this IRuleBuilder<T, string> rule, IPasswordPolicy policy, Func<T, (string? Email, string? Name)>? owner = null) =>
        rule.NotEmpty().WithMessage("A password is required.")
            .Must(p => CodePoints(p) >= MinLength).WithMessage($"The password must be at least {MinLength} characters long.")
            .Must(p => CodePoints(p) <= MaxLength).WithMessage($"The password must be at most {MaxLength} characters long.")
            .CustomAsync(async (password, context, cancellationToken) =>
            {
                var (email, name) = owner?.Invoke(context.InstanceToValidate) ?? (null, null);
                foreach (var reason in await policy.CheckAsync(new PasswordCandidate(password ?? "", email, name), cancellationToken))
                {
                    context.AddFailure(reason);
                }
            });

    /// <summary>A presented password: bounded so a megabyte-long one never reaches the hasher.</summary>
    public static IRuleBuilderOptions<T, string> PresentedPassword<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("A password is required.")
            .MaximumLength(MaxLength * 2).WithMessage($"The password must be at most {MaxLength} characters long.");

    private static int CodePoints(string? value) => value is null ? 0 : value.EnumerateRunes().Count();
}
