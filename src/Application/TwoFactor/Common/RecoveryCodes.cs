using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>Ten new recovery codes: the clear text to show once, and the entities that keep only slow hashes.</summary>
public sealed record NewRecoveryCodes(IReadOnlyList<string> Codes, IReadOnlyList<RecoveryCode> Entities);

/// <summary>
/// Recovery codes look like <c>abcd-efgh-jkmn</c>: a 4-character locator (not secret, picks the
/// row) and an 8-character secret (about 39 bits, MFA-03) stored as a slow hash.
/// </summary>
public sealed class RecoveryCodes(ISecretGenerator secrets, IPasswordHasher hasher, TimeProvider clock)
{
    public const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    public const int LocatorLength = 4;
    public const int SecretLength = 8;

    public NewRecoveryCodes Generate(User user)
    {
        var now = clock.GetUtcNow();
        var codes = new List<string>();
        var entities = new List<RecoveryCode>();
        var locators = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < User.RecoveryCodeCount)
        {
            var locator = secrets.NewCode(Alphabet, LocatorLength);
            if (!locators.Add(locator))
            {
                continue;
            }

            var secret = secrets.NewCode(Alphabet, SecretLength);
            codes.Add($"{locator}-{secret[..4]}-{secret[4..]}");
            entities.Add(RecoveryCode.Create(Guid.CreateVersion7(now), user.Id, locator, hasher.Hash(secret), now));
        }

        return new NewRecoveryCodes(codes, entities);
    }

    /// <summary>A presented code without dashes, lower case; null when it cannot be one.</summary>
    public static string? Normalize(string presented)
    {
        var normalized = new string(presented.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return normalized.Length == LocatorLength + SecretLength ? normalized : null;
    }
}
