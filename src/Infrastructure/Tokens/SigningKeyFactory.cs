using System.Security.Cryptography;
using System.Text.Json;
using AuthPlatform.Application.Signing;
using AuthPlatform.Domain.Signing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// Makes new key pairs and turns stored keys back into usable keys. The private key is kept
/// as PKCS#8, encrypted with ASP.NET Core Data Protection (whose key ring is in the database).
/// </summary>
public sealed class SigningKeyFactory(IDataProtectionProvider dataProtection) : ISigningKeyMaterialFactory
{
    private const string Purpose = "AuthPlatform.SigningKeys.v1";

    public SigningKeyMaterial Generate(string algorithm)
    {
        var kid = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(12));
        byte[] pkcs8;
        Dictionary<string, string> jwk;
        switch (algorithm)
        {
            case SecurityAlgorithms.EcdsaSha256:
            {
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var p = ec.ExportParameters(false);
                pkcs8 = ec.ExportPkcs8PrivateKey();
                jwk = new() { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
                break;
            }

            case SecurityAlgorithms.RsaSha256:
            {
                using var rsa = RSA.Create(2048);
                var p = rsa.ExportParameters(false);
                pkcs8 = rsa.ExportPkcs8PrivateKey();
                jwk = new() { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
                break;
            }

            default:
                throw new InvalidOperationException($"Unsupported signing algorithm '{algorithm}': use ES256 or RS256.");
        }

        jwk["kid"] = kid;
        jwk["use"] = "sig";
        jwk["alg"] = algorithm;
        var protectedKey = Convert.ToBase64String(dataProtection.CreateProtector(Purpose).Protect(pkcs8));
        CryptographicOperations.ZeroMemory(pkcs8);
        return new SigningKeyMaterial(kid, algorithm, JsonSerializer.Serialize(jwk), protectedKey);
    }

    /// <summary>The public key, for validation and the JWKS.</summary>
    public static SecurityKey PublicKey(SigningKey key)
    {
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(key.PublicJwk)!;
        SecurityKey securityKey = jwk["kty"] switch
        {
            "EC" => new ECDsaSecurityKey(ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = WebEncoders.Base64UrlDecode(jwk["x"]), Y = WebEncoders.Base64UrlDecode(jwk["y"]) },
            })),
            "RSA" => new RsaSecurityKey(new RSAParameters
            {
                Modulus = WebEncoders.Base64UrlDecode(jwk["n"]),
                Exponent = WebEncoders.Base64UrlDecode(jwk["e"]),
            }),
            _ => throw new InvalidOperationException($"Unknown key type {jwk["kty"]}."),
        };
        securityKey.KeyId = key.KeyId;
        return securityKey;
    }

    /// <summary>The private key, for signing.</summary>
    public SecurityKey PrivateKey(SigningKey key)
    {
        var pkcs8 = dataProtection.CreateProtector(Purpose).Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey));
        try
        {
            SecurityKey securityKey;
            if (key.Algorithm == SecurityAlgorithms.EcdsaSha256)
            {
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                securityKey = new ECDsaSecurityKey(ec);
            }
            else
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                securityKey = new RsaSecurityKey(rsa);
            }

            securityKey.KeyId = key.KeyId;
            return securityKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static string B64(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);
}
