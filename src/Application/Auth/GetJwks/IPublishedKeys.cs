namespace AuthPlatform.Application.Auth.GetJwks;

/// <summary>The public half of the signing keys, as a JWKS document.</summary>
public interface IPublishedKeys
{
    string JwksJson { get; }
}
