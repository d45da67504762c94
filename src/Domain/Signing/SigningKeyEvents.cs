using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Signing;

/// <summary>A new signing key was published; <see cref="ActorId"/> is the administrator who rotated.</summary>
public sealed record SigningKeyRotated(string KeyId, Guid ActorId) : IDomainEvent;
