using AuthPlatform.Domain.Sessions;

namespace AuthPlatform.Application.Auth.Common;

public interface IRefreshTokenFamilyRepository
{
    /// <summary>The family a token hash belongs to, loaded with that one token only.</summary>
    Task<RefreshTokenFamily?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    Task<RefreshTokenFamily?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<RefreshTokenFamily>> ListActiveForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a family with one conditional update (whatever its version), so that a refresh
    /// racing the revocation can never win over it; the refresh then finds its version changed.
    /// True when this call revoked it.
    /// </summary>
    Task<bool> RevokeAsync(Guid familyId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every live family of a user but one, the same way; returns how many.</summary>
    Task<int> RevokeAllForUserAsync(Guid userId, Guid? exceptFamilyId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every live family issued to the OAuth client <paramref name="clientId"/>, the same way; returns how many.</summary>
    Task<int> RevokeAllForClientAsync(string clientId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when the user has ever started a session from this client address (a known address, ADR 0012).</summary>
    Task<bool> HasSignedInFromAsync(Guid userId, string? ipAddress, CancellationToken cancellationToken);

    void Add(RefreshTokenFamily family);
}
