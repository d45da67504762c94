using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Sessions;

public sealed record TokenRefreshed(Guid UserId, Guid SessionId) : IDomainEvent;

/// <summary>A redeemed refresh token was presented again: the session is revoked (RT-02).</summary>
public sealed record RefreshTokenReuseDetected(Guid UserId, Guid SessionId) : IDomainEvent;

public sealed record SessionRevoked(Guid UserId, Guid SessionId, string Reason) : IDomainEvent;
