using AuthPlatform.Application.Common.Security;

namespace Acme.AuthPlatform.Extensions.Passwords;

/// <summary>
/// Acme's password policy, in place of AuthPlatform's default: the common-password list still
/// applies (the default policy is wrapped, not dropped), and a password may contain neither the
/// company's name nor the local part of the user's email address (when it is known: registration
/// and the bootstrap administrator, not a password change).
/// </summary>
public sealed class AcmePasswordPolicy(CommonPasswordPolicy commonPasswords) : IPasswordPolicy
{
    public const string CompanyName = "acme";
    public const string ContainsCompanyName = "The password must not contain the company name.";
    public const string ContainsEmailName = "The password must not contain the name of your email address.";

    /// <summary>Shorter local parts ("jo@...") would refuse too many good passwords.</summary>
    private const int MinLocalPartLength = 3;

    public async ValueTask<IReadOnlyList<string>> CheckAsync(PasswordCandidate candidate, CancellationToken cancellationToken)
    {
        var reasons = new List<string>(await commonPasswords.CheckAsync(candidate, cancellationToken));
        if (candidate.Password.Contains(CompanyName, StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add(ContainsCompanyName);
        }

        var localPart = candidate.Email?.Split('@')[0];
        if (localPart is { Length: >= MinLocalPartLength } && candidate.Password.Contains(localPart, StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add(ContainsEmailName);
        }

        return reasons;
    }
}
