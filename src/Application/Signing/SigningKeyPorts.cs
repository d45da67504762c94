using AuthPlatform.Domain.Signing;

namespace AuthPlatform.Application.Signing;

/// <summary>The signing keys, for the commands that create and rotate them.</summary>
public interface ISigningKeyRepository
{
    /// <summary>Every stored key, retired ones included, tracked so that retiring one is saved with the command.</summary>
    Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken);

    void Add(SigningKey key);
}

/// <summary>The parts of a freshly generated key pair: the public key as a JWK, the private key protected.</summary>
public sealed record SigningKeyMaterial(string KeyId, string Algorithm, string PublicJwk, string ProtectedPrivateKey);

/// <summary>Generates key pairs (ES256 or RS256) with a random <c>kid</c> and protects the private part for storage.</summary>
public interface ISigningKeyMaterialFactory
{
    SigningKeyMaterial Generate(string algorithm);
}

/// <summary>The in-memory key ring that signs and validates tokens.</summary>
public interface ISigningKeyRing
{
    /// <summary>Reads the stored keys again; run it after the change commits.</summary>
    Task ReloadAsync(CancellationToken cancellationToken);
}

internal static class SigningKeyMaterialExtensions
{
    /// <summary>The key of this material, created at <paramref name="now"/>, signing from <paramref name="activatesAt"/>.</summary>
    public static SigningKey ToKey(this SigningKeyMaterial material, DateTimeOffset now, DateTimeOffset activatesAt) =>
        SigningKey.Create(material.KeyId, material.Algorithm, material.PublicJwk, material.ProtectedPrivateKey, now, activatesAt);
}
