using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.ServiceAccounts;

namespace AuthPlatform.Application.ServiceAccounts.Common;

/// <summary>A new client secret: the secret (shown once) and its SHA-256.</summary>
public sealed record GeneratedClientSecret(string Secret, string Hash);

/// <summary>
/// Client ids and secrets. A secret is 256 bits from the CSPRNG (43 base64url characters) and is
/// stored as its SHA-256 only: with that much entropy a slow hash adds nothing against guessing,
/// and it would cost every grant (ADR 0014).
/// </summary>
public static class ClientSecrets
{
    public const int SecretBytes = 32;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static GeneratedClientSecret NewSecret(ISecretGenerator generator)
    {
        var secret = generator.NewSecret(SecretBytes);
        return new GeneratedClientSecret(secret, generator.Hash(secret));
    }

    /// <summary><c>sa_</c> and 22 base62 characters (about 131 bits): public, but unguessable so that it reveals nothing.</summary>
    public static string NewServiceAccountClientId(ISecretGenerator generator) =>
        ServiceAccount.ClientIdPrefix + generator.NewCode(Base62, 22);
}
