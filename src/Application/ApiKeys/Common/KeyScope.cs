using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>Whose keys a call may touch: one owner's, or (for an administrator) everyone's.</summary>
public sealed record KeyScope(Guid ActorId, bool AnyOwner, IReadOnlyList<string>? CallerScopes = null)
{
    public static KeyScope Own(Guid userId) => new(userId, false);

    /// <summary>The caller's own keys, and only those whose every permission the caller holds.</summary>
    public static KeyScope Own(Guid userId, IReadOnlyList<string> callerScopes) => new(userId, false, callerScopes);

    public static KeyScope Administrator(Guid adminId) => new(adminId, true);

    public bool Covers(ApiKey key) => AnyOwner || key.OwnerId == ActorId;

    /// <summary>Least privilege for changes: a narrow key may not revoke or delete a wider one.</summary>
    public string? MissingScopeFor(ApiKey key) =>
        AnyOwner || CallerScopes is null ? null : key.Permissions.FirstMissingFrom(CallerScopes);
}
