namespace AuthPlatform.Application.Admin.RotateSigningKey;

public interface ISigningKeyManager
{
    /// <summary>Creates a new signing key, published now and signing after the activation delay; the current key retires then.</summary>
    Task<string> RotateAsync(CancellationToken cancellationToken);
}
